"""A Redis cache that fails open: when Redis cannot be reached, reads miss and writes are dropped.

Everything the portal caches (Wagtail's site roots, search facet counts, sessions' cached copy) can be
recomputed from the database, so a cache outage must cost speed, never a page. Short socket timeouts
bound the first failed call; the circuit breaker then skips Redis for ``CIRCUIT_RESET_AFTER`` seconds.
"""

import logging
from urllib.parse import urlsplit, urlunsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from .breaker import DEFAULT_RESET_AFTER, breaker

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisError, OSError)


def redacted(url: str) -> str:
    """``url`` without its user name and password, fit for a log line."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every operation (which builds its table of
    response callbacks each time: a large share of a cached page's cost when it reads several
    fragments); this one keeps one per connection pool (``redis.Redis`` is thread-safe)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache; each operation answers like a miss when Redis is unreachable.

    ``OPTIONS`` takes ``CIRCUIT_RESET_AFTER`` (seconds, default 30) besides the redis-py connection
    options (``socket_connect_timeout``, ``socket_timeout``…).
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        reset_after = float(options.pop("CIRCUIT_RESET_AFTER", DEFAULT_RESET_AFTER))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        locations = ", ".join(redacted(location) for location in self._servers)
        self.breaker = breaker(f"Redis cache ({locations})", reset_after)

    def _guarded(self, operation: str, when_down, *args, **kwargs):
        if not self.breaker.allow():
            return when_down
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            self.breaker.failed(error)
            return when_down
        self.breaker.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def add(self, *args, **kwargs):
        return self._guarded("add", False, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guarded("set", None, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._guarded("set_many", list(data), data, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guarded("touch", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guarded("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guarded("delete_many", None, *args, **kwargs)

    def clear(self):
        return self._guarded("clear", False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found.")  # what a miss does
        return result
