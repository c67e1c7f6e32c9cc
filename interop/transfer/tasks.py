"""The write of a confirmed import, as a Celery task: long files no longer wait on a web request."""

from celery import shared_task


@shared_task(name="interop.transfer.run_import_job", ignore_result=True)
def run_import_job(job_id: int) -> str:
    """Write the job's file, all rows or none; returns the job's final state."""
    from .jobs import run

    return run(job_id)
