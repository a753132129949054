"""The demo data set (issue 2, demo data): 兰州新区 2025, valid identifiers, a user per role."""

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
    # 300 people with valid IDs, every priority group represented
    assert Person.objects.count() == 300
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
    assert (MasterStudio.objects.count(), TalentTitle.objects.count(), TalentPlatform.objects.count()) == (
        1,
        1,
        1,
    )
    # and every write went through the audit trail
    assert audit_verify().ok
