"""Progress, computed on every read from the platform's records (never stored). The rules of what
counts are in `counting`; this module finds the records and adds them up.

    counted_trainees(scope, start, end)   the qualified trainees of classes closed in the period
    counted_recipients(scope, start, end)  skill-upgrade subsidy recipients paid in the period
    table_progress(scope, table, as_of)   target / done / % per unit and column, 1 Jan .. as_of,
                                          and the share of the year elapsed (lagging cells)
    period_counts(...)                    done per (unit, column) for any period (the month report)
    cumulative_by_month(...)              done by month, for “progress against time”
    rates(scope, year, as_of)             certification and employment rates per unit
    goal_progress(goal, year, as_of)      a written goal's live figure, when the platform has one

`Scope` is the user's view: a whole jurisdiction, or one institution's classes (an institution
clerk sees only what their own classes contributed; see `selectors.scope_for`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q

from gongjiang.registry.models import ServiceUnit
from gongjiang.training.choices import ClassStatus, EnrolmentStatus, TrainingType
from gongjiang.training.models import EmploymentRecord, Enrolment

from . import extensions
from .choices import COLUMN_ORDER, TargetColumn
from .counting import HIGH_SKILL_RANK, ClassFacts, class_columns, recipient_columns, trainee_columns
from .models import SkillUpgradeRecipient, TargetGoal, TargetTable
from .reference import occupation_categories

HUNDRED = decimal.Decimal(100)
ONE_DECIMAL = decimal.Decimal("0.1")


def _round(value: decimal.Decimal) -> decimal.Decimal:
    """Percentages to one decimal, rounding halves up (四舍五入), as a report is read."""
    return value.quantize(ONE_DECIMAL, rounding=decimal.ROUND_HALF_UP)


# A cell lags when its completion is more than this many points behind the share of the year gone.
LAG_POINTS = decimal.Decimal(10)
# The five kinds of vocational certificate of 四(三); the 培训合格证 is not one of them.
VOCATIONAL_CERTIFICATES = (
    "occupational_qualification",
    "skill_level_certificate",
    "special_ability",
    "special_operation",
    "special_equipment",
)
LEVELLED_CERTIFICATES = ("occupational_qualification", "skill_level_certificate")
RATE_KINDS = (TargetColumn.EMPLOYMENT.value, TargetColumn.POST.value)
COUNTED_CLASS_STATUSES = (ClassStatus.CLOSED,)

BUILTIN_MEASURES: dict[str, str] = {
    **{f"column:{c}": f"{TargetColumn(c).label}（人次）" for c in COLUMN_ORDER},
    "employed_after_employment_training": "就业技能培训合格后实现就业（人）",
    "certified_after_employment_training": "就业技能培训合格后取得职业技能证书（人）",
    "certified_after_post_training": "岗位技能培训合格后取得职业技能证书（人）",
    "employed_after_startup_training": "创业培训合格后实现创业或就业（人）",
    "high_level_certified_after_training": "就业、岗位技能培训后取得高级工以上证书（人）",
    "certification_rate": "就业、岗位技能培训合格人员取证率（%）",
    "employment_rate": "就业技能培训合格人员就业率（%）",
    "pass_rate": "培训合格率（%）",
    "persons_trained": "培训合格人数（人，同一人只计一次）",
    "apprentices_trained": "企业新型学徒制在训及结业人数（人）",
}


@dataclass(frozen=True)
class Scope:
    jurisdiction: Any
    institution_id: int | None = None  # an institution clerk: that institution's classes only

    @property
    def includes_recipients(self) -> bool:
        return self.institution_id is None


@dataclass(frozen=True)
class CountedTrainee:
    enrolment_id: int
    person_id: int
    class_id: int
    unit_id: int
    closed_on: dt.date
    columns: frozenset[str]
    certified: bool
    employed: bool
    high_level_certified: bool


@dataclass(frozen=True)
class CountedRecipient:
    recipient_id: int
    unit_id: int
    paid_on: dt.date
    columns: frozenset[str]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def year_elapsed_percent(year: int, as_of: dt.date) -> decimal.Decimal:
    """The share of the calendar year gone by the end of `as_of`, in percent (one decimal)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if as_of < start:
        return decimal.Decimal(0)
    if as_of >= end:
        return HUNDRED
    days = (as_of - start).days + 1
    total = (end - start).days + 1
    return _round(HUNDRED * days / total)


