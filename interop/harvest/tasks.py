from celery import shared_task


@shared_task(name="interop.harvest.harvest_due_sources", ignore_result=True)
def harvest_due_sources() -> int:
    """Beat task: harvest the sources whose schedule is due; returns how many ran."""
    from .services import harvest_due_sources as run

    return len(run())
