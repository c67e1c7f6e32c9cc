"""Sending Celery tasks from a request without letting a broker outage (or the task) break it.

Each caller says what happens when the broker cannot take the task:

* ``INLINE`` — run it here, now: for short work the page's truth depends on (search indexing);
* ``SKIP`` — log it and leave it: for work that something else catches up on (an e-mail whose
  outbox row the periodic retry sends; a cache purge that the pages' short lifetime makes good).
"""

import logging

from celery import current_app

from .breaker import breaker

logger = logging.getLogger(__name__)

INLINE = "inline"
SKIP = "skip"

BROKER_RESET_AFTER = 30.0


def broker_breaker():
    return breaker("Celery broker", BROKER_RESET_AFTER)


def dispatch(task, *args, fallback: str, **kwargs) -> str:
    """Queue ``task``; when the broker is unreachable fall back as told. Never raises.

    Returns what happened: ``"queued"``, ``"ran"`` (eager mode or ``INLINE``), ``"skipped"`` or
    ``"failed"`` (the task itself raised while run here; logged).
    """
    if fallback not in (INLINE, SKIP):
        raise ValueError(f"fallback must be {INLINE!r} or {SKIP!r}")
    eager = current_app.conf.task_always_eager
    gate = broker_breaker()
    if eager or gate.allow():
        try:
            task.delay(*args, **kwargs)  # eager: runs here, and its own errors come back here
        except Exception as error:  # noqa: BLE001 - kombu, redis and socket errors alike, or the task's
            if eager:
                logger.exception("Task %s failed", task.name)
                return "failed"
            gate.failed(error)
        else:
            if eager:
                return "ran"
            gate.succeeded()
            return "queued"
    if fallback == INLINE:
        logger.info("Broker unreachable: running %s here", task.name)
        try:
            task.apply(args=args, kwargs=kwargs, throw=True)
        except Exception:  # noqa: BLE001 - the request that triggered it has already succeeded
            logger.exception("Task %s failed", task.name)
            return "failed"
        return "ran"
    logger.warning("Broker unreachable: %s%r not queued (caught up later)", task.name, args)
    return "skipped"
