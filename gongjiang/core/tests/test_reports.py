"""Background report runs (issue 8, prod-check's report job): queued by an app process, run by a
worker, each recording its process id. In tests the task backend runs tasks inline, so both ids are
this process's; `make prod-check` shows them differ with real processes."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from gongjiang.core.models import AuditEvent, ReportRun
from gongjiang.registry.tests.factories import PASSWORD


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_a_report_is_queued_run_after_commit_and_readable_by_its_requester(
    world, auditor, django_capture_on_commit_callbacks
):
    # given
    client = _client(auditor)

    # when the request commits, its task runs (inline here)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/core/reports", {"kind": "audit_summary"}, content_type="application/json")
    report = client.get(f"/api/core/reports/{queued.json()['id']}").json()

    # then
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert report["status"] == "done"
    assert report["requested_pid"] == os.getpid() and report["worker_pid"] == os.getpid()
    assert report["result"]["chain_ok"] is True
    assert report["result"]["chain"]["checked"] == AuditEvent.objects.count() - 1  # minus "completed"
    assert set(AuditEvent.objects.values_list("event_type", flat=True)) >= {
        "report_requested",
        "report_completed",
    }


@pytest.mark.django_db
def test_roles_without_reports_are_refused_and_others_runs_are_hidden(
    world, auditor, institution_clerk, centre_reviewer, bureau_admin
):
    # given a run of the auditor's
    with_run = _client(auditor)
    run_id = with_run.post(
        "/api/core/reports", {"kind": "audit_summary"}, content_type="application/json"
    ).json()["id"]

    # when / then
    assert (
        _client(institution_clerk)
        .post("/api/core/reports", {"kind": "audit_summary"}, content_type="application/json")
        .status_code
        == 403
    )
    assert _client(centre_reviewer).get(f"/api/core/reports/{run_id}").status_code == 403
    assert _client(bureau_admin).get(f"/api/core/reports/{run_id}").status_code == 200  # same jurisdiction
    assert (
        with_run.post("/api/core/reports", {"kind": "nonsense"}, content_type="application/json").status_code
        == 422
    )
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_is_executed_once(world, bureau_admin):
    from gongjiang.core.services import report_request, report_run_execute

    run = report_request(actor=bureau_admin, kind="audit_summary")
    first = report_run_execute(run_id=run.pk)
    finished_at = first.finished_at
    again = report_run_execute(run_id=run.pk)
    assert again.status == "done" and again.finished_at == finished_at
    assert AuditEvent.objects.filter(event_type="report_completed").count() == 1


@pytest.mark.django_db
def test_health_answers_without_log_in(client):
    response = client.get("/api/core/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "cache": True}
