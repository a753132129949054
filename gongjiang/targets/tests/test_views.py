"""The targets pages: dashboard, drill-down, goals, table entry and import, recipients; roles."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from gongjiang.core.models import AuditEvent
from gongjiang.core.pii import decrypt
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.targets.models import SkillUpgradeRecipient, TargetCell, TargetTable
from gongjiang.targets.services import targets_load_reference

from .factories import closed_class, person, recipient_row, recipients_csv

AS_OF = "2025-06-30"


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def dashboard_world(tw):
    w = tw
    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    w.poor = person(w, is_poverty_monitoring=True)
    w.class_a = closed_class(w, closed_on=dt.date(2025, 3, 20), people=[w.poor], qualified=2)
    w.class_b = closed_class(w, closed_on=dt.date(2025, 5, 20), qualified=3, institution=w.institution_b)
    return w


def cell_text(html: str, unit: str, column: str) -> str:
    match = re.search(rf'data-column="{column}" data-unit="{unit}">(.*?)</td>', html, re.DOTALL)
    assert match, (unit, column)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_admin_dashboard_shows_target_done_percent_and_charts(dashboard_world):
    w = dashboard_world
    # when
    html = (
        client_for(w.root).get(reverse("targets:dashboard"), {"year": 2025, "as_of": AS_OF}).content.decode()
    )
    # then centre 1: 3 done of 8800 (0.0% at one decimal), lagging behind 49.6% of the year
    assert cell_text(html, str(w.centre_1.pk), "total") == "3 / 8800 0.0%"
    assert cell_text(html, "all", "total") == "6 / 12000 0.1%"
    assert cell_text(html, str(w.centre_1.pk), "poverty_monitoring") == "1 / 25 4.0%"
    assert cell_text(html, str(w.centre_2.pk), "employment_national_base") == "0 / —"
    assert 'id="elapsed">49.6%' in html
    assert "is-lagging" in html
    # three inline SVG charts, drawn on the server, without any script or outside resource
    assert html.count('<svg xmlns:xlink="http://www.w3.org/1999/xlink"') == 3
    assert "<script" not in html.split('<div class="charts">')[1]
    assert "kozea.github.io" not in html
    # every bar links to the drill-down
    assert 'xlink:href="/targets/drill/?' in html


def test_a_cell_links_to_its_classes_and_people_with_masked_ids(dashboard_world):
    w = dashboard_world
    client = client_for(w.root)
    html = client.get(reverse("targets:dashboard"), {"year": 2025, "as_of": AS_OF}).content.decode()
    link = re.search(
        rf'data-column="total" data-unit="{w.centre_1.pk}">\s*<a class="done" href="([^"]+)"', html
    )
    # when following the cell's link
    drill = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    # then class A with its 3 trainees, none of B's; IDs masked even for a PII role
    assert w.class_a.code in drill and w.class_b.code not in drill
    assert 'id="drill-summary">共计 <strong>3</strong>' in drill
    assert w.poor.id_number_masked in drill
    assert decrypt(w.poor.id_number_encrypted) not in drill


def test_institution_clerk_sees_only_own_figures_without_targets(dashboard_world):
    w = dashboard_world
    client = client_for(w.clerk)
    # when
    html = client.get(reverse("targets:dashboard"), {"year": 2025, "as_of": AS_OF}).content.decode()
    # then only institution A's 3, no targets
    assert cell_text(html, "all", "total") == "3"
    assert "8800" not in html and "12000" not in html
    # and the drill-down of everything shows only A's class
    drill = client.get(reverse("targets:drill"), {"year": 2025, "as_of": AS_OF}).content.decode()
    assert w.class_a.code in drill and w.class_b.code not in drill
    # the monthly report is for bureau staff
    assert client.get(reverse("targets:monthly_report"), {"year": 2025, "month": 6}).status_code == 403


def test_drill_refuses_bad_parameters_in_chinese(dashboard_world):
    response = client_for(dashboard_world.root).get(reverse("targets:drill"), {"year": 2025, "column": "x"})
    assert response.status_code == 400
    assert "指标参数无效" in response.content.decode()


def test_goals_page_cites_each_goal_and_measures_what_it_can(dashboard_world):
    w = dashboard_world
    # when
    html = (
        client_for(w.root).get(reverse("targets:goal_list"), {"year": 2025, "as_of": AS_OF}).content.decode()
    )
    # then
    assert "新民社发〔2025〕13号" in html and "二、重点任务（一）重点群体技能助航行动" in html
    assert "新政办发〔2024〕31号" in html
    assert "<strong>6人次</strong>" in html  # 全年开展职业技能培训: 6 so far
    # talent measures, registered by the talent app: no provincial platform recorded (新增1个)
    assert "<strong>0个</strong>" in html and "待接入" not in html


def entry_post(**overrides):
    data = {
        "year": "2026",
        "title": "兰州新区2026年职业技能培训任务分解表",
        "document": "新民社发〔2026〕1号",
        "citation": "新民社发〔2026〕1号 附件1",
        "note": "",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_bureau_admin_enters_next_years_table(dashboard_world):
    w = dashboard_world
    u1, u2 = w.centre_1.pk, w.centre_2.pk
    figures = {
        f"u{u1}_total": "900",
        f"u{u1}_employment": "500",
        f"u{u1}_post": "300",
        f"u{u1}_startup": "100",
        f"u{u1}_high_skill": "200",
        f"u{u2}_total": "100",
        f"u{u2}_employment": "100",
    }
    # when
    response = client_for(w.root).post(reverse("targets:table_edit"), entry_post(**figures))
    # then
    assert response.status_code == 302
    table = TargetTable.objects.get(jurisdiction=w.jurisdiction, year=2026)
    assert table.source == "entered"
    cells = {(c.service_unit_id, c.column): c.value for c in table.cells.all()}
    assert cells[(u1, "total")] == 900 and cells[(u1, "post_national_base")] is None
    assert cells[(u2, "employment")] == 100
    assert AuditEvent.objects.filter(event_type="target_table_created", object_id=str(table.pk)).exists()


def test_a_table_that_does_not_add_up_is_refused_and_nothing_is_written(dashboard_world):
    w = dashboard_world
    u1 = w.centre_1.pk
    before = TargetCell.objects.count()
    # when 合计 900 ≠ 500 + 300 + 0
    response = client_for(w.root).post(
        reverse("targets:table_edit"),
        entry_post(**{f"u{u1}_total": "900", f"u{u1}_employment": "500", f"u{u1}_post": "300"}),
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "合计 900 应等于 就业技能培训 + 岗位技能培训 + 创业培训 = 800" in html
    assert not TargetTable.objects.filter(year=2026).exists()
    assert TargetCell.objects.count() == before


def test_changing_a_table_needs_a_reason(dashboard_world):
    w = dashboard_world
    client = client_for(w.root)
    page = client.get(reverse("targets:table_edit"), {"year": 2025})
    assert 'value="8800"' in page.content.decode()  # the form starts from the current figures
    data = {k: (v if v is not None else "") for k, v in page.context["form"].initial.items()}
    data.update({"reason": ""})
    # when
    response = client.post(reverse("targets:table_edit") + "?year=2025", data)
    # then
    assert "2025 年的任务分解表已存在，修改必须填写原因" in response.content.decode()


TABLE_HEADER = "单位,合计,就业技能培训,就业技能培训·其中国家级基地承接,岗位技能培训,岗位技能培训·其中国家级基地承接,创业培训,高技能人才培训,高技能人才培训·其中国家级基地承接,康养类职业技能培训,电商类职业技能培训,劳务品牌职业技能培训,防止返贫监测对象培训"


def test_table_import_reports_every_bad_row_and_writes_nothing(dashboard_world):
    w = dashboard_world
    csv = "\n".join(
        [
            TABLE_HEADER,
            "兰州新区社会保障第一服务中心,100,50,/,30,/,20,10,/,5,5,5,1",
            "不存在的中心,10,10,/,/,/,/,/,/,/,/,/,/",
            "兰州新区社会保障第二服务中心,100,abc,/,30,/,20,10,/,5,5,5,1",
            "合计,300,50,/,30,/,20,10,/,5,5,5,1",
        ]
    ).encode()
    # when
    response = client_for(w.root).post(
        reverse("targets:table_import"),
        {**entry_post(), "file": _upload("t.csv", csv)},
    )
    # then
    html = response.content.decode()
    assert "导入失败" in html and "未写入任何数据" in html
    assert "本辖区没有名为“不存在的中心”的服务单位" in html
    assert "应为不小于 0 的整数，或“/”表示无此项任务，实际为“abc”" in html
    assert not TargetTable.objects.filter(year=2026).exists()


def test_table_import_of_a_good_file(dashboard_world):
    w = dashboard_world
    csv = "\n".join(
        [
            TABLE_HEADER,
            "兰州新区社会保障第一服务中心,100,50,10,30,/,20,10,/,5,5,5,1",
            "centre-2,60,60,/,/,/,/,/,/,/,/,/,/",
            "合计,160,110,10,30,/,20,10,/,5,5,5,1",
        ]
    ).encode()
    # when
    response = client_for(w.root).post(
        reverse("targets:table_import"), {**entry_post(), "file": _upload("t.csv", csv)}
    )
    # then
    assert response.status_code == 302
    table = TargetTable.objects.get(year=2026)
    assert table.source == "imported"
    assert table.cells.get(service_unit=w.centre_2, column="employment").value == 60
    assert table.cells.get(service_unit=w.centre_2, column="post").value is None


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_recipient_import_refuses_the_file_with_one_bad_row(dashboard_world):
    w = dashboard_world
    good = recipient_row()
    bad = recipient_row(身份证号="620102199001011234", 领取日期="2024-12-31", 补贴金额="-5", 证书等级="大师")
    # when
    response = client_for(w.root).post(
        reverse("targets:recipient_list") + "?year=2025",
        {"year": "2025", "file": _upload("r.csv", recipients_csv([good, bad]))},
    )
    # then every problem of row 3, and nothing written
    html = response.content.decode()
    assert "身份证号校验位错误" in html
    assert "不在 2025 年内" in html
    assert "应为大于 0 的金额" in html
    assert "应为 初级工/中级工/高级工/技师/高级技师 之一，实际为“大师”" in html
    assert SkillUpgradeRecipient.objects.count() == 0


def test_recipient_import_stores_ids_as_the_registry_does(dashboard_world):
    w = dashboard_world
    row = recipient_row()
    client = client_for(w.root)
    # when
    response = client.post(
        reverse("targets:recipient_list") + "?year=2025",
        {"year": "2025", "file": _upload("r.csv", recipients_csv([row]))},
    )
    # then
    assert response.status_code == 302
    recipient = SkillUpgradeRecipient.objects.get()
    assert recipient.id_number_masked != row["身份证号"] and "*" in recipient.id_number_masked
    assert decrypt(recipient.id_number_encrypted) == row["身份证号"]
    assert row["身份证号"] not in recipient.id_number_hash
    listing = client.get(reverse("targets:recipient_list"), {"year": 2025}).content.decode()
    assert recipient.id_number_masked in listing and row["身份证号"] not in listing
    # and the same person again in the same year is refused (附件3 备注5)
    again = client.post(
        reverse("targets:recipient_list") + "?year=2025",
        {"year": "2025", "file": _upload("r.csv", recipients_csv([row]))},
    )
    assert "每人每年只能享受1次" in again.content.decode()
    assert SkillUpgradeRecipient.objects.count() == 1


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # a past year is read as of its last day: 2025 viewed on 2026-03-15 → 2025-12-31, the whole year
        (dt.date(2026, 3, 15), "2025-12-31"),
        # the current year as of today
        (dt.date(2025, 10, 31), "2025-10-31"),
    ],
)
def test_without_as_of_a_past_year_is_read_as_of_its_31_december(
    dashboard_world, monkeypatch, today, expected
):
    # given
    from gongjiang.targets import views

    w = dashboard_world
    monkeypatch.setattr(views, "_today", lambda: today)
    client = client_for(w.root)
    # when
    dashboard = client.get(reverse("targets:dashboard"), {"year": 2025}).content.decode()
    goals = client.get(reverse("targets:goal_list"), {"year": 2025}).content.decode()
    # then the day is shown on both pages and drives the figures (elapsed share of 2025 on that day)
    assert f'name="as_of" value="{expected}"' in dashboard and f"截至 {expected}" in dashboard
    elapsed = "100%" if expected == "2025-12-31" else "83.3%"  # the whole year; 304/365 days on 2025-10-31
    assert f'id="elapsed">{elapsed}' in dashboard
    assert f"截至 {expected}" in goals