def percent(done: int, target: int | None) -> decimal.Decimal | None:
    if not target:
        return None
    return _round(HUNDRED * done / target)


def _enrolments(scope: Scope, start: dt.date, end: dt.date) -> Any:
    qs = Enrolment.objects.filter(
        status=EnrolmentStatus.QUALIFIED,
        training_class__status__in=COUNTED_CLASS_STATUSES,
        training_class__jurisdiction=scope.jurisdiction,
        training_class__closed_on__gte=start,
        training_class__closed_on__lte=end,
    )
    if scope.institution_id is not None:
        qs = qs.filter(training_class__institution_id=scope.institution_id)
    return qs


def _certificates(end: dt.date, types: Iterable[str], **extra: Any) -> Any:
    through = Enrolment.obtained_certificates.through
    return through.objects.filter(
        enrolment_id=OuterRef("pk"),
        personcertificate__issued_on__lte=end,
        personcertificate__certificate_type__code__in=list(types),
        **extra,
    )


def counted_trainees(scope: Scope, start: dt.date, end: dt.date) -> list[CountedTrainee]:
    """Every counted trainee-in-class of the period with its columns, oldest closing first.

    `certified` / `employed` look at records dated on or before `end` (a certificate issued later
    does not change a past month's report)."""
    rows = (
        _enrolments(scope, start, end)
        .annotate(
            certified=Exists(_certificates(end, VOCATIONAL_CERTIFICATES)),
            high_level=Exists(
                _certificates(end, LEVELLED_CERTIFICATES, personcertificate__level__rank__gte=HIGH_SKILL_RANK)
            ),
            employed=Exists(
                EmploymentRecord.objects.filter(enrolment_id=OuterRef("pk"), started_on__lte=end)
            ),
        )
        .values(
            "id",
            "person_id",
            "person__is_poverty_monitoring",
            "training_class_id",
            "training_class__service_unit_id",
            "training_class__training_type",
            "training_class__project_base",
            "training_class__level",
            "training_class__occupation__name",
            "training_class__labour_brand",
            "training_class__institution_id",
            "training_class__closed_on",
            "certified",
            "high_level",
            "employed",
        )
        .order_by("training_class__closed_on", "training_class_id", "id")
    )
    categories = occupation_categories()
    bases_by_day: dict[dt.date, frozenset[int]] = {}
    class_cols: dict[int, frozenset[str]] = {}
    counted = []
    for row in rows:
        class_id = row["training_class_id"]
        closed_on = row["training_class__closed_on"]
        if class_id not in class_cols:
            if closed_on not in bases_by_day:
                bases_by_day[closed_on] = extensions.national_base_institution_ids(
                    scope.jurisdiction, closed_on
                )
            category = row["training_class__training_type"]
            if category == TrainingType.PROJECT:
                category = row["training_class__project_base"]
            facts = ClassFacts(
                category=category,
                level=row["training_class__level"],
                occupation_name=row["training_class__occupation__name"],
                labour_brand=row["training_class__labour_brand"],
                at_national_base=row["training_class__institution_id"] in bases_by_day[closed_on],
            )
            class_cols[class_id] = class_columns(facts, categories)
        counted.append(
            CountedTrainee(
                enrolment_id=row["id"],
                person_id=row["person_id"],
                class_id=class_id,
                unit_id=row["training_class__service_unit_id"],
                closed_on=closed_on,
                columns=trainee_columns(
                    class_cols[class_id], poverty_monitoring=row["person__is_poverty_monitoring"]
                ),
                certified=row["certified"],
                employed=row["employed"],
                high_level_certified=row["high_level"],
            )
        )
    return counted


def recipients_counted_in(year: int, jurisdiction: Any) -> bool:
    return TargetTable.objects.filter(
        jurisdiction=jurisdiction, year=year, counts_skill_upgrade_recipients=True
    ).exists()


