"""Progress recomputed by hand from records made here (新民社发〔2025〕13号 附件1, 2025 table).

The scenario (`scenario` fixture), all in 兰州新区 2025:

  class  inst unit      type / occupation / level          closed      trainees
  c1     A    centre-1  就业 焊工 培训合格证                03-20       p1 (防返贫), p2, p3 qualified; 1 unqualified, 1 withdrawn
  c2     A    centre-1  就业 养老护理员 高级工 劳务品牌       05-10       p1 again, p4 qualified
  c3     B    centre-2  岗位 电子商务师 培训合格证            06-15       p5, p6 qualified
  c4     B    centre-2  创业 SYB                           06-30       p7 qualified
  c5     B    centre-2  项目化(就业) 电工 培训合格证          04-01       p8 qualified
  c6     A    centre-1  企业新型学徒制 焊工 高级工             07-05       2 qualified (after the report date)
  c7     A    centre-1  就业 焊工                           2024-12-31  2 qualified (last year)
  c8     A    centre-1  就业, approved through the services, not closed: 3 enrolled
  r1     recipient of the skill-upgrade subsidy, centre-2, 养老护理员 高级工, paid 06-01
Institution B is registered as a national high-skill base (talent extension point).
"""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from gongjiang.targets import extensions
from gongjiang.targets.models import TargetGoal
from gongjiang.targets.progress import (
    Scope,
    builtin_measure,
    counted_trainees,
    cumulative_by_month,
    goal_progress,
    period_counts,
    rates,
    table_progress,
    year_elapsed_percent,
)
from gongjiang.targets.services import targets_load_reference

from .factories import (
    closed_class,
    person,
)

AS_OF = dt.date(2025, 6, 30)
D = decimal.Decimal


def figures(progress, unit_id):
    row = next(r for r in progress.rows if r.unit_id == unit_id)
    return {column: cell.done for column, cell in row.cells.items() if cell.done}


def test_year_to_date_done_per_unit_and_column(scenario):
    w = scenario
    # when
    progress = table_progress(Scope(w.jurisdiction), w.jurisdiction.targettable_set.get(year=2025), AS_OF)
    # then centre 1: c1's 3 qualified + c2's 2 (p1 counts in both: 人次); c6 closed in July, c7 in 2024
    assert figures(progress, w.centre_1.pk) == {
        "total": 5,
        "employment": 5,
        "high_skill": 2,  # c2 is at 高级工
        "elderly_care": 2,  # 养老护理员
        "labour_brand": 2,
        "poverty_monitoring": 2,  # p1, once per class
    }
    # centre 2: c3 (post at a national base, 电商), c4 (startup), c5 (project on employment, national
    # base), and r1 (附件1 备注: 合计, 岗位, 高技能 at 高级工, 康养 by occupation)
    assert figures(progress, w.centre_2.pk) == {
        "total": 5,
        "employment": 1,
        "employment_national_base": 1,
        "post": 3,
        "post_national_base": 2,
        "startup": 1,
        "high_skill": 1,
        "elderly_care": 1,
        "ecommerce": 2,
    }
    total = progress.total.cells
    assert (total["total"].done, total["total"].target) == (10, 12000)
    assert total["total"].done == total["employment"].done + total["post"].done + total["startup"].done


def test_percentages_elapsed_share_and_lagging(scenario):
    w = scenario
    # given 30 June 2025: 181 of 365 days gone
    assert year_elapsed_percent(2025, AS_OF) == D("49.6")
    # when
    progress = table_progress(Scope(w.jurisdiction), w.jurisdiction.targettable_set.get(year=2025), AS_OF)
    row = next(r for r in progress.rows if r.unit_id == w.centre_2.pk)
    # then 3 of 2000 post = 0.15% → 0.2 (one decimal), far behind 49.6% − 10: lagging
    assert row.cells["post"].percent == D("0.2")
    assert row.cells["post"].lagging is True
    # “/” in the table (centre 2 has no 就业·国家级 task): done shown, no percentage, never lagging
    assert row.cells["employment_national_base"].target is None
    assert row.cells["employment_national_base"].percent is None
    assert row.cells["employment_national_base"].lagging is False


def test_a_cell_on_track_is_not_lagging(tw):
    w = tw
    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    # given centre 1's 防止返贫 task is 25; 12 done by 30 June is 48%, within 10 points of 49.6%
    closed_class(
        w, closed_on=dt.date(2025, 6, 1), people=[person(w, is_poverty_monitoring=True) for _ in range(12)]
    )
    # when
    progress = table_progress(Scope(w.jurisdiction), w.jurisdiction.targettable_set.get(year=2025), AS_OF)
    cell = next(r for r in progress.rows if r.unit_id == w.centre_1.pk).cells["poverty_monitoring"]
    # then
    assert (cell.done, cell.target, cell.percent, cell.lagging) == (12, 25, D("48.0"), False)


