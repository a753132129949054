"""Follow-up and institution KPIs (新民社发〔2025〕13号 附件2 3.3 取证与就业服务, 四(三)), computed live
from the records — never stored — so a certificate or employment recorded a minute ago shows at once.

    closed class ──► follow-up period: closing date + 3 calendar months (附件2 3.3 "一季度内")
        │   certificates obtained (the five kinds of 四(三)), ≥3 就业推介, employment evidence
        ▼
    per class: certification rate = certified / qualified (goal ≥ 40%, 3.3 and 四(三))
               employment rate   = employed / qualified (goal ≥ 50%, employment-skill classes only)
               attendance anomalies, serious spot-check findings, follow-up state
        ▼
    per institution: the same rates pooled over its classes whose follow-up period has ended

Interpretations (each is the platform's reading of the text, recorded in docs/glossary.md):
- "一季度内" = three calendar months after the closing date, the deadline day included: closed on
  2025-11-30 → due 2026-02-28 (a month without that day ends on its last day). Counting calendar
  quarters instead would give a class closed on 31 March one day; three months treats every class alike.
- A trainee counts as certified when a certificate of one of the five kinds, issued on or after the
  first day of the class and on or before the deadline, is recorded against their enrolment (one is
  enough: "取得……其中之一"). Certificates issued later stay on the person's record (the talent
  database) but do not raise the class's rate. The same for employment: a start date on or after
  the class's first day and on or before the deadline; 就业推介 sessions held on or before it.
- The certification rate applies to employment-skill and post-skill classes (四(三) "不低于就业技能
  培训和岗位技能培训合格人员的 40%"; a project class counts as its base type); the employment rate and
  the three 就业推介 sessions to employment-skill classes only (3.3 "组织开展就业技能培训的机构").
- A class's follow-up is "complete" when every requirement above holds, "open" while the period
  runs, and "overdue" once the deadline has passed with any requirement unmet.
- Attendance anomalies: the flags not found explained by a reviewer (open or confirmed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from gongjiang.core.choices import Role
from gongjiang.core.permissions import require, role_of

from .choices import AnomalyStatus, ClassStatus, EnrolmentStatus, SpotCheckOutcome, TrainingType
from .models import (
    AnomalyFlag,
    EmploymentPromotion,
    EmploymentRecord,
    Enrolment,
    SpotCheck,
    TrainingClass,
)
from .selectors import class_list

FOLLOW_UP_MONTHS = 3  # 附件2 3.3 "机构须在一季度内组织培训合格人员取得……证书"
CERTIFICATION_GOAL = Decimal("0.40")  # 附件2 3.3 "培训合格学员取证率不低于 40%"; 四(三) 同
EMPLOYMENT_GOAL = Decimal("0.50")  # 附件2 3.3 "培训合格学员就业率不低于 50%"; 四(三) "就业率不得低于 50%"
MIN_PROMOTIONS = 3  # 附件2 3.3 "至少向学员开展 3 次就业推介"
CERTIFICATION_CATEGORIES = frozenset({TrainingType.EMPLOYMENT, TrainingType.ENTERPRISE_POST})
EMPLOYMENT_CATEGORIES = frozenset({TrainingType.EMPLOYMENT})

OPEN, COMPLETE, OVERDUE = "open", "complete", "overdue"
STATE_LABELS = {OPEN: "跟踪期内", COMPLETE: "已完成", OVERDUE: "逾期未完成"}


def add_calendar_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (or earlier), or that month's last day when it
    has no such day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def follow_up_due_date(closed_on: dt.date) -> dt.date:
    """The last day of the follow-up period: three calendar months after closing (2025-11-30 →
    2026-02-28)."""
    return add_calendar_months(closed_on, FOLLOW_UP_MONTHS)


def follow_up_due(training_class: TrainingClass) -> dt.date | None:
    if training_class.follow_up_due_on:
        return training_class.follow_up_due_on
    if training_class.closed_on:
        return follow_up_due_date(training_class.closed_on)
    return None


def rate(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def percent(value: Decimal | None) -> str:
    """45.5% (one decimal, half up), or — when the rate does not apply or has no base."""
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


@dataclass(frozen=True)
class ClassKpi:
    training_class: TrainingClass
    due: dt.date
    qualified: int
    certified: int
    certification_applies: bool
    employment_applies: bool
    employed: int
    promotions: int
    anomalies: int
    anomalies_confirmed: int
    serious_findings: int
    state: str
    missing: tuple[str, ...]

    @property
    def certification_rate(self) -> Decimal | None:
        return rate(self.certified, self.qualified) if self.certification_applies else None

    @property
    def employment_rate(self) -> Decimal | None:
        return rate(self.employed, self.qualified) if self.employment_applies else None

    @property
    def certification_percent(self) -> str:
        return percent(self.certification_rate)

    @property
    def employment_percent(self) -> str:
        return percent(self.employment_rate)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def final(self) -> bool:
        """The period has ended (or everything is already done): the figures count for the institution."""
        return self.state != OPEN


def _missing(
    *, certification: bool, employment: bool, qualified: int, certified: int, employed: int, promotions: int
) -> tuple[str, ...]:
    missing = []
    if certification and qualified and Decimal(certified) < CERTIFICATION_GOAL * qualified:
        missing.append(f"取证率未达 40%（{certified}/{qualified}）")
    if employment and promotions < MIN_PROMOTIONS:
        missing.append(f"就业推介不足 3 次（{promotions} 次）")
    if employment and qualified and Decimal(employed) < EMPLOYMENT_GOAL * qualified:
        missing.append(f"就业率未达 50%（{employed}/{qualified}）")
    return tuple(missing)


def _in_period(day: dt.date, training_class: TrainingClass, due: dt.date) -> bool:
    return training_class.start_date <= day <= due


def kpis_for_classes(classes: Iterable[TrainingClass], *, today: dt.date) -> list[ClassKpi]:
    """The KPIs of closed classes, in a fixed number of queries whatever their count."""
    closed = [c for c in classes if c.status == ClassStatus.CLOSED and c.closed_on]
    ids = [c.pk for c in closed]
    qualified = Counter(
        dict(
            Enrolment.objects.filter(training_class_id__in=ids, status=EnrolmentStatus.QUALIFIED)
            .values_list("training_class_id")
            .annotate(n=Count("id"))
            .values_list("training_class_id", "n")
        )
    )
    certificates: dict[int, dict[int, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    links = Enrolment.obtained_certificates.through.objects.filter(
        enrolment__training_class_id__in=ids, enrolment__status=EnrolmentStatus.QUALIFIED
    ).values_list("enrolment__training_class_id", "enrolment_id", "personcertificate__issued_on")
    for class_id, enrolment_id, issued_on in links:
        certificates[class_id][enrolment_id].append(issued_on)
    jobs: dict[int, dict[int, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    for class_id, enrolment_id, started_on in EmploymentRecord.objects.filter(
        enrolment__training_class_id__in=ids, enrolment__status=EnrolmentStatus.QUALIFIED
    ).values_list("enrolment__training_class_id", "enrolment_id", "started_on"):
        jobs[class_id][enrolment_id].append(started_on)
    promotions: dict[int, list[dt.date]] = defaultdict(list)
    for class_id, held_on in EmploymentPromotion.objects.filter(training_class_id__in=ids).values_list(
        "training_class_id", "held_on"
    ):
        promotions[class_id].append(held_on)
    anomalies: Counter[tuple[int, str]] = Counter()
    for class_id, status, n in (
        AnomalyFlag.objects.filter(training_class_id__in=ids)
        .values_list("training_class_id", "status")
        .annotate(n=Count("id"))
        .values_list("training_class_id", "status", "n")
    ):
        anomalies[(class_id, status)] = n
    serious = Counter(
        dict(
            SpotCheck.objects.filter(training_class_id__in=ids, outcome=SpotCheckOutcome.SERIOUS)
            .values_list("training_class_id")
            .annotate(n=Count("id"))
            .values_list("training_class_id", "n")
        )
    )
    result = []
    for c in closed:
        due = follow_up_due(c) or c.end_date  # never None: `closed` has a closing date
        certification = c.category in CERTIFICATION_CATEGORIES
        employment = c.category in EMPLOYMENT_CATEGORIES
        certified = sum(
            1 for dates in certificates[c.pk].values() if any(_in_period(d, c, due) for d in dates)
        )
        employed = sum(1 for dates in jobs[c.pk].values() if any(_in_period(d, c, due) for d in dates))
        held = sum(1 for d in promotions[c.pk] if d <= due)
        missing = _missing(
            certification=certification,
            employment=employment,
            qualified=qualified[c.pk],
            certified=certified,
            employed=employed,
            promotions=held,
        )
        state = COMPLETE if not missing else (OPEN if today <= due else OVERDUE)
        result.append(
            ClassKpi(
                training_class=c,
                due=due,
                qualified=qualified[c.pk],
                certified=certified,
                certification_applies=certification,
                employment_applies=employment,
                employed=employed,
                promotions=held,
                anomalies=anomalies[(c.pk, AnomalyStatus.OPEN)] + anomalies[(c.pk, AnomalyStatus.CONFIRMED)],
                anomalies_confirmed=anomalies[(c.pk, AnomalyStatus.CONFIRMED)],
                serious_findings=serious[c.pk],
                state=state,
                missing=missing,
            )
        )
    return result


def class_kpi(training_class: TrainingClass, *, today: dt.date | None = None) -> ClassKpi | None:
    """The class's KPIs once it is closed (None before)."""
    found = kpis_for_classes([training_class], today=today or timezone.localdate())
    return found[0] if found else None