def counted_recipients(scope: Scope, start: dt.date, end: dt.date) -> list[CountedRecipient]:
    """Skill-upgrade subsidy recipients paid in the period, for years whose table counts them."""
    if not scope.includes_recipients:
        return []
    years = [y for y in range(start.year, end.year + 1) if recipients_counted_in(y, scope.jurisdiction)]
    if not years:
        return []
    categories = occupation_categories()
    rows = (
        SkillUpgradeRecipient.objects.filter(
            jurisdiction=scope.jurisdiction, year__in=years, paid_on__gte=start, paid_on__lte=end
        )
        .values("id", "service_unit_id", "paid_on", "level__rank", "occupation__name")
        .order_by("paid_on", "id")
    )
    return [
        CountedRecipient(
            recipient_id=row["id"],
            unit_id=row["service_unit_id"],
            paid_on=row["paid_on"],
            columns=recipient_columns(
                level_rank=row["level__rank"], occupation_name=row["occupation__name"], categories=categories
            ),
        )
        for row in rows
    ]


Counts = Counter[tuple[int, str]]


def period_counts(scope: Scope, start: dt.date, end: dt.date) -> Counts:
    """Done per (unit id, column) in the period: counted trainees plus counted recipients."""
    counts: Counts = Counter()
    for trainee in counted_trainees(scope, start, end):
        for column in trainee.columns:
            counts[(trainee.unit_id, column)] += 1
    for recipient in counted_recipients(scope, start, end):
        for column in recipient.columns:
            counts[(recipient.unit_id, column)] += 1
    return counts


@dataclass
class Cell:
    column: str
    target: int | None
    done: int
    elapsed: decimal.Decimal

    @property
    def percent(self) -> decimal.Decimal | None:
        return percent(self.done, self.target)

    @property
    def lagging(self) -> bool:
        pct = self.percent
        return pct is not None and pct < self.elapsed - LAG_POINTS


@dataclass
class Row:
    unit_id: int | None  # None: the 合计 row
    unit_name: str
    cells: dict[str, Cell] = field(default_factory=dict)

    def ordered(self) -> list[Cell]:
        return [self.cells[c] for c in COLUMN_ORDER]


@dataclass
class TableProgress:
    table: TargetTable
    as_of: dt.date
    start: dt.date
    end: dt.date
    elapsed: decimal.Decimal
    rows: list[Row]
    show_targets: bool = True

    @property
    def total(self) -> Row:
        return self.rows[-1]


def targets_by_unit(table: TargetTable) -> dict[int, dict[str, int | None]]:
    grid: dict[int, dict[str, int | None]] = defaultdict(dict)
    for cell in table.cells.all():
        grid[cell.service_unit_id][cell.column] = cell.value
    return grid


