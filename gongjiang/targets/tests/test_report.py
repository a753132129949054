"""The monthly Excel (月度报表): 附件1's columns and merged two-row header, and figures recomputed here
from the scenario's records (see test_progress's docstring for the scenario)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.targets.choices import COLUMN_ORDER
from gongjiang.targets.progress import Scope
from gongjiang.targets.report import SHEETS, monthly_report, monthly_report_xlsx
from gongjiang.training.choices import ClassStatus, EnrolmentStatus, TrainingType
from gongjiang.training.models import Enrolment

from .factories import closed_class

JUNE_30 = dt.date(2025, 6, 30)


def workbook(scenario, month=6, today=JUNE_30):
    table = scenario.jurisdiction.targettable_set.get(year=2025)
    report = monthly_report(Scope(scenario.jurisdiction), table, month, today)
    return openpyxl.load_workbook(io.BytesIO(monthly_report_xlsx(report)))


def body(sheet):
    """Unit name → the 12 figures, for the rows between the header and the notes."""
    rows = {}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[0] is None or str(row[0]).startswith(("统计口径", "任务依据", "备注", "时间进度")):
            break
        rows[row[0]] = list(row[1:13])
    return rows


def by_hand(scenario, start, end):
    """The counting rules applied to the ORM rows directly, independently of `progress`."""
    w = scenario
    names = {w.centre_1.pk: w.centre_1.name, w.centre_2.pk: w.centre_2.name}
    result = {name: dict.fromkeys(COLUMN_ORDER, 0) for name in names.values()}
    qualified = Enrolment.objects.filter(
        status=EnrolmentStatus.QUALIFIED,
        training_class__status=ClassStatus.CLOSED,
        training_class__closed_on__range=(start, end),
    ).select_related("training_class__occupation", "person")
    for enrolment in qualified:
        c = enrolment.training_class
        row = result[names[c.service_unit_id]]
        kind = c.project_base if c.training_type == TrainingType.PROJECT else c.training_type
        column = {
            "employment": "employment",
            "enterprise_post": "post",
            "apprenticeship": "post",
            "startup": "startup",
        }[kind]
        row["total"] += 1
        row[column] += 1
        at_base = c.institution_id == w.institution_b.pk  # the scenario's national base
        if at_base and column in ("employment", "post"):
            row[f"{column}_national_base"] += 1
        if c.level in ("senior", "technician", "senior_technician"):
            row["high_skill"] += 1
            row["high_skill_national_base"] += at_base
        occupation = c.occupation.name if c.occupation else ""
        row["elderly_care"] += occupation == "养老护理员"
        row["ecommerce"] += occupation == "电子商务师"
        row["labour_brand"] += bool(c.labour_brand)
        row["poverty_monitoring"] += enrolment.person.is_poverty_monitoring
    for recipient in w.jurisdiction.skillupgraderecipient_set.filter(paid_on__range=(start, end)):
        row = result[names[recipient.service_unit_id]]
        row["total"] += 1
        row["post"] += 1
        row["high_skill"] += recipient.level.rank >= 3
        row["elderly_care"] += recipient.occupation.name == "养老护理员"
    return result


def test_layout_mirrors_annex_1(scenario):
    # when
    book = workbook(scenario)
    # then four sheets, each with 附件1's two-row header and its merged cells
    assert book.sheetnames == list(SHEETS)
    for sheet in book.worksheets:
        merged = {str(r) for r in sheet.merged_cells.ranges}
        assert {"A3:A4", "B3:G3", "H3:I3", "J3:J4", "K3:K4", "L3:L4", "M3:M4"} <= merged
        assert sheet["A3"].value == "单位" and sheet["B3"].value == "培训任务"
        assert sheet["H3"].value == "其中：高技能人才培训"
        assert [sheet.cell(4, c).value for c in range(2, 10)] == [
            "合计",
            "就业技能培训",
            "其中：国家级高技能人才培训基地承接培训",
            "岗位技能培训",
            "其中：国家级高技能人才培训基地承接培训",
            "创业培训",
            "合计",
            "其中：国家级高技能人才培训基地承接培训",
        ]
        assert [sheet.cell(3, c).value for c in range(10, 14)] == [
            "其中：康养类职业技能培训",
            "其中：电商类职业技能培训",
            "其中：劳务品牌职业技能培训",
            "其中：防止返贫监测对象培训",
        ]
        units = list(body(sheet))
        assert units == [scenario.centre_1.name, scenario.centre_2.name, "合计"]
    assert "2025年6月" in book["本月完成"]["A1"].value


def test_month_and_year_to_date_figures_are_recomputed_from_the_records(scenario):
    w = scenario
    # given the figures worked out from the ORM rows by the rules of 附件1
    month = by_hand(w, dt.date(2025, 6, 1), JUNE_30)
    ytd = by_hand(w, dt.date(2025, 1, 1), JUNE_30)
    # when
    book = workbook(w)
    # then each unit row is the hand count, and 合计 is the sum of the units
    for sheet_name, expected in (("本月完成", month), ("累计完成", ytd)):
        rows = body(book[sheet_name])
        for unit, figures in expected.items():
            assert rows[unit] == [figures[c] for c in COLUMN_ORDER], (sheet_name, unit)
        assert rows["合计"] == [sum(expected[u][c] for u in expected) for c in COLUMN_ORDER]
    # and the concrete June numbers of the scenario: c3 (2), c4 (1), r1 (1), all centre 2
    assert body(book["本月完成"])[w.centre_2.name][0] == 4
    assert body(book["累计完成"])["合计"][0] == 10


def test_targets_and_progress_sheets(scenario):
    w = scenario
    book = workbook(w)
    # then the 年度任务 sheet is 附件1 itself, “/” kept
    targets = body(book["年度任务"])
    assert targets[w.centre_1.name] == [8800, 4000, 1000, 3000, "/", 1800, 2500, 500, 600, 150, 300, 25]
    assert targets["合计"] == [12000, 5000, 1000, 5000, 1000, 2000, 4000, 1000, 1000, 300, 450, 50]
    # and 完成进度: 累计 ÷ 任务 — centre 2 post 3 / 2000 = 0.15% → 0.2, shaded as lagging
    progress = book["完成进度"]
    row = next(r for r in progress.iter_rows(min_row=5) if r[0].value == w.centre_2.name)
    post = row[1 + COLUMN_ORDER.index("post")]
    assert post.value == pytest.approx(0.2)
    assert post.fill.fgColor.rgb.endswith("FDECEA")
    notes = " ".join(str(c.value) for c in progress["A"] if c.value)
    assert "时间进度：49.6%" in notes


def test_text_cells_cannot_inject_formulas(scenario):
    w = scenario
    # given a unit whose name looks like a formula, with a counted class
    from gongjiang.registry import services as registry

    evil = registry.service_unit_create(
        actor=w.root, jurisdiction=w.jurisdiction, code="evil", name='=HYPERLINK("http://x")', kind="section"
    )
    klass = closed_class(w, closed_on=dt.date(2025, 6, 2), qualified=1)
    klass.__class__.objects.filter(pk=klass.pk).update(service_unit=evil)
    # when
    book = workbook(w)
    # then the name is text, never a formula
    names = [c.value for c in book["本月完成"]["A"] if c.value]
    assert '\'=HYPERLINK("http://x")' in names


def test_the_page_downloads_the_report_for_bureau_staff(scenario):
    w = scenario
    client = Client()
    assert client.login(username=w.users["finance_officer"].username, password=PASSWORD)
    # when
    response = client.get(reverse("targets:monthly_report"), {"year": 2025, "month": 6})
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert body(book["累计完成"])["合计"][0] >= 10
    # a month that has not begun is refused
    later = client.get(reverse("targets:monthly_report"), {"year": 2099, "month": 1})
    assert later.status_code == 404
