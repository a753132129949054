"""Entry pages for the records of competitions (with results and the one-level promotion of
台人社发〔2021〕17号 三(二)6), master studios (with assessments), titles and platforms: a bureau admin
enters each through a form; bad input is shown at its field in Chinese and nothing is written;
other roles get 403; another jurisdiction's records and people are refused; the person/enterprise
picker shows masked ID numbers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongjiang.core.choices import Role
from gongjiang.core.models import AuditEvent
from gongjiang.core.pii import decrypt
from gongjiang.talent.models import (
    Competition,
    CompetitionResult,
    MasterStudio,
    StudioAssessment,
    TalentPlatform,
    TalentTitle,
)

from .factories import certificate, competition, studio
from .test_views import client_for

pytestmark = pytest.mark.django_db

RECORDS = (Competition, CompetitionResult, MasterStudio, StudioAssessment, TalentTitle, TalentPlatform)


def _counts() -> tuple[int, ...]:
    return (*(m.objects.count() for m in RECORDS), AuditEvent.objects.count())


def _competition_form(w, **overrides: str) -> dict[str, str]:
    return {
        "name": "兰州新区第二届焊工技能大赛",
        "level": "district",
        "occupation": str(w.occupations["焊工"].pk),
        "organiser": "兰州新区人力资源和社会保障局",
        "held_on": "2025-09-20",
        **overrides,
    }


def test_bureau_admin_enters_a_competition_and_a_prize_winner_is_promoted_one_level(tw):
    # given 王职工 holding 中级工 in 焊工 before the competition
    w = tw
    certificate(w.employee_a, occupation="焊工", level_code="intermediate", issued_on=dt.date(2024, 5, 1))
    client = client_for(w, Role.BUREAU_ADMIN)
    # when the competition is entered
    response = client.post(reverse("talent:competition_create"), _competition_form(w))
    # then it is written and audited, and the list shows it
    contest = Competition.objects.get()
    assert response.status_code == 302 and response["Location"].endswith("#competitions")
    assert (contest.jurisdiction, contest.level, contest.held_on) == (
        w.jurisdiction,
        "district",
        dt.date(2025, 9, 20),
    )
    assert AuditEvent.objects.filter(event_type="competition_recorded", object_id=str(contest.pk)).exists()
    # when a first place is entered from the page (the competition preselected by ?competition=)
    url = reverse("talent:competition_result_create")
    assert f'value="{contest.pk}" selected' in client.get(f"{url}?competition={contest.pk}").content.decode()
    response = client.post(
        url, {"competition": contest.pk, "person": w.employee_a.pk, "rank": "1"}, follow=True
    )
    # then 三(二)6 “在原技能等级基础上晋升一个技能等级”: 中级工 → 高级工, said on the page and audited
    result = CompetitionResult.objects.get()
    assert (result.level_before.alias, result.promoted_to.alias) == ("中级工", "高级工")
    assert "已录入：王职工 第1名，中级工晋升为高级工" in response.content.decode()
    assert AuditEvent.objects.filter(event_type="competition_result_recorded").count() == 1


def test_studio_assessment_title_and_platform_are_entered(tw):
    # given
    w = tw
    client = client_for(w, Role.BUREAU_ADMIN)
    # when each kind is entered through its page
    posts = [
        (
            "talent:studio_create",
            {
                "name": "王职工焊接技能大师工作室",
                "level": "city",
                "enterprise": w.enterprise_a.pk,
                "master": w.employee_a.pk,
                "occupation": w.occupations["焊工"].pk,
                "recognised_on": "2025-03-01",
            },
        ),
        (
            "talent:title_create",
            {
                "person": w.employee_b.pk,
                "kind": "chief_technician",
                "awarded_by": "兰州新区管委会",
                "awarded_on": "2025-05-01",
                "allowance_months": "12",
            },
        ),
        (
            "talent:platform_create",
            {
                "kind": "training_base",
                "level": "provincial",
                "name": "甘肃省高技能人才培训基地",
                "recognised_on": "2025-06-01",
                "institution": w.institution_a.pk,
            },
        ),
    ]
    for name, data in posts:
        assert client.post(reverse(name), data).status_code == 302, name
    studio_ = MasterStudio.objects.get()
    assert (
        client.post(
            reverse("talent:studio_assessment_create"),
            {"studio": studio_.pk, "year": "2025", "result": "excellent", "assessed_on": "2025-12-20"},
        ).status_code
        == 302
    )
    # then each record is written as entered, audited by its service
    assert (studio_.enterprise, studio_.master, studio_.level) == (w.enterprise_a, w.employee_a, "city")
    assert studio_.assessments.get().result == "excellent"
    title = TalentTitle.objects.get()
    # the enterprise left empty: the person's registered employer (services.title_award)
    assert (title.person, title.title_name, title.enterprise, title.allowance_months) == (
        w.employee_b,
        "首席技师",
        w.enterprise_b,
        12,
    )
    assert TalentPlatform.objects.get().institution == w.institution_a
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "master_studio_recognised",
        "master_studio_assessed",
        "talent_title_awarded",
        "talent_platform_recognised",
    } <= events
    # and the records page lists them with the entry links
    page = client.get(reverse("talent:record_list")).content.decode()
    assert "王职工焊接技能大师工作室" in page and "2025 优秀" in page and "甘肃省高技能人才培训基地" in page
    assert reverse("talent:title_create") in page


def test_bad_input_is_shown_at_its_field_and_nothing_is_written(tw):
    # given
    w = tw
    contest = competition(w)
    workshop = studio(w)
    client = client_for(w, Role.BUREAU_ADMIN)
    client.post(
        reverse("talent:competition_result_create"),
        {"competition": contest.pk, "person": w.employee_a.pk, "rank": "4"},
    )
    before = _counts()
    cases = [
        # (route, data, what the page says)
        (
            "talent:competition_create",
            _competition_form(w, name="", held_on="2025-13-40"),
            ["这个字段是必填项。", "输入一个有效的日期。"],
        ),
        (
            "talent:competition_result_create",
            {"competition": contest.pk, "person": w.employee_b.pk, "rank": "0"},
            ["确保该值大于或等于1。"],
        ),
        ("talent:competition_result_create", {"competition": contest.pk, "rank": "2"}, ["请先搜索并选择"]),
        # the service's refusal, at its field: the same contestant twice
        (
            "talent:competition_result_create",
            {"competition": contest.pk, "person": w.employee_a.pk, "rank": "1"},
            ["王职工已有本竞赛的成绩"],
        ),
        (
            "talent:studio_assessment_create",
            {"studio": workshop.pk, "year": "2024", "result": "pass", "assessed_on": "2024-12-20"},
            ["考核年度不能早于工作室命名年度"],
        ),
        (
            "talent:platform_create",
            {
                "kind": "demo_enterprise",
                "level": "municipal",
                "name": "示范企业",
                "recognised_on": "2025-06-01",
            },
            ["必须指定所属企业或培训机构/院校"],
        ),
        (
            "talent:title_create",
            {"person": w.employee_b.pk, "kind": "大师", "awarded_by": "x", "awarded_on": "2025-05-01"},
            ["选择一个有效的选项"],
        ),
    ]
    for name, data, messages in cases:
        # when
        response = client.post(reverse(name), data)
        # then
        page = response.content.decode()
        assert response.status_code == 200, name
        assert all(m in page for m in messages), (name, messages)
        assert 'class="field-error"' in page, name
    assert _counts() == before


def test_other_roles_get_403_and_write_nothing(tw):
    w = tw
    contest = competition(w)
    before = _counts()
    for role in (
        Role.CENTRE_REVIEWER,
        Role.FINANCE_OFFICER,
        Role.AUDITOR,
        Role.ENTERPRISE_CLERK,
        Role.INSTITUTION_CLERK,
        Role.PERSON,
    ):
        client = client_for(w, role)
        assert client.get(reverse("talent:competition_create")).status_code == 403, role
        assert client.get(reverse("talent:person_pick"), {"field": "person", "q": "王"}).status_code == 403, (
            role
        )
        posted = client.post(
            reverse("talent:competition_result_create"),
            {"competition": contest.pk, "person": w.employee_a.pk, "rank": "1"},
        )
        assert posted.status_code == 403, role
        assert client.post(reverse("talent:competition_create"), _competition_form(w)).status_code == 403, (
            role
        )
    assert _counts() == before


def test_another_jurisdictions_records_and_people_are_refused(tw):
    # given a competition and a person of 湖州 (the world's other jurisdiction)
    w = tw
    other_admin = w.root.__class__.objects.get(username="other-root-admin")
    other_contest = competition(w, jurisdiction=w.other_jurisdiction, actor=other_admin)
    own_contest = competition(w)
    client = client_for(w, Role.BUREAU_ADMIN)
    before = _counts()
    # when the page is asked for the other jurisdiction, then 404
    assert (
        client.get(reverse("talent:studio_create"), {"jurisdiction": w.other_jurisdiction.pk}).status_code
        == 404
    )
    # when their competition or their person is posted, then refused at the field, nothing written
    refused = [
        {"competition": other_contest.pk, "person": w.employee_a.pk, "rank": "1"},
        {"competition": own_contest.pk, "person": w.person_other.pk, "rank": "1"},
    ]
    for data in refused:
        page = client.post(reverse("talent:competition_result_create"), data).content.decode()
        assert "不存在或不在本辖区" in page
    assert _counts() == before
    # and the picker does not find them
    found = client.get(reverse("talent:person_pick"), {"field": "person", "q": "湖州人"}).content.decode()
    assert "湖州人" in found and "本辖区没有找到" in found and 'type="radio"' not in found


def test_the_picker_shows_masked_id_numbers_only(tw):
    # given
    w = tw
    client = client_for(w, Role.BUREAU_ADMIN)
    full = decrypt(w.employee_a.id_number_encrypted)
    # when searched by name and by the full ID number
    by_name = client.get(reverse("talent:person_pick"), {"field": "master", "q": "王职"}).content.decode()
    by_id = client.get(reverse("talent:person_pick"), {"field": "person", "q": full}).content.decode()
    enterprises = client.get(
        reverse("talent:enterprise_pick"), {"field": "enterprise", "q": "甲化工"}
    ).content.decode()
    # then the radio carries the field's name, the page the masked number and never the full one
    assert f'name="master" value="{w.employee_a.pk}"' in by_name
    assert f'name="person" value="{w.employee_a.pk}"' in by_id
    for page in (by_name, by_id):
        assert w.employee_a.id_number_masked in page and full not in page
    assert w.enterprise_a.name in enterprises and w.enterprise_b.name not in enterprises
