"""Test data for the talent app: reference levels and occupations, a round, a paper-round file in
the import's columns, certificates.

Certificates are made directly (ORM test setup): the registry has no certificate service yet (the
follow-up services land with the training follow-up branch), as in gongjiang/targets/tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gongjiang.catalog.models import CertificateType, Occupation, SkillLevel
from gongjiang.registry.models import PersonCertificate
from gongjiang.talent import services
from gongjiang.talent.imports import SURVEY_COLUMNS
from gongjiang.training.tests.factories import CERTIFICATE_TYPES, LEVELS

_serial = itertools.count(1)
OCCUPATIONS = ("焊工", "电工", "养老护理员")


def talent_world(w: Any) -> Any:
    for code, name, alias, rank in LEVELS:
        SkillLevel.objects.get_or_create(code=code, defaults={"name": name, "alias": alias, "rank": rank})
    for code, name in CERTIFICATE_TYPES:
        CertificateType.objects.get_or_create(code=code, defaults={"name": name})
    w.occupations = {name: Occupation.objects.get_or_create(name=name)[0] for name in OCCUPATIONS}
    return w


def level(code: str) -> SkillLevel:
    return SkillLevel.objects.get(code=code)


def open_round(
    w: Any, *, jurisdiction: Any = None, actor: Any = None, title: str = "2025年企业技能人才调查"
) -> Any:
    return services.survey_round_create(
        actor=actor or w.root,
        jurisdiction=jurisdiction or w.jurisdiction,
        title=title,
        period="2025年",
        year=2025,
    )


def certificate(person: Any, *, occupation: str, level_code: str | None, issued_on: dt.date) -> Any:
    # test setup: no registry certificate service yet (see module docstring)
    return PersonCertificate.objects.create(
        person=person,
        certificate_type=CertificateType.objects.get(code="skill_level_certificate"),
        occupation=Occupation.objects.get(name=occupation),
        level=SkillLevel.objects.get(code=level_code) if level_code else None,
        number=f"TAL-{next(_serial):06d}",
        issued_on=issued_on,
        issuer="职业技能鉴定中心",
        source="manual",
    )


def survey_row(enterprise: Any, **overrides: str) -> dict[str, str]:
    """Enterprise A of the hand-worked scenario (test_aggregates): 100 staff, 28 skilled."""
    row = {
        "企业名称": enterprise.name,
        "统一社会信用代码": enterprise.credit_code,
        "负责人": "孙经理",
        "联系电话": "13900001111",
        "企业类型": "民营企业",
        "企业规模": "中",
        "经营领域": "石油化工",
        "职工总数": "100",
        "人均月工资": "5000",
        "提取职工培训经费": "80000",
        "用于职工培训经费": "60000",
        "初级工": "10",
        "中级工": "8",
        "高级工": "6",
        "技师": "3",
        "高级技师": "1",
        "18—30岁": "8",
        "31—40岁": "10",
        "41—50岁": "6",
        "51岁以上": "4",
        "高中/技校及以下": "15",
        "高职大专": "10",
        "本科及以上": "3",
        "需求工种1": "焊工",
        "需求人数1": "5",
        "需求等级1": "高级工",
        "月工资待遇1": "6000",
        "培养措施1": "自主培养",
        "需求工种2": "电工",
        "需求人数2": "4",
        "需求等级2": "中级工",
        "月工资待遇2": "5000",
        "培养措施2": "联合、委托培养、新型学徒制培养",
        "填表人": "周会计",
        "填表人电话": "13900002222",
        "填表日期": "2025-06-30",
    }
    row.update(overrides)
    return row


def row_b(enterprise: Any, **overrides: str) -> dict[str, str]:
    """Enterprise B of the scenario: 300 staff, 50 skilled, demand 焊工 高级工×3 and 技师×2."""
    values = {
        "经营领域": "装备制造",
        "企业类型": "国有企业",
        "企业规模": "大",
        "职工总数": "300",
        "人均月工资": "6000",
        "初级工": "20",
        "中级工": "15",
        "高级工": "10",
        "技师": "4",
        "高级技师": "1",
        "18—30岁": "15",
        "31—40岁": "20",
        "41—50岁": "10",
        "51岁以上": "5",
        "高中/技校及以下": "30",
        "高职大专": "15",
        "本科及以上": "5",
        "需求工种1": "焊工",
        "需求人数1": "3",
        "需求等级1": "高级工",
        "月工资待遇1": "7000",
        "培养措施1": "联合培养",
        "需求工种2": "焊工",
        "需求人数2": "2",
        "需求等级2": "技师",
        "月工资待遇2": "9000",
        "培养措施2": "自主培养",
    }
    values.update(overrides)
    return survey_row(enterprise, **values)


def survey_csv(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(SURVEY_COLUMNS)]
    for row in rows:
        lines.append(",".join(row.get(column, "") for column in SURVEY_COLUMNS))
    return ("\n".join(lines) + "\n").encode("utf-8")


def imported_scenario(w: Any) -> Any:
    """The hand-worked round: enterprises A and B imported, certificates of 2024/2025 for supply."""
    talent_world(w)
    w.round = open_round(w)
    services.survey_import(
        actor=w.root,
        survey_round=w.round,
        filename="调查表.csv",
        data=survey_csv([survey_row(w.enterprise_a), row_b(w.enterprise_b)]),
    )
    certificate(w.trainee_a, occupation="焊工", level_code="senior", issued_on=dt.date(2025, 3, 1))
    certificate(w.trainee_b, occupation="焊工", level_code="intermediate", issued_on=dt.date(2025, 5, 1))
    certificate(w.employee_a, occupation="焊工", level_code=None, issued_on=dt.date(2025, 5, 1))  # no level
    certificate(w.employee_a, occupation="电工", level_code="intermediate", issued_on=dt.date(2025, 4, 1))
    certificate(w.employee_b, occupation="电工", level_code="senior", issued_on=dt.date(2024, 12, 31))
    return w


def access_rounds(w: Any) -> Any:
    """For the access matrix: round_a (the world's jurisdiction, one answer, closed and so published)
    and round_other (another jurisdiction, open)."""
    from gongjiang.core.models import User

    talent_world(w)
    w.round_a = open_round(w)
    services.survey_import(
        actor=w.root, survey_round=w.round_a, filename="r.csv", data=survey_csv([survey_row(w.enterprise_a)])
    )
    services.survey_round_close(actor=w.root, survey_round=w.round_a, closed_on=dt.date(2025, 7, 31))
    other_admin = User.objects.get(username="other-root-admin")
    w.round_other = open_round(w, jurisdiction=w.other_jurisdiction, actor=other_admin, title="湖州调查")
    return w


def competition(w: Any, *, jurisdiction: Any = None, actor: Any = None, level: str = "district") -> Any:
    talent_world(w)
    return services.competition_create(
        actor=actor or w.root,
        jurisdiction=jurisdiction or w.jurisdiction,
        name="全区职工职业技能竞赛（焊工）",
        level=level,
        occupation=Occupation.objects.get(name="焊工"),
        organiser="区人力资源和社会保障局",
        held_on=dt.date(2025, 9, 20),
    )


def studio(
    w: Any,
    *,
    jurisdiction: Any = None,
    actor: Any = None,
    enterprise: Any = None,
    master: Any = None,
    level: str = "city",
) -> Any:
    talent_world(w)
    return services.studio_create(
        actor=actor or w.root,
        jurisdiction=jurisdiction or w.jurisdiction,
        name="焊接技能大师工作室",
        level=level,
        enterprise=enterprise or w.enterprise_a,
        master=master or w.employee_a,
        occupation=Occupation.objects.get(name="焊工"),
        recognised_on=dt.date(2025, 3, 1),
    )
