from celery import shared_task

from . import services


@shared_task(name="interop.push.expire_idempotency_keys")
def expire_idempotency_keys() -> int:
    """Idempotency keys are replayed for 24 hours; beat removes the older ones every hour."""
    return services.expire_idempotency_keys()
