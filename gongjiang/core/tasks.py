"""Background tasks (django-tasks). Demo and tests run them inline (ImmediateBackend); production
queues them in the database (django_tasks_db) for `gongjiang db_worker`. Later issues add their
tasks here, beside their app."""

from django_tasks import task

from .audit import audit_verify


@task()
def audit_verify_task() -> dict[str, object]:
    """Nightly check of the audit hash chain; the result is kept with the task."""
    result = audit_verify()
    return {"ok": result.ok, "checked": result.checked, "broken_event_id": result.broken_event_id}


@task()
def report_run_task(run_id: int) -> dict[str, object]:
    """Run one queued `ReportRun` (see `services.report_request`)."""
    from .services import report_run_execute

    run = report_run_execute(run_id=run_id)
    return {"run_id": run.pk, "status": run.status, "worker_pid": run.worker_pid}
