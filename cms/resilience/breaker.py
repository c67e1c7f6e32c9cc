"""A circuit breaker per dependency, shared by the threads of one process."""

import logging
import threading
import time

logger = logging.getLogger(__name__)

DEFAULT_RESET_AFTER = 30.0  # seconds a dependency is left alone after it failed


class CircuitBreaker:
    """Closed while ``name`` answers; open for ``reset_after`` seconds after it failed, during which
    callers skip it at once (a cache miss, a task run here); then one call tries it again."""

    def __init__(self, name: str, reset_after: float = DEFAULT_RESET_AFTER):
        self.name = name
        self.reset_after = reset_after
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        opened_at = self._opened_at
        return opened_at is not None and time.monotonic() - opened_at < self.reset_after

    def allow(self) -> bool:
        """Whether to try the dependency now (closed, or open long enough to try again)."""
        return not self.is_open

    def failed(self, error: BaseException) -> None:
        with self._lock:
            was_closed = self._opened_at is None
            self._opened_at = time.monotonic()
        if was_closed:
            logger.warning(
                "%s is unreachable (%s: %s); skipping it for %.0f s at a time until it answers again",
                self.name,
                type(error).__name__,
                error,
                self.reset_after,
            )
        else:
            logger.info("%s is still unreachable (%s)", self.name, type(error).__name__)

    def succeeded(self) -> None:
        if self._opened_at is None:
            return
        with self._lock:
            self._opened_at = None
        logger.warning("%s answers again", self.name)


_breakers: dict[str, CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breaker(name: str, reset_after: float = DEFAULT_RESET_AFTER) -> CircuitBreaker:
    """The process's breaker for ``name`` (created on first use)."""
    with _registry_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, reset_after)
        found = _breakers[name]
        found.reset_after = reset_after
        return found


def open_breakers() -> list[str]:
    """Names of the dependencies this process is currently skipping."""
    return sorted(name for name, found in _breakers.items() if found.is_open)
