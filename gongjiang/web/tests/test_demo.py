"""The demo data set (issue 2, demo data): 兰州新区 2025, valid identifiers, a user per role."""

from decimal import Decimal
from pathlib import Path

import pytest

from gongjiang.core.audit import audit_verify
from gongjiang.core.choices import Role
from gongjiang.core.models import User
from gongjiang.core.pii import decrypt
from gongjiang.registry.choices import PRIORITY_GROUP_FIELDS
from gongjiang.registry.models import Enterprise, Institution, Person, ServiceUnit, Teacher
from gongjiang.registry.validators import credit_code_clean, resident_id_parse
from gongjiang.web.demo import INSTITUTIONS, demo_is_loaded, demo_load


@pytest.mark.django_db
def test_demo_data_set(tmp_path):
    # when
    logins = demo_load(tmp_path / "demo-logins.txt")
    # then the documents' units and institutions exist
    assert demo_is_loaded()
    assert set(ServiceUnit.objects.values_list("name", flat=True)) == {
        "兰州新区社会保障第一服务中心",
        "兰州新区社会保障第二服务中心",
        "就业科",
    }
    assert set(Institution.objects.values_list("name", flat=True)) == {name for name, *_ in INSTITUTIONS}
    assert Teacher.objects.count() == 10
    # 300 people registered through the service, every priority group represented, and 2025's
    # trainees (gongjiang/web/demo_training.py); every ID valid and every one different
    assert Person.objects.count() > 300
    assert Person.objects.values("id_number_hash").distinct().count() == Person.objects.count()
    for person in Person.objects.all():
        resident_id_parse(decrypt(person.id_number_encrypted))
    for flag in PRIORITY_GROUP_FIELDS:
        assert Person.objects.filter(**{flag: True}).exists(), flag
    # 20 enterprises with valid credit codes
    assert Enterprise.objects.count() == 20
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert credit_code_clean(code) == code
    # a user for every role, passwords generated and written only to the git-ignored file
    assert {u.role for u in User.objects.all()} == set(Role.values)
    text = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    assert all(login.password in text for login in logins)
    assert len({login.password for login in logins}) == len(logins)
    # two finance officers (a batch's maker may not approve it) and every fund with a 2025 budget
    from gongjiang.funds.models import FundBudget, FundSource

    assert User.objects.filter(role=Role.FINANCE_OFFICER).count() == 2
    assert FundSource.objects.exists()
    assert FundBudget.objects.filter(year=2025).count() == FundSource.objects.count()
    # the 培训合格证 number ranges of 附件4 (six: two centres × 就业 / 岗位 / 创业)
    from gongjiang.training.models import CertificateNumberRange

    assert CertificateNumberRange.objects.filter(year=2025, status="approved").count() == 6
    # the skilled-talent survey: a published round of 19 enterprises, an open one for the clerk
    from gongjiang.talent.aggregates import demand_supply, structure
    from gongjiang.talent.models import SurveyRound

    published = SurveyRound.objects.get(status="closed")
    assert published.responses.count() == 19
    assert structure(published).skilled > 0 and demand_supply(published)
    assert SurveyRound.objects.filter(status="open").count() == 1
    from gongjiang.talent.models import CompetitionResult, MasterStudio, TalentPlatform, TalentTitle

    assert CompetitionResult.objects.count() == 3
    # a provincial base, and two national bases (交通, 东方) recognised before 2025
    assert (MasterStudio.objects.count(), TalentTitle.objects.count(), TalentPlatform.objects.count()) == (
        1,
        1,
        3,
    )
    # and every write went through the audit trail
    assert audit_verify().ok


def _recount(jurisdiction, unit, column: str, start, end) -> int:
    """One column of 附件1 counted straight from the rows (新民社发〔2025〕13号 附件1, unit 人次): the
    qualified trainees of the unit's classes closed in the period (附件2 3.2), by the column's rule
    (see gongjiang/targets/counting.py)."""
    import yaml

    from gongjiang.talent.models import TalentPlatform
    from gongjiang.targets import counting
    from gongjiang.training.models import Enrolment

    rows = Enrolment.objects.filter(
        status="qualified",
        training_class__status="closed",
        training_class__jurisdiction=jurisdiction,
        training_class__service_unit=unit,
        training_class__closed_on__range=(start, end),
    )
    national = TalentPlatform.objects.filter(
        kind="training_base", level="national", recognised_on__lte=start
    ).values_list("institution_id", flat=True)
    data = yaml.safe_load(
        (Path(counting.__file__).parent / "data" / "occupation_categories.yaml").read_text(encoding="utf-8")
    )
    occupations = {c["column"]: c["occupations"] for c in data["categories"]}
    high = ["senior", "technician", "senior_technician"]
    filters = {
        "total": {},
        "employment": {"training_class__training_type": "employment"},
        "employment_national_base": {
            "training_class__training_type": "employment",
            "training_class__institution_id__in": national,
        },
        "post": {"training_class__training_type__in": ["enterprise_post", "apprenticeship"]},
        "post_national_base": {
            "training_class__training_type__in": ["enterprise_post", "apprenticeship"],
            "training_class__institution_id__in": national,
        },
        "startup": {"training_class__training_type": "startup"},
        "high_skill": {"training_class__level__in": high},
        "high_skill_national_base": {
            "training_class__level__in": high,
            "training_class__institution_id__in": national,
        },
        "elderly_care": {"training_class__occupation__name__in": occupations["elderly_care"]},
        "ecommerce": {"training_class__occupation__name__in": occupations["ecommerce"]},
        "poverty_monitoring": {"person__is_poverty_monitoring": True},
    }
    if column == "labour_brand":
        return rows.exclude(training_class__labour_brand="").count()
    return rows.filter(**filters[column]).count()