@dataclass
class InstitutionKpi:
    """One institution's figures, pooled over its closed classes (the rates: over those whose
    follow-up period has ended, so that a class closed last week does not count as a failure)."""

    institution: Any
    classes_closed: int = 0
    classes_final: int = 0
    classes_open: int = 0
    qualified: int = 0
    certified: int = 0
    employment_qualified: int = 0
    employed: int = 0
    anomalies: int = 0
    anomalies_confirmed: int = 0
    serious_findings: int = 0
    overdue_follow_ups: int = 0
    classes: list[ClassKpi] = field(default_factory=list)

    @property
    def certification_rate(self) -> Decimal | None:
        return rate(self.certified, self.qualified)

    @property
    def employment_rate(self) -> Decimal | None:
        return rate(self.employed, self.employment_qualified)

    @property
    def certification_percent(self) -> str:
        return percent(self.certification_rate)

    @property
    def employment_percent(self) -> str:
        return percent(self.employment_rate)

    def add(self, kpi: ClassKpi) -> None:
        self.classes.append(kpi)
        self.classes_closed += 1
        self.anomalies += kpi.anomalies
        self.anomalies_confirmed += kpi.anomalies_confirmed
        self.serious_findings += kpi.serious_findings
        if kpi.state == OVERDUE:
            self.overdue_follow_ups += 1
        if not kpi.final:
            self.classes_open += 1
            return
        self.classes_final += 1
        if kpi.certification_applies:
            self.qualified += kpi.qualified
            self.certified += kpi.certified
        if kpi.employment_applies:
            self.employment_qualified += kpi.qualified
            self.employed += kpi.employed

    def metrics(self) -> dict[str, Decimal | int | None]:
        """What the black/white list rules read (list_rules.yaml `metric:` names)."""
        return {
            "classes_closed": self.classes_closed,
            "classes_final": self.classes_final,
            "certification_rate": self.certification_rate,
            "employment_rate": self.employment_rate,
            "anomalies": self.anomalies,
            "anomalies_confirmed": self.anomalies_confirmed,
            "serious_findings": self.serious_findings,
            "overdue_follow_ups": self.overdue_follow_ups,
        }


