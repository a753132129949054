"""Settings from the environment, the production deploy check, and the background-task mechanism."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongjiang.core.audit import audit_record
from gongjiang.core.models import Jurisdiction
from gongjiang.core.tasks import audit_verify_task

ROOT = Path(__file__).resolve().parents[3]


def _manage(args, env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_prod_settings_pass_the_deploy_check():
    # given production settings with secrets from the environment
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "GONGJIANG_SECRET_KEY": os.urandom(40).hex(),
        "GONGJIANG_ID_HASH_KEY": os.urandom(16).hex(),
        "GONGJIANG_FIELD_KEY": "B" * 43 + "=",
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    # when
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    # then
    assert result.returncode == 0, result.stderr


def test_prod_settings_refuse_to_start_without_secrets():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.prod", "GONGJIANG_SECRET_KEY": ""}
    result = _manage(["check"], env)
    assert result.returncode != 0
    assert "GONGJIANG_SECRET_KEY 未设置" in result.stderr


def test_cli_misuse_exits_2_with_a_message_on_stderr():
    result = _manage(["audit", "nonsense"], {"DJANGO_SETTINGS_MODULE": "config.settings.test"})
    assert result.returncode == 2
    assert "invalid choice" in result.stderr or "无效" in result.stderr


@pytest.mark.django_db
def test_tasks_run_inline_in_demo_and_test_settings():
    # given an audit trail with one event
    jurisdiction = Jurisdiction.objects.create(code="t", name="测试")
    audit_record(actor=None, obj=jurisdiction, action="create")
    # when the nightly verification is enqueued
    result = audit_verify_task.enqueue()
    # then it ran at once and reported the chain intact
    assert result.return_value == {"ok": True, "checked": 1, "broken_event_id": None}


@pytest.mark.django_db
def test_api_docs_and_spec_are_served_without_a_cdn(client):
    import re

    # the OpenAPI spec and the docs page; every script and stylesheet from this server
    assert client.get("/api/openapi.json").json()["info"]["title"] == "gongjiang 工匠 API"
    page = client.get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") for a in assets), assets
