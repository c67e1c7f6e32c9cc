"""The Redis cache fails open: unreachable Redis means misses and dropped writes, never an error."""

import logging

import pytest
from django.core.cache import caches

from cms.resilience.cache import FailOpenRedisCache, redacted

from .conftest import REDIS_TEST_URL, needs_redis, redis_cache_settings


def _cache(url: str, reset_after: float = 30) -> FailOpenRedisCache:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "CIRCUIT_RESET_AFTER": reset_after}
    return FailOpenRedisCache(url, {"OPTIONS": options})


def test_every_operation_answers_like_a_miss_when_redis_is_unreachable(closed_port, caplog):
    cache = _cache(f"redis://127.0.0.1:{closed_port}/0", reset_after=0)

    with caplog.at_level(logging.WARNING, logger="cms.resilience.breaker"):
        cache.set("key", "value")
        assert cache.get("key") is None
        assert cache.get("key", "default") == "default"
        assert cache.add("key", "value") is False
        assert cache.get_many(["key", "other"]) == {}
        assert cache.has_key("key") is False
        assert cache.get_or_set("key", lambda: "computed") == "computed"
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("key") is False
        cache.delete_many(["a", "b"])
        assert cache.touch("key") is False
        with pytest.raises(ValueError):
            cache.incr("counter")  # what a missing key does

    assert "is unreachable" in caplog.text
    assert f"127.0.0.1:{closed_port}" in caplog.text


def test_the_breaker_stops_calling_redis_after_a_failure(hang_up_server):
    cache = _cache(f"redis://127.0.0.1:{hang_up_server.port}/0", reset_after=3600)

    assert cache.get("key") is None
    tried = hang_up_server.count()
    for _ in range(20):
        assert cache.get("key") is None
        cache.set("key", "value")

    assert tried >= 1
    assert hang_up_server.count() == tried  # open: nothing more was sent to Redis


def test_without_the_breaker_each_call_tries_redis_again(hang_up_server):
    cache = _cache(f"redis://127.0.0.1:{hang_up_server.port}/0", reset_after=0)

    cache.get("key")
    first = hang_up_server.count()
    cache.get("key")
    cache.get("key")

    assert hang_up_server.count() > first


@needs_redis
def test_the_cache_works_with_redis_up():
    cache = _cache(REDIS_TEST_URL)
    cache.clear()
    try:
        cache.set("greeting", {"en": "hello"})
        assert cache.get("greeting") == {"en": "hello"}
        assert cache.add("greeting", "other") is False
        cache.set("counter", 1)
        assert cache.incr("counter") == 2
        assert not cache.breaker.is_open
    finally:
        cache.clear()


def test_the_settings_use_the_fail_open_cache_for_redis(settings, closed_port):
    redis_cache_settings(settings, f"redis://127.0.0.1:{closed_port}/0")

    assert isinstance(caches["default"], FailOpenRedisCache)
    assert caches["default"].get("anything", "miss") == "miss"


def test_log_lines_never_show_the_redis_password():
    assert redacted("redis://user:secret@redis.internal:6380/2") == "redis://redis.internal:6380/2"


@needs_redis
def test_one_redis_client_serves_every_operation():
    """Django makes a new client (and its table of reply parsers) per operation; ours keeps one."""
    cache = _cache(REDIS_TEST_URL)
    client = cache._cache.get_client(write=True)

    cache.set("chm:test:one-client", "value")

    assert cache.get("chm:test:one-client") == "value"
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client
    cache.delete("chm:test:one-client")
