"""Dependencies that are down, for real: a loopback port nothing listens on, a port that accepts and
hangs up (counting the attempts), a real SMTP server, and the Celery app pointed at a broker."""

import socket
import socketserver
import threading
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from cms.resilience import breaker as breaker_module

REDIS_TEST_URL = "redis://127.0.0.1:6379/8"  # this branch's Redis database


def free_port() -> int:
    """A loopback port that was free a moment ago: bound, noted, closed. Nothing listens on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return free_port()


class _HangUp(socketserver.BaseRequestHandler):
    def handle(self):
        with self.server.lock:
            self.server.connections += 1


class _HangUpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def hang_up_server():
    """A server that accepts connections and closes them at once; ``.connections`` counts them, so a
    test sees whether a client tried to reach it at all."""
    server = _HangUpServer(("127.0.0.1", 0), _HangUp)
    server.connections = 0
    server.lock = threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(port=server.server_address[1], count=lambda: server.connections)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def fresh_breakers():
    """Circuit breakers live as long as the process: each test starts with none open."""
    breaker_module._breakers.clear()
    yield
    breaker_module._breakers.clear()


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_available(), reason="no Redis at 127.0.0.1:6379")


@contextmanager
def celery_broker(url: str):
    """The Celery app sends to ``url`` (not eagerly) inside the block, then as before."""
    from celery import current_app

    conf = current_app.conf
    saved = conf.broker_url, conf.task_always_eager

    def forget_connections():
        from kombu import pools

        if current_app._pool is not None:
            current_app._pool.force_close_all()
        current_app._pool = None
        current_app.amqp._producer_pool = None
        pools.reset()  # kombu's own producer pools, shared by connection address

    forget_connections()
    conf.broker_url, conf.task_always_eager = url, False
    try:
        yield
    finally:
        forget_connections()
        conf.broker_url, conf.task_always_eager = saved


class _Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a loopback port; ``.messages`` holds the envelopes it accepted."""
    handler = _Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SimpleNamespace(port=controller.port, messages=handler.messages)
    finally:
        controller.stop()


def smtp_settings(settings, port: int) -> None:
    """Send real SMTP to ``port`` on the loopback address."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


def redis_cache_settings(settings, url: str, reset_after: float = 30) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.resilience.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "CIRCUIT_RESET_AFTER": reset_after},
        }
    }


# The review's people and draft, as the workflow tests make them.
from tests.workflows.conftest import client_for, draft, people  # noqa: E402, F401
