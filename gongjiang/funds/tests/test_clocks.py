"""The clocks of 附件2 4.2 on statutory working days, across the 2025 National Day holiday:
1–8 October 2025 off, with make-up working days on Sunday 28 September and Saturday 11 October
(国务院办公厅关于2025年部分节假日安排的通知, as chinese-calendar has it), and the bureau's overrides."""

from __future__ import annotations

import datetime as dt

from gongjiang.core.models import WorkingDayOverride

from .. import selectors, services
from ..clocks import clock
from ..tasks import overdue_digest_task
from .factories import reviewed, submitted, trainees

FRIDAY_26_SEPTEMBER = dt.date(2025, 9, 26)


def test_review_clock_of_15_working_days_across_national_day(fw):
    # given a submission on Friday 26 September 2025
    application = submitted(fw, trainees(fw, 1), today=FRIDAY_26_SEPTEMBER)
    # then 15 working days (附件2 4.2 审核15个工作日内) count: Sun 28 Sep (make-up) 1, 29 Sep 2, 30 Sep 3,
    # (1–8 Oct off) 9 Oct 4, 10 Oct 5, Sat 11 Oct (make-up) 6, 13–17 Oct 7–11, 20–23 Oct 12–15
    assert application.review_due_on == dt.date(2025, 10, 23)
    # and on Thursday 9 October, 11 working days are left: 10, 11 (2), 13–17 (5), 20–23 October (4)
    assert clock(application.review_due_on, dt.date(2025, 10, 9)).left == 11


def test_notice_and_payment_clocks_across_national_day(fw):
    # given a reviewed application published on Friday 26 September 2025
    application = reviewed(fw, trainees(fw, 1), today=FRIDAY_26_SEPTEMBER)
    notice = services.notice_publish(
        actor=fw.reviewer,
        applications=[application],
        title="公示",
        issuing_unit="人社局",
        today=FRIDAY_26_SEPTEMBER,
    )
    # then the 5-working-day window runs Sun 28 Sep, 29 Sep, 30 Sep, 9 Oct, 10 Oct → ends Friday 10 October
    assert notice.ends_on == dt.date(2025, 10, 10)
    # when it closes on Saturday 11 October (a make-up working day)
    services.notice_close(actor=fw.reviewer, notice=notice, today=dt.date(2025, 10, 11))
    line = application.lines.get()
    line.refresh_from_db()
    # then payment is due 5 working days after the window: Sat 11, 13, 14, 15, 16 October
    assert line.payment_due_on == dt.date(2025, 10, 16)
    # and on Friday 17 October it is overdue by one working day, and in the daily digest
    assert selectors.payment_queue(fw.finance, dt.date(2025, 10, 17))[0].clock.left == -1
    digest = overdue_digest_task.enqueue(day="2025-10-17").return_value
    assert digest["lanzhou-xinqu"]["payments"] == [f"{application.number}/{line.pk}"]


def test_the_bureau_override_wins_over_the_library(fw):
    # given the bureau declares Monday 29 September 2025 a day off (a local adjustment)
    WorkingDayOverride.objects.create(date=dt.date(2025, 9, 29), is_working_day=False, reason="本地调整")
    # when an application is submitted on Friday 26 September
    application = submitted(fw, trainees(fw, 1), today=FRIDAY_26_SEPTEMBER)
    # then the count skips it: one working day later than without the override (23 → 24 October)
    assert application.review_due_on == dt.date(2025, 10, 24)


def test_overdue_reviews_and_notices_are_in_the_digest(fw):
    # given a submission on 26 September (due 23 October) and nothing done
    application = submitted(fw, trainees(fw, 1), today=FRIDAY_26_SEPTEMBER)
    # when the digest runs on Friday 24 October
    digest = overdue_digest_task.enqueue(day="2025-10-24").return_value
    # then the review is listed as overdue; on the due day itself it was not
    assert digest["lanzhou-xinqu"]["reviews"] == [application.number]
    assert "lanzhou-xinqu" not in overdue_digest_task.enqueue(day="2025-10-23").return_value
