"""Aggregates of the hand-worked round (factories.imported_scenario), every figure worked by hand.

enterprise A (石油化工): 职工 100, 人均月工资 5000; 初/中/高/技师/高技 10/8/6/3/1 = 28;
    age 8/10/6/4 = 28; education 15/10/3 = 28; demand 焊工 高级工×5 @6000 自主培养,
    电工 中级工×4 @5000 联合、委托培养、新型学徒制.
enterprise B (装备制造): 职工 300, 人均月工资 6000; 20/15/10/4/1 = 50; age 15/20/10/5 = 50;
    education 30/15/5 = 50; demand 焊工 高级工×3 @7000 联合, 焊工 技师×2 @9000 自主.
certificates (supply, round year 2025): 焊工 高级工 2025-03-01, 焊工 中级工 2025-05-01,
    焊工 without level (not a skill-level certificate: not counted), 电工 中级工 2025-04-01,
    电工 高级工 2024-12-31 (previous year: not counted).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongjiang.talent.aggregates import demand_supply, shortage_candidates, structure, wage_levels

pytestmark = pytest.mark.django_db


def test_structure_by_level_age_education_and_industry(scenario):
    # when
    s = structure(scenario.round)
    # then: sums of A and B per category
    assert s.enterprises == 2 and s.staff == 100 + 300
    assert s.by_level == [("初级工", 30), ("中级工", 23), ("高级工", 16), ("技师", 7), ("高级技师", 2)]
    assert s.by_age == [("18—30岁", 23), ("31—40岁", 30), ("41—50岁", 16), ("51岁以上", 9)]
    assert s.by_education == [("高中/技校及以下", 45), ("高职大专", 25), ("本科及以上", 8)]
    assert s.skilled == 78
    # 填表说明1: 高技能 = 高级工 + 技师 + 高级技师 = (6+3+1) + (10+4+1) = 25; 25/78 = 32.05% → 32.1
    assert s.high_skilled == 25
    assert s.high_skill_share == Decimal("32.1")
    # industry rows, most skilled first; one enterprise each, so the average is its own wage
    assert [
        (i.industry, i.enterprises, i.staff, i.skilled, i.high_skilled, i.average_wage) for i in s.industries
    ] == [
        ("装备制造", 1, 300, 50, 15, Decimal("6000")),
        ("石油化工", 1, 100, 28, 10, Decimal("5000")),
    ]
    # 提取/用于职工培训经费: 80000 + 80000, 60000 + 60000
    assert s.training_funds_drawn == Decimal("160000") and s.training_funds_used == Decimal("120000")


def test_demand_against_supply_by_occupation(scenario):
    # when
    rows = demand_supply(scenario.round)
    # then: 焊工 demand 5 + 3 + 2 = 10 (自主 5 + 2 = 7, 联合 3); supply 2 level certificates of 2025
    #       电工 demand 4 (联合); supply 1 (the 2024 one is outside the round's year)
    assert [(r.occupation, r.demand, r.demand_self, r.demand_joint, r.supply, r.gap) for r in rows] == [
        ("焊工", 10, 7, 3, 2, 8),
        ("电工", 4, 0, 4, 1, 3),
    ]
    assert rows[0].demand_by_level == {"高级工": 8, "技师": 2}
    assert rows[0].enterprises == 2 and rows[1].enterprises == 1
    assert [r.occupation for r in shortage_candidates(scenario.round)] == ["焊工", "电工"]


def test_wage_levels_by_occupation_and_level(scenario):
    # when
    wages = wage_levels(scenario.round)
    # then: 焊工 高级工: (6000×5 + 7000×3) / 8 = 51000 / 8 = 6375 (虞人社〔2023〕19号 三(四)20)
    assert [(w.occupation, w.level, w.people, w.lowest, w.highest, w.average) for w in wages] == [
        ("焊工", "高级工", 8, Decimal("6000.00"), Decimal("7000.00"), Decimal("6375")),
        ("焊工", "技师", 2, Decimal("9000.00"), Decimal("9000.00"), Decimal("9000")),
        ("电工", "中级工", 4, Decimal("5000.00"), Decimal("5000.00"), Decimal("5000")),
    ]
