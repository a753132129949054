"""The targets services: who may write, the rules of a table, all-or-nothing imports, idempotent load.
Every refusal has a Chinese message and writes nothing (no row, no audit event)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.core.pii import keyed_hash
from gongjiang.core.spreadsheets import write_xlsx
from gongjiang.targets.imports import TABLE_COLUMNS
from gongjiang.targets.models import SkillUpgradeRecipient, TargetCell, TargetGoal, TargetTable
from gongjiang.targets.services import (
    recipient_import,
    target_table_import,
    target_table_save,
    targets_load_reference,
)

from .factories import person, recipient_row, recipients_csv

HEAD = {
    "year": 2026,
    "title": "兰州新区2026年职业技能培训任务分解表",
    "document": "新民社发〔2026〕1号",
    "citation": "新民社发〔2026〕1号 附件1",
}


def unchanged(before_events: int, before_cells: int) -> None:
    assert AuditEvent.objects.count() == before_events
    assert TargetCell.objects.count() == before_cells


def test_load_is_idempotent_and_keeps_the_bureaus_changes(tw):
    w = tw
    # when loaded twice
    first = targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    table = TargetTable.objects.get(jurisdiction=w.jurisdiction, year=2025)
    target_table_save(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        year=2025,
        title=table.title,
        document=table.document,
        citation=table.citation,
        figures={w.centre_1.pk: {"total": 1, "employment": 1}},
        reason="测试修改",
    )
    second = targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    # then the first creates the 2025 table and the 18 goals of 新民社发〔2025〕13号 and 〔2024〕31号
    assert (first.tables_created, first.goals_created) == (1, 18)
    assert (second.tables_created, second.tables_kept, second.goals_created, second.goals_kept) == (
        0,
        1,
        0,
        18,
    )
    # and the bureau's change survives the reload
    assert table.cells.get(service_unit=w.centre_1, column="total").value == 1
    assert not table.cells.filter(service_unit=w.centre_2).exists()


def test_load_needs_the_documents_units(jurisdiction, other_jurisdiction):
    from gongjiang.registry.tests.factories import make_admin

    admin = make_admin(jurisdiction, "lonely-admin")
    # given a jurisdiction with no service units
    before = AuditEvent.objects.count()
    # when / then
    with pytest.raises(DomainError, match="本辖区没有代码为“centre-1”的服务单位"):
        targets_load_reference(actor=admin, jurisdiction=jurisdiction)
    assert AuditEvent.objects.count() == before
    assert not TargetTable.objects.exists() and not TargetGoal.objects.exists()


@pytest.mark.parametrize("role", ["centre_reviewer", "finance_officer", "institution_clerk", "auditor"])
def test_only_a_bureau_admin_writes(tw, role):
    w = tw
    before = (AuditEvent.objects.count(), TargetCell.objects.count())
    for call in (
        lambda: targets_load_reference(actor=w.users[role], jurisdiction=w.jurisdiction),
        lambda: target_table_save(
            actor=w.users[role], jurisdiction=w.jurisdiction, figures={w.centre_1.pk: {"total": 0}}, **HEAD
        ),
        lambda: recipient_import(
            actor=w.users[role], jurisdiction=w.jurisdiction, year=2025, filename="r.csv", data=b""
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    unchanged(*before)


def test_another_jurisdictions_admin_is_refused(tw):
    w = tw
    from gongjiang.registry.tests.factories import make_admin

    outsider = make_admin(w.other_jurisdiction, "outsider-admin")
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        target_table_save(actor=outsider, jurisdiction=w.jurisdiction, figures={w.centre_1.pk: {}}, **HEAD)


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({}, "任务分解表至少要有一个单位的任务数"),
        ({"total": 10, "employment": 5}, "合计 10 应等于 就业技能培训 + 岗位技能培训 + 创业培训 = 5"),
        ({"total": 5, "employment": 5, "employment_national_base": 6}, "“其中”数 6 不能大于就业技能培训 5"),
        (
            {"total": 5, "employment": 5, "high_skill": 2, "high_skill_national_base": 3},
            "不能大于高技能人才培训 2",
        ),
        ({"total": -1}, "应为不小于 0 的整数"),
        ({"total": 1, "everything": 1}, "未知的指标：everything"),
    ],
)
def test_table_rules(tw, figures, message):
    w = tw
    before = (AuditEvent.objects.count(), TargetCell.objects.count())
    rows = {w.centre_1.pk: figures} if figures else {}
    with pytest.raises(DomainError) as error:
        target_table_save(actor=w.root, jurisdiction=w.jurisdiction, figures=rows, **HEAD)
    assert message in error.value.message
    unchanged(*before)
    assert not TargetTable.objects.filter(year=2026).exists()


def test_a_unit_of_another_jurisdiction_is_refused(tw):
    w = tw
    from gongjiang.registry import services as registry
    from gongjiang.registry.tests.factories import make_admin

    foreign = registry.service_unit_create(
        actor=make_admin(w.other_jurisdiction, "hz-admin"),
        jurisdiction=w.other_jurisdiction,
        code="hz",
        name="湖州中心",
        kind="service_centre",
    )
    with pytest.raises(DomainError, match="以下单位不在本辖区"):
        target_table_save(
            actor=w.root, jurisdiction=w.jurisdiction, figures={foreign.pk: {"total": 0}}, **HEAD
        )


def test_a_change_is_audited_with_before_and_after(tw):
    w = tw
    table = target_table_save(
        actor=w.root, jurisdiction=w.jurisdiction, figures={w.centre_1.pk: {"total": 5, "startup": 5}}, **HEAD
    )
    # when
    target_table_save(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        figures={w.centre_1.pk: {"total": 6, "startup": 6}},
        reason="省厅追加任务",
        **HEAD,
    )
    # then
    event = AuditEvent.objects.filter(object_id=str(table.pk), event_type="target_table_changed").get()
    assert event.reason == "省厅追加任务"
    assert event.before["cells"][str(w.centre_1.pk)]["startup"] == 5
    assert event.after["cells"][str(w.centre_1.pk)]["startup"] == 6


def _table_file(rows: list[list[str]]) -> bytes:
    return write_xlsx({"任务分解表": (TABLE_COLUMNS, rows)})


def test_table_import_from_xlsx_with_row_errors(tw):
    w = tw
    before = (AuditEvent.objects.count(), TargetCell.objects.count())
    blank = [""] * 9
    data = _table_file(
        [
            ["兰州新区社会保障第一服务中心", "10", "5", "", "5", "", "", *blank],
            ["兰州新区社会保障第一服务中心", "5", "5", "", "", "", "", *blank],
            ["合计", "99", "5", "", "5", "", "", *blank],
        ]
    )
    # when
    with pytest.raises(ImportRejected) as error:
        target_table_import(actor=w.root, jurisdiction=w.jurisdiction, filename="t.xlsx", data=data, **HEAD)
    # then row 3 repeats the unit, row 4's 合计 is not the sum; nothing written
    messages = {(e["row"], e["column"]): e["message"] for e in error.value.errors}
    assert messages[(3, "单位")] == "“兰州新区社会保障第一服务中心”重复出现"
    assert messages[(4, "合计")] == "合计行为 99，各单位之和为 10"
    unchanged(*before)


def test_table_import_refuses_a_formula(tw):
    import io

    import xlsxwriter

    w = tw
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, TABLE_COLUMNS)
    sheet.write(1, 0, "兰州新区社会保障第一服务中心")
    sheet.write_formula(1, 1, "=1+1", None, 2)
    book.close()
    data = buffer.getvalue()
    # when / then the formula is read as its text, never evaluated, and refused
    with pytest.raises(ImportRejected) as error:
        target_table_import(actor=w.root, jurisdiction=w.jurisdiction, filename="t.xlsx", data=data, **HEAD)
    assert "实际为“=1+1”" in error.value.errors[0]["message"]


def test_table_import_needs_every_column(tw):
    w = tw
    with pytest.raises(DomainError, match="缺少必填列：合计"):
        target_table_import(
            actor=w.root, jurisdiction=w.jurisdiction, filename="t.csv", data="单位\n第一\n".encode(), **HEAD
        )


def test_recipients_are_linked_to_the_register_and_counted_once_a_year(tw):
    w = tw
    from gongjiang.registry.tests.factories import new_id_number

    number = new_id_number(birth="19870101")
    registered = person(w, id_number=number)
    # when
    batch = recipient_import(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        year=2025,
        filename="r.csv",
        data=recipients_csv([recipient_row(身份证号=number), recipient_row(证书等级="四级")]),
    )
    # then
    assert batch.row_count == 2
    linked = SkillUpgradeRecipient.objects.get(id_number_hash=keyed_hash(number))
    assert linked.person == registered
    assert SkillUpgradeRecipient.objects.exclude(pk=linked.pk).get().level.alias == "中级工"
    assert AuditEvent.objects.filter(event_type="skill_upgrade_recipient_imported").count() == 2
    event = AuditEvent.objects.filter(event_type="skill_upgrade_recipient_imported").first()
    assert number not in str(event.after)  # only the masked copy is in the trail


def test_recipient_rows_are_all_checked(tw):
    w = tw
    rows = [
        recipient_row(),
        recipient_row(姓名="", 统计单位="不存在", 职业="", 证书编号="@x"),
        recipient_row(**{"职业(工种)": "飞行员", "领取日期": "2099-01-01"}),
    ]
    rows[2]["身份证号"] = rows[0]["身份证号"]
    # when
    with pytest.raises(ImportRejected) as error:
        recipient_import(
            actor=w.root, jurisdiction=w.jurisdiction, year=2025, filename="r.csv", data=recipients_csv(rows)
        )
    # then
    found = {(e["row"], e["column"]): e["message"] for e in error.value.errors}
    assert found[(3, "姓名")] == "不能为空"
    assert found[(3, "统计单位")] == "本辖区没有名为“不存在”的服务单位"
    assert found[(3, "证书编号")] == "不能以 = + - @ 开头（疑似公式）"
    assert found[(4, "身份证号")] == "与第 2 行重复"
    assert found[(4, "职业(工种)")] == "职业目录中没有“飞行员”"
    assert found[(4, "领取日期")] == "不在 2025 年内"
    assert not SkillUpgradeRecipient.objects.exists()


def test_recipient_in_a_year_whose_table_does_not_count_them(tw):
    w = tw
    from gongjiang.targets.progress import Scope, period_counts

    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    table = TargetTable.objects.get(year=2025)
    recipient_import(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        year=2025,
        filename="r.csv",
        data=recipients_csv([recipient_row()]),
    )
    scope, start, end = Scope(w.jurisdiction), dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert period_counts(scope, start, end)[(w.centre_2.pk, "post")] == 1
    # when the table is changed to not count them (附件1 备注 is per year)
    target_table_save(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        year=2025,
        title=table.title,
        document=table.document,
        citation=table.citation,
        figures={w.centre_1.pk: {"total": 0}},
        counts_skill_upgrade_recipients=False,
        reason="测试",
    )
    # then they no longer count
    assert period_counts(scope, start, end)[(w.centre_2.pk, "post")] == 0


def test_the_command_loads_and_refuses_misuse(tw, capsys):
    w = tw
    call_command("targets_load", "--jurisdiction", w.jurisdiction.code)
    assert "新增任务分解表 1 张" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有内置的任务目标文件") as error:
        call_command("targets_load", "--jurisdiction", "nowhere")
    assert error.value.returncode == 2


def test_demo_loader_for_a_jurisdiction_with_goals_only(other_jurisdiction):
    from gongjiang.targets.demo import load_demo_targets

    # given 湖州市 (code huzhou): goals of its 实施意见, no task table, no service units needed
    # when
    summary = load_demo_targets(other_jurisdiction)
    # then
    assert (summary.tables_created, summary.goals_created) == (0, 21)
    goal = TargetGoal.objects.get(jurisdiction=other_jurisdiction, key="hz-2025-skilled-total")
    assert (goal.value, goal.citation) == (
        800000,
        "湖州市《关于新时代湖州工匠培育工程的实施意见》 一、总体目标",
    )