def institution_kpis(class_kpis: Iterable[ClassKpi]) -> list[InstitutionKpi]:
    by_institution: dict[int, InstitutionKpi] = {}
    for kpi in class_kpis:
        institution = kpi.training_class.institution
        entry = by_institution.setdefault(institution.pk, InstitutionKpi(institution))
        entry.add(kpi)
    return sorted(by_institution.values(), key=lambda k: k.institution.pk)


def closed_classes(qs: QuerySet[TrainingClass], *, year: int | None = None) -> QuerySet[TrainingClass]:
    qs = qs.filter(status=ClassStatus.CLOSED, closed_on__isnull=False)
    if year:
        qs = qs.filter(closed_on__year=year)
    return qs.select_related("institution", "occupation", "startup_course").order_by("closed_on", "id")


def kpi_scope(user: Any) -> QuerySet[TrainingClass]:
    """The classes whose KPIs the user may read: a clerk their institution's, a reviewer of a unit
    that unit's, jurisdiction-wide roles all (training.selectors.class_list)."""
    require(user, "training.kpi")
    return class_list(user)


def class_kpi_list(user: Any, *, today: dt.date | None = None, year: int | None = None) -> list[ClassKpi]:
    return kpis_for_classes(closed_classes(kpi_scope(user), year=year), today=today or timezone.localdate())


def institution_kpi_list(
    user: Any, *, today: dt.date | None = None, year: int | None = None
) -> list[InstitutionKpi]:
    return institution_kpis(class_kpi_list(user, today=today, year=year))


def is_own_institution_view(user: Any) -> bool:
    return role_of(user) == Role.INSTITUTION_CLERK