def test_month_figures(scenario):
    w = scenario
    # when June only
    counts = period_counts(Scope(w.jurisdiction), dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    # then c3 (2), c4 (1) and r1 (1), all centre 2
    assert counts[(w.centre_2.pk, "total")] == 4
    assert counts[(w.centre_1.pk, "total")] == 0
    # and July brings the apprentices (c6, 岗位 and 高技能 at 高级工) in centre 1
    july = period_counts(Scope(w.jurisdiction), dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    assert (july[(w.centre_1.pk, "post")], july[(w.centre_1.pk, "high_skill")]) == (2, 2)


def test_cumulative_by_month(scenario):
    # then March 3 (c1), April 4 (c5), May 6 (c2), June 10 (c3, c4, r1); nothing after the report date
    assert cumulative_by_month(Scope(scenario.jurisdiction), 2025, AS_OF, "total") == [
        0,
        0,
        3,
        4,
        6,
        10,
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_an_institution_clerk_sees_only_their_institution(scenario):
    w = scenario
    # when institution A's scope
    progress = table_progress(
        Scope(w.jurisdiction, institution_id=w.institution_a.pk),
        w.jurisdiction.targettable_set.get(year=2025),
        AS_OF,
    )
    # then only c1 and c2, no recipient, and no targets to compare with
    assert progress.total.cells["total"].done == 5
    assert figures(progress, w.centre_2.pk) == {}
    assert progress.show_targets is False
    assert all(cell.target is None for row in progress.rows for cell in row.cells.values())


def test_rates(scenario):
    w = scenario
    # when
    by_unit = {r.unit_id: r for r in rates(Scope(w.jurisdiction), 2025, AS_OF)}
    # then 取证率 over employment + post trainees (四(三)): centre 1 has c1[0] (06-01) and c2[1]
    # (06-10) of 5; c1[1]'s certificate is dated after 30 June; centre 2's only certificate is a
    # 培训合格证, not one of the five vocational certificates
    assert (
        by_unit[w.centre_1.pk].certification.numerator,
        by_unit[w.centre_1.pk].certification.denominator,
    ) == (2, 5)
    assert by_unit[w.centre_1.pk].certification.percent == D("40.0")
    assert (
        by_unit[w.centre_2.pk].certification.numerator,
        by_unit[w.centre_2.pk].certification.denominator,
    ) == (0, 3)
    assert by_unit[None].certification.percent == D("25.0")  # 2 of 8
    assert by_unit[None].certification.below is True  # < 40%
    # 就业率 over employment trainees: c1's three of centre 1's five; c5's one in centre 2 has none
    assert by_unit[w.centre_1.pk].employment.percent == D("60.0")
    assert by_unit[None].employment.percent == D("50.0")  # 3 of 6
    assert by_unit[None].employment.below is False  # 50% is the floor, not below it


def test_builtin_goal_measures(scenario):
    w = scenario
    scope, start = Scope(w.jurisdiction), dt.date(2025, 1, 1)

    def measure(key):
        return builtin_measure(scope, key, start, AS_OF)

    # then
    assert measure("employed_after_employment_training") == 3
    assert measure("certified_after_employment_training") == 2
    assert measure("certified_after_post_training") == 0
    assert measure("employed_after_startup_training") == 1
    assert measure("high_level_certified_after_training") == 1  # c2[1]'s 高级工 certificate
    assert measure("persons_trained") == 8  # p1 counted once
    assert measure("pass_rate") == D("90.0")  # 9 qualified, 1 unqualified in classes closed by 30 June
    assert measure("apprentices_trained") == 2  # c6 started 15 June
    assert len(counted_trainees(scope, start, AS_OF)) == 9


def test_goal_progress(scenario):
    w = scenario
    goals = {g.key: g for g in TargetGoal.objects.filter(jurisdiction=w.jurisdiction)}
    # when
    total = goal_progress(goals["lzxq-2025-training-total"], 2025, AS_OF)
    employed = goal_progress(goals["lzxq-2025-employment-employed"], 2025, AS_OF)
    platform = goal_progress(goals["lzxq-2025-provincial-platform"], 2025, AS_OF)
    # then the training total includes the recipient (the 2025 table counts them)
    assert (total.value, total.status, total.percent) == (10, "measured", D("0.1"))
    assert (employed.value, employed.met) == (3, False)
    # a talent measure (registered by the talent app): no provincial platform recorded in 2025
    assert (platform.value, platform.status) == (0, "measured")


def test_a_registered_talent_measure_is_used(tw, monkeypatch):
    w = tw
    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    monkeypatch.setattr(extensions, "_measure_providers", {})
    extensions.register_measure("talent.new_provincial_platforms", lambda j, start, end: 1)
    goal = TargetGoal.objects.get(jurisdiction=w.jurisdiction, key="lzxq-2025-provincial-platform")
    # when
    result = goal_progress(goal, 2025, AS_OF)
    # then
    assert (result.value, result.met, result.percent) == (1, True, D("100.0"))
    with pytest.raises(ValueError, match="unknown external measure"):
        extensions.register_measure("talent.unknown", lambda j, s, e: 0)


def test_without_a_recorded_national_base_no_class_is_at_a_national_base(tw):
    w = tw
    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    closed_class(w, closed_on=dt.date(2025, 5, 1), qualified=2, institution=w.institution_b)
    # when
    counts = period_counts(Scope(w.jurisdiction), dt.date(2025, 1, 1), AS_OF)
    # then the talent app answers (connected) but records no national base: nothing in the
    # 其中：国家级基地承接 columns
    assert counts[(w.centre_2.pk, "employment")] == 2
    assert counts[(w.centre_2.pk, "employment_national_base")] == 0
    assert extensions.national_bases_connected() is True