@pytest.mark.django_db
def test_demo_dashboard_shows_2025_progress_recounted_from_the_records(tmp_path, client):
    import datetime as dt
    import re

    from gongjiang.core.models import Jurisdiction
    from gongjiang.targets.choices import COLUMN_ORDER
    from gongjiang.targets.models import SkillUpgradeRecipient, TargetTable
    from gongjiang.targets.progress import Scope, rates, table_progress
    from gongjiang.training.models import EmploymentRecord, Enrolment, TrainingCertificate, TrainingClass
    from gongjiang.web.demo_training import DEMO_TODAY

    # given the demo
    demo_load(tmp_path / "demo-logins.txt")
    xq = Jurisdiction.objects.get(code="lanzhou-xinqu")
    table = TargetTable.objects.get(jurisdiction=xq, year=2025)
    start = dt.date(2025, 1, 1)
    # when the progress is read as of the demo's today
    progress = table_progress(Scope(xq), table, DEMO_TODAY)
    # then the share of the year is 304 of 365 days (1 Jan … 31 Oct) = 83.3%
    assert progress.elapsed == Decimal("83.3")
    assert not SkillUpgradeRecipient.objects.exists()  # the figures are the classes' alone
    units = {unit.pk: unit for unit in ServiceUnit.objects.all()}
    nonzero = 0
    for row in progress.rows[:-1]:
        for column in COLUMN_ORDER:
            cell = row.cells[column]
            assert cell.done == _recount(xq, units[row.unit_id], column, start, DEMO_TODAY), (
                row.unit_name,
                column,
            )
            nonzero += cell.done > 0
    # every cell of both centres that has a target has done figures; some cells lag, most do not
    cells = [c for row in progress.rows for c in row.ordered() if c.target]
    assert all(c.done > 0 for c in cells) and nonzero >= 20
    lagging = [c for c in cells if c.lagging]
    assert 0 < len(lagging) < len(cells) / 2
    assert progress.total.cells["total"].done < progress.total.cells["total"].target
    # the 合计 row is the two centres' sum
    for column in COLUMN_ORDER:
        assert progress.total.cells[column].done == sum(r.cells[column].done for r in progress.rows[:-1])
    # still-running classes exist and are not counted; each qualified trainee of a closed class has a
    # 培训合格证 from the 附件4 ranges
    assert TrainingClass.objects.filter(status="approved", enrolments__status="enrolled").exists()
    qualified = Enrolment.objects.filter(status="qualified", training_class__status="closed")
    assert TrainingCertificate.objects.count() == qualified.count() == progress.total.cells["total"].done
    # the demo clerks' own classes were closed through the services: the reviewer's class_close
    # numbered their certificates and the audit trail has the closing
    from gongjiang.core.models import AuditEvent

    for clerk in ("jiaotong", "boren"):
        institution = User.objects.get(username=clerk).institution
        by_service = TrainingClass.objects.filter(
            institution=institution, status="closed", sessions__isnull=False
        )
        assert by_service.distinct().count() == 2
        for training_class in by_service.distinct():
            assert AuditEvent.objects.filter(
                event_type="class_closed", object_id=str(training_class.pk)
            ).exists()
            assert TrainingCertificate.objects.filter(enrolment__training_class=training_class).count() == (
                training_class.enrolments.filter(status="qualified").count()
            )
    # certification and employment rates from the follow-up records
    total_rates = rates(Scope(xq), 2025, DEMO_TODAY)[-1]
    employment_trainees = qualified.filter(training_class__training_type="employment")
    assert total_rates.employment.denominator == employment_trainees.count()
    assert (
        total_rates.employment.numerator
        == EmploymentRecord.objects.filter(enrolment__in=employment_trainees)
        .values("enrolment")
        .distinct()
        .count()
        > 0
    )
    assert total_rates.certification.numerator == (
        qualified.filter(
            training_class__training_type__in=["employment", "enterprise_post"],
            obtained_certificates__isnull=False,
        )
        .distinct()
        .count()
    )
    # and the dashboard page shows those figures
    client.force_login(User.objects.get(username="admin"))
    html = client.get("/targets/", {"year": 2025, "as_of": DEMO_TODAY.isoformat()}).content.decode()
    assert 'id="elapsed">83.3%' in html
    assert "is-lagging" in html
    for row in progress.rows:
        for cell in row.ordered():
            unit = row.unit_id if row.unit_id is not None else "all"
            match = re.search(rf'data-column="{cell.column}" data-unit="{unit}">(.*?)</td>', html, re.DOTALL)
            assert match, (unit, cell.column)
            text = " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())
            expected = f"{cell.done} / {cell.target} {cell.percent}%" if cell.target else f"{cell.done} / —"
            assert text == expected
