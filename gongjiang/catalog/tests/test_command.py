"""`manage.py catalog_load`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjiang.catalog.models import Occupation


def test_loads_and_reports(jurisdiction):
    # given
    out = io.StringIO()
    # when
    call_command("catalog_load", "--jurisdiction", "lanzhou-xinqu", stdout=out)
    # then
    assert Occupation.objects.count() == 337
    assert "新增职业 337 个" in out.getvalue()


@pytest.mark.parametrize("code", ["nowhere", "huzhou"])
def test_bad_jurisdiction_exits_2(jurisdiction, other_jurisdiction, code):
    # when
    with pytest.raises(CommandError) as exc:
        call_command("catalog_load", "--jurisdiction", code)
    # then
    assert exc.value.returncode == 2
    assert not Occupation.objects.exists()


def test_bad_jurisdiction_exit_code_from_the_command_line(jurisdiction, capsys):
    # given: run_from_argv is what manage.py calls; it prints to stderr and exits with returncode
    from django.core.management import ManagementUtility

    # when
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "catalog_load", "--jurisdiction", "nowhere"]).execute()
    # then
    assert exc.value.code == 2
    assert "辖区“nowhere”不存在" in capsys.readouterr().err