def build_rows(
    table: TargetTable, counts: Counts, elapsed: decimal.Decimal, *, with_targets: bool = True
) -> list[Row]:
    """Unit rows (the table's units in order, then any other unit that has done figures) and the
    合计 row. A target of None is the document's “/”."""
    targets = targets_by_unit(table) if with_targets else {}
    unit_ids = list(
        table.cells.order_by("service_unit_id").values_list("service_unit_id", flat=True).distinct()
    )
    for unit_id, _column in sorted(counts):
        if unit_id not in unit_ids:
            unit_ids.append(unit_id)
    names = dict(ServiceUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    rows = []
    for unit_id in unit_ids:
        row = Row(unit_id=unit_id, unit_name=names.get(unit_id, ""))
        for column in COLUMN_ORDER:
            row.cells[column] = Cell(
                column=column,
                target=targets.get(unit_id, {}).get(column),
                done=counts.get((unit_id, column), 0),
                elapsed=elapsed,
            )
        rows.append(row)
    total = Row(unit_id=None, unit_name="合计")
    for column in COLUMN_ORDER:
        unit_targets = [r.cells[column].target for r in rows if r.cells[column].target is not None]
        total.cells[column] = Cell(
            column=column,
            target=sum(t for t in unit_targets if t is not None) if unit_targets else None,
            done=sum(r.cells[column].done for r in rows),
            elapsed=elapsed,
        )
    rows.append(total)
    return rows


def table_progress(scope: Scope, table: TargetTable, as_of: dt.date) -> TableProgress:
    """Target, done (1 January to `as_of`), % and lagging per unit and column."""
    start = dt.date(table.year, 1, 1)
    end = min(as_of, dt.date(table.year, 12, 31))
    elapsed = year_elapsed_percent(table.year, as_of)
    counts = period_counts(scope, start, end) if end >= start else Counter()
    with_targets = scope.institution_id is None
    return TableProgress(
        table=table,
        as_of=as_of,
        start=start,
        end=end,
        elapsed=elapsed,
        rows=build_rows(table, counts, elapsed, with_targets=with_targets),
        show_targets=with_targets,
    )


def cumulative_by_month(scope: Scope, year: int, as_of: dt.date, column: str) -> list[int | None]:
    """Done in `column` (all units) accumulated to the end of each month; None for months after
    `as_of`."""
    end = min(as_of, dt.date(year, 12, 31))
    monthly = [0] * 12
    if end >= dt.date(year, 1, 1):
        for trainee in counted_trainees(scope, dt.date(year, 1, 1), end):
            if column in trainee.columns:
                monthly[trainee.closed_on.month - 1] += 1
        for recipient in counted_recipients(scope, dt.date(year, 1, 1), end):
            if column in recipient.columns:
                monthly[recipient.paid_on.month - 1] += 1
    series: list[int | None] = []
    running = 0
    for month in range(1, 13):
        if dt.date(year, month, 1) > end:
            series.append(None)
            continue
        running += monthly[month - 1]
        series.append(running)
    return series


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    threshold: decimal.Decimal

    @property
    def percent(self) -> decimal.Decimal | None:
        return percent(self.numerator, self.denominator)

    @property
    def below(self) -> bool:
        pct = self.percent
        return pct is not None and pct < self.threshold


@dataclass(frozen=True)
class UnitRates:
    unit_id: int | None
    unit_name: str
    certification: Rate
    employment: Rate


# 四(三): 取证 ≥ 40% of the qualified trainees of employment and post training; 就业率 ≥ 50% of
# employment training (附件2 3.3 “培训合格学员就业率不低于50%”).
CERTIFICATION_THRESHOLD = decimal.Decimal(40)
EMPLOYMENT_THRESHOLD = decimal.Decimal(50)


def rates(scope: Scope, year: int, as_of: dt.date) -> list[UnitRates]:
    """Certification and employment rates of the year's counted trainees, per unit and in total."""
    end = min(as_of, dt.date(year, 12, 31))
    trainees = counted_trainees(scope, dt.date(year, 1, 1), end)
    per_unit: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for trainee in trainees:
        for key in (trainee.unit_id, None):
            tally = per_unit[key]
            if trainee.columns & set(RATE_KINDS):
                tally[0] += trainee.certified
                tally[1] += 1
            if TargetColumn.EMPLOYMENT in trainee.columns:
                tally[2] += trainee.employed
                tally[3] += 1
    unit_ids = sorted(k for k in per_unit if k is not None)
    names = dict(ServiceUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    result = []
    for key in [*unit_ids, None]:
        tally = per_unit[key]
        result.append(
            UnitRates(
                unit_id=key,
                unit_name=names.get(key, "") if key is not None else "合计",
                certification=Rate(tally[0], tally[1], CERTIFICATION_THRESHOLD),
                employment=Rate(tally[2], tally[3], EMPLOYMENT_THRESHOLD),
            )
        )
    return result


# --- written goals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalProgress:
    goal: TargetGoal
    start: dt.date | None
    end: dt.date | None
    value: decimal.Decimal | int | None  # None: not measured (yet)
    status: str  # "measured" | "not_connected" | "not_tracked" | "outside_period"
    measure_label: str
    basis: str = ""  # what an external figure rests on, or why it is not measured (`extensions.Figure`)

    @property
    def percent(self) -> decimal.Decimal | None:
        if self.value is None or self.goal.unit == "%":
            return None
        return _round(HUNDRED * decimal.Decimal(self.value) / self.goal.value)

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return decimal.Decimal(self.value) >= self.goal.value


def goal_period(goal: TargetGoal, year: int, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period a goal is measured over for the dashboard's `year`: that year for a yearly goal
    inside its years; from the goal's first year to `as_of` (at most its last year) otherwise."""
    if goal.per_year:
        if not goal.year_from <= year <= goal.year_to:
            return None
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        start, end = dt.date(goal.year_from, 1, 1), dt.date(goal.year_to, 12, 31)
    end = min(end, as_of)
    return (start, end) if end >= start else None


def _distinct(people: Iterable[int]) -> int:
    return len(set(people))


def builtin_measure(scope: Scope, key: str, start: dt.date, end: dt.date) -> decimal.Decimal | int | None:
    trainees = counted_trainees(scope, start, end)
    if key == "employed_after_employment_training":
        return _distinct(t.person_id for t in trainees if t.employed and TargetColumn.EMPLOYMENT in t.columns)
    if key == "certified_after_employment_training":
        return _distinct(
            t.person_id for t in trainees if t.certified and TargetColumn.EMPLOYMENT in t.columns
        )
    if key == "certified_after_post_training":
        return _distinct(t.person_id for t in trainees if t.certified and TargetColumn.POST in t.columns)
    if key == "employed_after_startup_training":
        return _distinct(t.person_id for t in trainees if t.employed and TargetColumn.STARTUP in t.columns)
    if key == "high_level_certified_after_training":
        return _distinct(
            t.person_id for t in trainees if t.high_level_certified and t.columns & set(RATE_KINDS)
        )
    if key == "certification_rate":
        base = [t for t in trainees if t.columns & set(RATE_KINDS)]
        return percent(sum(t.certified for t in base), len(base))
    if key == "employment_rate":
        base = [t for t in trainees if TargetColumn.EMPLOYMENT in t.columns]
        return percent(sum(t.employed for t in base), len(base))
    if key == "persons_trained":
        return _distinct(t.person_id for t in trainees)
    if key == "pass_rate":
        assessed = Enrolment.objects.filter(
            status__in=(EnrolmentStatus.QUALIFIED, EnrolmentStatus.UNQUALIFIED),
            training_class__status__in=COUNTED_CLASS_STATUSES,
            training_class__jurisdiction=scope.jurisdiction,
            training_class__closed_on__gte=start,
            training_class__closed_on__lte=end,
        )
        return percent(assessed.filter(status=EnrolmentStatus.QUALIFIED).count(), assessed.count())
    if key == "apprentices_trained":
        return (
            Enrolment.objects.filter(
                ~Q(status=EnrolmentStatus.WITHDRAWN),
                training_class__training_type=TrainingType.APPRENTICESHIP,
                training_class__status__in=(ClassStatus.APPROVED, ClassStatus.CLOSING, ClassStatus.CLOSED),
                training_class__jurisdiction=scope.jurisdiction,
                training_class__start_date__gte=start,
                training_class__start_date__lte=end,
            )
            .values("person_id")
            .distinct()
            .count()
        )
    raise KeyError(key)


def goal_progress(goal: TargetGoal, year: int, as_of: dt.date) -> GoalProgress:
    """A goal's live figure for the whole jurisdiction (goals are the jurisdiction's, not a unit's)."""
    label = BUILTIN_MEASURES.get(goal.measure) or extensions.EXTERNAL_MEASURES.get(goal.measure, "")
    if not goal.measure:
        return GoalProgress(goal, None, None, None, "not_tracked", "")
    period = goal_period(goal, year, as_of)
    if period is None:
        return GoalProgress(goal, None, None, None, "outside_period", label)
    start, end = period
    scope = Scope(goal.jurisdiction)
    if goal.measure in extensions.EXTERNAL_MEASURES:
        figure = extensions.external_figure(goal.measure, goal.jurisdiction, start, end)
        value = figure.value if figure else None
        status = "measured" if value is not None else "not_connected"
        return GoalProgress(goal, start, end, value, status, label, figure.basis if figure else "")
    if goal.measure.startswith("column:"):
        column = goal.measure.removeprefix("column:")
        counts = period_counts(scope, start, end)
        value = sum(n for (_unit, col), n in counts.items() if col == column)
    else:
        value = builtin_measure(scope, goal.measure, start, end)
    return GoalProgress(goal, start, end, value, "measured", label)
