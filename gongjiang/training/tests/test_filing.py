"""Filing a class and its review (新民社发〔2025〕13号 附件2 3.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.registry import services as registry
from gongjiang.training.choices import ClassEventType, ClassStatus
from gongjiang.training.models import ClassSession, TrainingClass
from gongjiang.training.selectors import review_queue
from gongjiang.training.services import filing, roster, timetable

from .factories import (
    add_filing_evidence,
    draft_class,
    new_trainee_row,
    ready_class,
    roster_csv,
    submitted_class,
    timetable_csv,
)

pytestmark = pytest.mark.django_db


def test_a_draft_takes_its_class_and_minimum_hours_from_the_pack(tw):
    # when an institution clerk files a 焊工 employment-skill class
    training_class = draft_class(tw)
    # then 焊工 is an A类 occupation (附件3) whose classes need 120 课时 (四(一) A类不少于120课时)
    assert training_class.subsidy_class == "A"
    assert training_class.required_hours == 120
    assert training_class.status == ClassStatus.DRAFT
    assert training_class.code == f"PX{training_class.start_date.year}-{training_class.pk:06d}"
    assert training_class.service_unit == tw.institution_a.service_unit
    assert list(training_class.events.values_list("event_type", flat=True)) == [ClassEventType.CREATED]
    assert AuditEvent.objects.filter(event_type="class_created", object_id=str(training_class.pk)).exists()


def test_startup_and_project_minimum_hours(tw):
    from gongjiang.catalog.models import StartupCourse

    # given the startup courses of 四(一) and project training of 附件3 备注6
    gyb = StartupCourse.objects.get(code="GYB")
    startup = draft_class(tw, training_type="startup", startup_course=gyb, occupation=None, level="")
    project = draft_class(tw, training_type="project", project_base="employment")
    # then GYB needs 24 课时 and project training 60 课时
    assert (startup.required_hours, startup.occupation, startup.level) == (24, None, "")
    assert project.required_hours == 60


def test_a_blacklisted_or_unfiled_institution_cannot_file(tw):
    # given institution A on the black list
    registry.institution_set_list_state(
        actor=tw.root, institution=tw.institution_a, state="black", reason="虚假培训"
    )
    # when its clerk files, then it is refused and nothing is written
    with pytest.raises(DomainError) as refused:
        draft_class(tw)
    assert refused.value.code == "institution_blacklisted"
    assert "黑名单" in refused.value.message
    assert TrainingClass.objects.count() == 0


def test_type_level_and_scope_are_checked(tw):
    from gongjiang.catalog.models import Occupation

    # an apprenticeship cannot aim at 培训合格证, a post class needs its enterprise
    with pytest.raises(DomainError, match="培训等级须为"):
        draft_class(tw, training_type="apprenticeship", enterprise=tw.enterprise_a, level="cert")
    with pytest.raises(DomainError, match="须填写企业"):
        draft_class(tw, training_type="enterprise_post")
    # an occupation outside the institution's filed scope is refused
    other = Occupation.objects.create(name="茶艺师")
    with pytest.raises(DomainError) as refused:
        draft_class(tw, occupation=other)
    assert refused.value.code == "occupation_out_of_scope"


def test_clerks_file_only_for_their_own_institution(tw):
    with pytest.raises(PermissionDenied):
        draft_class(tw, institution=tw.institution_b)


def test_timetable_sets_hours_and_teachers(tw):
    # given a draft
    training_class = draft_class(tw)
    # when the 15-day timetable is imported
    sessions = timetable.timetable_import(
        actor=tw.clerk, training_class=training_class, filename="t.csv", data=timetable_csv(training_class)
    )
    training_class.refresh_from_db()
    # then 9 theory mornings × 4 = 36 theory hours, 21 × 4 = 84 practice hours
    assert len(sessions) == 30
    assert (training_class.theory_hours, training_class.practice_hours) == (36, 84)
    assert list(training_class.teachers.all()) == [tw.teacher_a]


def test_a_bad_timetable_row_refuses_the_whole_file(tw):
    # given a draft with a valid timetable already
    training_class = draft_class(tw)
    timetable.timetable_import(
        actor=tw.clerk, training_class=training_class, filename="t.csv", data=timetable_csv(training_class)
    )
    day = training_class.start_date
    late = training_class.end_date + dt.timedelta(days=3)
    bad = (
        "日期,开始时间,结束时间,类型,课时,教学内容,教师备案编号\n"
        f"{day},08:00,11:00,理论,4,安全,XQSZ-2025-001\n"
        f"{day},10:00,12:00,实操,2,重叠,XQSZ-2025-001\n"
        f"{late},08:00,09:00,理论,1,超期,XQSZ-2025-001\n"
        f"{day},13:00,14:00,实操,2,太长,XQSZ-2025-001\n"
        f"{day},15:00,16:00,实操,1,他校教师,XQSZ-2025-002\n"
    ).encode()
    # when it is imported
    with pytest.raises(DomainError) as refused:
        timetable.timetable_import(actor=tw.clerk, training_class=training_class, filename="t.csv", data=bad)
    # then every bad row is listed with its column and reason, and the old timetable is intact
    found = {(e["row"], e["column"]) for e in refused.value.details}
    assert found == {(3, "开始时间"), (4, "日期"), (5, "课时"), (6, "教师备案编号")}
    messages = {e["row"]: e["message"] for e in refused.value.details}
    assert "重叠" in messages[3]
    assert "不在开班日期" in messages[4]
    assert "90 分钟" in messages[5]  # 2 课时 × 45 分钟 > 60 分钟
    assert "不是本机构的备案师资" in messages[6]
    assert ClassSession.objects.filter(training_class=training_class).count() == 30


def test_submission_lists_everything_missing_and_changes_nothing(tw):
    # given a draft with nothing but its basics
    training_class = draft_class(tw)
    # when it is submitted
    with pytest.raises(DomainError) as refused:
        filing.class_submit(actor=tw.clerk, training_class=training_class)
    # then each missing item is named
    assert refused.value.code == "filing_incomplete"
    for item in ("已导入课程表", "场地证明", "培训方案", "培训应急预案", "花名册至少一名学员"):
        assert any(item in line for line in refused.value.details)
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.DRAFT


def test_hours_below_the_minimum_block_submission(tw):
    # given a 焊工 (A类) class whose timetable has 10 days × 8 = 80 课时, under the 120 of 四(一)
    begin = timezone.localdate() + dt.timedelta(days=10)
    training_class = ready_class(tw, start_date=begin, end_date=begin + dt.timedelta(days=9))
    # when submitted, then refused with the figures and the citation
    with pytest.raises(DomainError) as refused:
        filing.class_submit(actor=tw.clerk, training_class=training_class)
    assert any("80 课时，最低 120 课时" in line and "四(一)" in line for line in refused.value.details)


def test_submission_starts_a_five_working_day_clock_across_national_day(tw):
    # given a class opening after the 2025 National Day holiday
    training_class = ready_class(tw, start_date=dt.date(2025, 10, 13), end_date=dt.date(2025, 10, 27))
    # when it is submitted on Friday 26 September 2025
    filing.class_submit(actor=tw.clerk, training_class=training_class, today=dt.date(2025, 9, 26))
    training_class.refresh_from_db()
    # then the day of submission does not count; Sunday 28 Sept is a make-up working day (1),
    # 29 (2), 30 (3), 1–8 October are holidays, 9 (4), 10 (5): due Friday 10 October
    assert training_class.status == ClassStatus.SUBMITTED
    assert training_class.submitted_on == dt.date(2025, 9, 26)
    assert training_class.review_due_on == dt.date(2025, 10, 10)
    # and the reviewer's queue counts working days left, negative once overdue
    on_30th = review_queue(tw.reviewer, today=dt.date(2025, 9, 30))
    assert [(i.training_class, i.days_left, i.overdue) for i in on_30th] == [(training_class, 2, False)]
    # Saturday 11 October is a make-up working day: one working day past the deadline
    [late] = review_queue(tw.reviewer, today=dt.date(2025, 10, 11))
    assert (late.days_left, late.overdue) == (-1, True)


def test_a_class_must_be_filed_before_it_opens(tw):
    training_class = ready_class(tw)
    with pytest.raises(DomainError) as refused:
        filing.class_submit(
            actor=tw.clerk,
            training_class=training_class,
            today=training_class.start_date + dt.timedelta(days=1),
        )
    assert refused.value.code == "too_late"


def test_low_practice_share_is_flagged_not_blocking(tw):
    # given a timetable with theory every morning: 60 theory + 60 practice = 50% practice
    training_class = draft_class(tw)
    timetable.timetable_import(
        actor=tw.clerk,
        training_class=training_class,
        filename="t.csv",
        data=timetable_csv(training_class, theory_days=15),
    )
    add_filing_evidence(tw, training_class)
    roster.roster_import(
        actor=tw.clerk, training_class=training_class, filename="r.csv", data=roster_csv([new_trainee_row()])
    )
    # when submitted
    filing.class_submit(actor=tw.clerk, training_class=training_class)
    # then it is submitted, and the timeline warns about 三(二) 3:7
    event = training_class.events.get(event_type=ClassEventType.SUBMITTED)
    assert "实操课时占比 50%" in event.message and "三(二)" in event.message


def test_review_approve_return_reject(tw):
    # given three submitted classes
    first, second, third = (submitted_class(tw) for _ in range(3))
    # a reason is required to return or reject
    with pytest.raises(DomainError):
        filing.class_return(actor=tw.reviewer, training_class=first, reason=" ")
    # when the reviewer decides
    filing.class_approve(actor=tw.reviewer, training_class=first, note="材料齐全")
    filing.class_return(actor=tw.reviewer, training_class=second, reason="场地照片不清晰")
    filing.class_reject(actor=tw.reviewer, training_class=third, reason="师资不足")
    # then
    statuses = {c.pk: c.status for c in TrainingClass.objects.all()}
    assert statuses == {
        first.pk: ClassStatus.APPROVED,
        second.pk: ClassStatus.RETURNED,
        third.pk: ClassStatus.REJECTED,
    }
    # a decided class cannot be decided again
    with pytest.raises(DomainError) as twice:
        filing.class_approve(actor=tw.reviewer, training_class=first)
    assert twice.value.code == "not_submitted"
    # a returned class is editable and its resubmission starts a new clock
    second.refresh_from_db()
    filing.class_update(actor=tw.clerk, training_class=second, venue_address="新区职教园区实训楼 5 层")
    filing.class_submit(actor=tw.clerk, training_class=second)
    second.refresh_from_db()
    assert second.status == ClassStatus.SUBMITTED
    timeline = list(second.events.values_list("event_type", flat=True))
    assert timeline[-3:] == [ClassEventType.RETURNED, ClassEventType.UPDATED, ClassEventType.SUBMITTED]


def test_only_the_units_reviewer_decides(tw):
    # given a class of institution B, supervised by the second centre
    clerk_b = tw.root
    training_class = draft_class(tw, actor=clerk_b, institution=tw.institution_b)
    timetable.timetable_import(
        actor=clerk_b,
        training_class=training_class,
        filename="t.csv",
        data=timetable_csv(training_class, teacher_number="XQSZ-2025-002"),
    )
    add_filing_evidence(tw, training_class, actor=clerk_b)
    roster.roster_import(
        actor=clerk_b, training_class=training_class, filename="r.csv", data=roster_csv([new_trainee_row()])
    )
    filing.class_submit(actor=clerk_b, training_class=training_class)
    # when the first centre's reviewer tries to approve it, then it is refused
    with pytest.raises(PermissionDenied):
        filing.class_approve(actor=tw.reviewer, training_class=training_class)
    # and it is not in their queue
    assert review_queue(tw.reviewer) == []


def test_cancel_before_approval_only(tw):
    training_class = submitted_class(tw)
    filing.class_cancel(actor=tw.clerk, training_class=training_class, reason="生源不足")
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CANCELLED
    with pytest.raises(DomainError):
        filing.class_cancel(actor=tw.clerk, training_class=training_class, reason="再次撤销")
