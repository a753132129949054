"""The demo's skilled-talent survey, called by `gongjiang.web.demo.demo_load` once the enterprises
exist: a closed (published) round “2025年企业技能人才现状及需求情况调查” answered by every demo
enterprise but one, imported through the same Excel import the bureau uses for paper rounds (so
every answer passes the form's checks), and an open second-half round the demo enterprise clerk can
fill in online. Deterministic (seeded). The public 供求信息 page then shows the first round.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from gongjiang.registry.models import Enterprise

from . import services
from .imports import SURVEY_COLUMNS

DEMAND_BY_FIELD = {
    "石油化工": ("化工总控工", "化学检验员"),
    "装备制造": ("焊工", "电工", "车工"),
    "现代物流": ("仓储管理员", "物流服务师"),
    "新材料": ("焊工", "化学检验员"),
    "生物医药": ("药物制剂工", "化学检验员"),
    "电子信息": ("网络与信息安全管理员", "工业机器人系统运维员"),
    "食品加工": ("中式面点师",),
    "新能源": ("电工", "光伏组件制造工"),
    "养老服务": ("养老护理员",),
    "建筑": ("焊工", "管道工"),
    "汽车维修": ("汽车维修工",),
    "家政服务": ("家政服务员",),
}
OWNERSHIP_LABELS = {
    "state": "国有企业",
    "collective": "集体企业",
    "private_corp": "民营企业",
    "private": "私营企业",
    "individual": "个体工商户",
}
SIZE_LABELS = {"large": "大", "medium": "中", "small": "小"}
LEVELS = ("初级工", "中级工", "高级工", "技师", "高级技师")
BASE_WAGE = {"初级工": 4200, "中级工": 5200, "高级工": 6500, "技师": 8000, "高级技师": 10000}


def _split(rng: random.Random, total: int, weights: tuple[float, ...]) -> list[int]:
    """`total` people over len(weights) bands, roughly in proportion, summing exactly to `total`."""
    raw = [w * rng.uniform(0.7, 1.3) for w in weights]
    scale = total / sum(raw)
    parts = [int(r * scale) for r in raw]
    parts[0] += total - sum(parts)
    return parts


def _row(rng: random.Random, enterprise: Enterprise) -> dict[str, str]:
    staff = {"large": rng.randint(600, 1500), "medium": rng.randint(150, 500), "small": rng.randint(20, 80)}[
        enterprise.size
    ]
    skilled = int(staff * rng.uniform(0.25, 0.55))
    row = {
        "企业名称": enterprise.name,
        "统一社会信用代码": enterprise.credit_code,
        "负责人": "负责人",
        "企业类型": OWNERSHIP_LABELS[enterprise.ownership],
        "企业规模": SIZE_LABELS[enterprise.size],
        "经营领域": enterprise.business_field,
        "职工总数": str(staff),
        "人均月工资": str(rng.randrange(4200, 8200, 100)),
        "提取职工培训经费": str(staff * rng.randrange(300, 900, 50)),
        "填表人": "人事专员",
        "填表日期": "2025-06-28",
    }
    row["用于职工培训经费"] = str(int(int(row["提取职工培训经费"]) * rng.uniform(0.6, 0.95)))
    row.update(zip(LEVELS, map(str, _split(rng, skilled, (0.38, 0.32, 0.2, 0.08, 0.02))), strict=True))
    ages = ("18—30岁", "31—40岁", "41—50岁", "51岁以上")
    row.update(zip(ages, map(str, _split(rng, skilled, (0.3, 0.35, 0.25, 0.1))), strict=True))
    education = ("高中/技校及以下", "高职大专", "本科及以上")
    row.update(zip(education, map(str, _split(rng, skilled, (0.55, 0.35, 0.1))), strict=True))
    occupations = DEMAND_BY_FIELD.get(enterprise.business_field, ("焊工",))
    for slot, occupation in enumerate(rng.sample(occupations, min(len(occupations), 3)), start=1):
        level = rng.choice(LEVELS[1:4])
        row.update(
            {
                f"需求工种{slot}": occupation,
                f"需求人数{slot}": str(
                    rng.randint(2, 12) if enterprise.size != "small" else rng.randint(1, 4)
                ),
                f"需求等级{slot}": level,
                f"月工资待遇{slot}": str(BASE_WAGE[level] + rng.randrange(-500, 1500, 100)),
                f"培养措施{slot}": rng.choice(("自主培养", "联合、委托培养、新型学徒制培养")),
            }
        )
    return row


def load_demo_records(jurisdiction: Any, *, actor: Any, people: list[Any], institution: Any) -> None:
    """A few records for the records page and the talent goals: a municipal welding competition
    with three placed people, a city-level master studio, a chief technician, a provincial base."""
    from gongjiang.catalog.models import Occupation

    welding = Occupation.objects.get(name="焊工")
    employed = [p for p in people if p.employer_id][:4]
    competition = services.competition_create(
        actor=actor,
        jurisdiction=jurisdiction,
        name="2025年兰州新区职工职业技能大赛（焊工）",
        level="municipal",
        occupation=welding,
        organiser="兰州新区民政司法和社会保障局",
        held_on=dt.date(2025, 5, 20),
    )
    for rank, person in enumerate(employed[:3], start=1):
        services.competition_result_record(actor=actor, competition=competition, person=person, rank=rank)
    master = employed[3]
    services.studio_create(
        actor=actor,
        jurisdiction=jurisdiction,
        name=f"{master.name}焊接技能大师工作室",
        level="city",
        enterprise=master.employer,
        master=master,
        occupation=welding,
        recognised_on=dt.date(2025, 4, 1),
    )
    services.title_award(
        actor=actor,
        person=master,
        kind="chief_technician",
        title_name="兰州新区首席技师",
        awarded_by="兰州新区民政司法和社会保障局",
        awarded_on=dt.date(2025, 4, 28),
    )
    services.platform_create(
        actor=actor,
        jurisdiction=jurisdiction,
        kind="training_base",
        level="provincial",
        name=f"{institution.name}省级高技能人才培训基地",
        recognised_on=dt.date(2025, 3, 15),
        institution=institution,
    )


def load_demo_survey(jurisdiction: Any, *, actor: Any, skip_enterprise: Any = None) -> Any:
    rng = random.Random(7)
    enterprises = Enterprise.objects.filter(jurisdiction=jurisdiction)
    if skip_enterprise is not None:
        enterprises = enterprises.exclude(pk=skip_enterprise.pk)
    published = services.survey_round_create(
        actor=actor,
        jurisdiction=jurisdiction,
        title="2025年企业技能人才现状及需求情况调查",
        period="2025年上半年",
        year=2025,
    )
    rows = [_row(rng, e) for e in enterprises.order_by("id")]
    lines = [",".join(SURVEY_COLUMNS), *(",".join(r.get(c, "") for c in SURVEY_COLUMNS) for r in rows)]
    services.survey_import(
        actor=actor,
        survey_round=published,
        filename="2025年企业技能人才调查（纸质汇总）.csv",
        data=("\n".join(lines) + "\n").encode("utf-8"),
    )
    services.survey_round_close(actor=actor, survey_round=published, closed_on=dt.date(2025, 7, 31))
    services.survey_round_create(
        actor=actor,
        jurisdiction=jurisdiction,
        title="2025年下半年企业技能人才现状及需求情况调查",
        period="2025年下半年",
        year=2025,
    )
    return published
