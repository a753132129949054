"""Excel exports: a round's aggregates (the 供求信息, aggregates only) and the high-skill talent
database (ID numbers masked for every role)."""

from __future__ import annotations

from typing import Any

from gongjiang.core.spreadsheets import write_xlsx

from .aggregates import demand_supply, structure, wage_levels


def _opt(value: Any) -> Any:
    return "" if value is None else value


def supply_demand_xlsx(survey_round: Any) -> bytes:
    s = structure(survey_round)
    summary = [
        ["调查", survey_round.title],
        ["调查期", survey_round.period],
        ["填报企业（家）", s.enterprises],
        ["职工总数（人）", s.staff],
        ["技能人才（人）", s.skilled],
        ["高技能人才（人）", s.high_skilled],
        ["高技能人才占比（%）", _opt(s.high_skill_share)],
        ["提取职工培训经费（元）", s.training_funds_drawn],
        ["用于职工培训经费（元）", s.training_funds_used],
    ]
    structure_rows = [
        *(["技能等级", label, n] for label, n in s.by_level),
        *(["年龄", label, n] for label, n in s.by_age),
        *(["学历", label, n] for label, n in s.by_education),
    ]
    industries = [
        [i.industry, i.enterprises, i.staff, i.skilled, i.high_skilled, _opt(i.average_wage)]
        for i in s.industries
    ]
    demand = [
        [
            r.occupation,
            r.demand,
            r.demand_self,
            r.demand_joint,
            r.supply,
            r.gap,
            "是" if r.in_directory else "否",
        ]
        for r in demand_supply(survey_round)
    ]
    wages = [
        [w.occupation, w.level, w.people, w.lowest, w.highest, w.average] for w in wage_levels(survey_round)
    ]
    return write_xlsx(
        {
            "概况": (["项目", "数值"], summary),
            "人才结构": (["分类", "项目", "人数"], structure_rows),
            "行业分布": (
                [
                    "经营领域",
                    "企业（家）",
                    "职工（人）",
                    "技能人才（人）",
                    "高技能人才（人）",
                    "人均月工资（元）",
                ],
                industries,
            ),
            "供求对比": (
                [
                    "职业(工种)",
                    "需求人数",
                    "其中自主培养",
                    "其中联合、委托培养、新型学徒制",
                    "当年取证人数",
                    "缺口",
                    "已在急需紧缺目录",
                ],
                demand,
            ),
            "工资价位": (
                ["职业(工种)", "等级", "需求人数", "最低（元/月）", "最高（元/月）", "加权平均（元/月）"],
                wages,
            ),
        }
    )


TALENT_HEADER = [
    "姓名",
    "身份证号",
    "所在企业",
    "最高等级",
    "职业(工种)",
    "证书",
    "称号",
    "竞赛成绩",
    "技能大师工作室",
]


def talent_xlsx(rows: list[Any]) -> bytes:
    body = []
    for row in rows:
        person = row.person
        body.append(
            [
                person.name,
                person.id_number_masked,
                person.employer.name if person.employer else "",
                row.level_label,
                "、".join(row.occupations),
                "；".join(
                    f"{c.occupation.name if c.occupation else ''}{c.level.alias or c.level.name} {c.number} {c.issued_on.isoformat()}"
                    for c in row.certificates
                ),
                "；".join(f"{t.title_name}（{t.awarded_on.year}）" for t in row.titles),
                "；".join(f"{r.competition.name} 第{r.rank}名" for r in row.results),
                "；".join(s.name for s in row.studios),
            ]
        )
    return write_xlsx({"高技能人才信息库": (TALENT_HEADER, body)})
