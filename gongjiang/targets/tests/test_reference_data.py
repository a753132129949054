"""The targets YAML against the policy texts: the 附件1 table figure by figure, its arithmetic, and
every goal's quoted words found in its document. Plus the strict loader's refusals."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from gongjiang.catalog.reference import load_reference
from gongjiang.core.errors import DomainError
from gongjiang.targets.choices import COLUMN_ORDER, KIND_COLUMNS
from gongjiang.targets.reference import (
    DATA_DIR,
    REFERENCE_FILES,
    load_targets,
    occupation_categories,
    parse_categories,
    parse_targets_text,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
SEEDS = {
    "新政办发〔2024〕31号": "000_300a128483aeb037.txt",
    "台人社发〔2021〕17号": "001_8f240bce2d11571c.txt",
    "虞人社〔2023〕19号": "002_88eeb03758740620.txt",
    "湖州市《关于新时代湖州工匠培育工程的实施意见》": "003_9bac5caab1762fea.txt",
    "新民社发〔2025〕13号": "004_5605efb67bc5a9a2.txt",
}

# 附件1 as the issue gives it, column order fixed by the figures (合计 first).
ISSUE_TABLE = {
    "centre-1": [8800, 4000, 1000, 3000, None, 1800, 2500, 500, 600, 150, 300, 25],
    "centre-2": [3200, 1000, None, 2000, 1000, 200, 1500, 500, 400, 150, 150, 25],
    "合计": [12000, 5000, 1000, 5000, 1000, 2000, 4000, 1000, 1000, 300, 450, 50],
}


def seed_text(name: str) -> str:
    for base in (Path("/work/shared/seeds"), REPO_ROOT.parent / "shared" / "seeds"):
        path = base / name
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("没有找到政策原文 seeds（/work/shared/seeds 或 ../shared/seeds）")


def squeeze(text: str) -> str:
    """NFKC (full-width punctuation and digits as ASCII) without any whitespace: the scans wrap and
    space the text unpredictably."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def table_2025():
    (table,) = next(f for f in load_targets("lanzhou-xinqu") if f.tables).tables
    return table


def test_the_2025_table_is_the_issues_table_in_its_column_order():
    # given the file as loaded (the loader itself checks the arithmetic)
    table = table_2025()
    # then each unit row and the stated 合计 row are exactly the issue's
    for row in table.units:
        assert [row.figures[c] for c in COLUMN_ORDER] == ISSUE_TABLE[row.unit_code], row.unit_code
    assert [table.stated_total[c] for c in COLUMN_ORDER] == ISSUE_TABLE["合计"]
    assert table.counts_skill_upgrade_recipients is True
    assert table.citation == "新民社发〔2025〕13号 附件1 兰州新区2025年职业技能培训任务分解表"


def test_the_2025_table_adds_up():
    # given
    table = table_2025()
    # then 合计 = 就业 + 岗位 + 创业 on every row (附件1: 8800 = 4000 + 3000 + 1800 …)
    for figures in [*(row.figures for row in table.units), table.stated_total]:
        assert figures["total"] == sum(figures[c] or 0 for c in KIND_COLUMNS)
    # and the unit rows add up to the 合计 row, column by column
    for column in COLUMN_ORDER:
        assert table.stated_total[column] == sum(row.figures[column] or 0 for row in table.units), column


def test_the_2025_figures_are_those_of_the_scanned_document():
    # given the 附件1 lines of the scan: the unit's name wraps, its twelve figures (“/” for none) follow
    text = seed_text(SEEDS["新民社发〔2025〕13号"])
    block = text[text.index("兰州新区 2025 年职业技能培训任务分解表") : text.index("备注：可将")]
    lines = [line for line in block.splitlines() if re.search(r"\t\d", line)]
    scanned = [[None if cell == "/" else int(cell) for cell in line.split("\t")[1:13]] for line in lines]
    # then the figures, row by row in the scan's order, are the file's
    assert scanned == [ISSUE_TABLE["centre-1"], ISSUE_TABLE["centre-2"], ISSUE_TABLE["合计"]]


def test_the_number_ranges_of_annex_4_have_the_sizes_of_the_three_kind_columns():
    # given 附件4: 2025 number ranges per unit for 就业 / 岗位 / 创业 (the column order's second proof)
    text = seed_text(SEEDS["新民社发〔2025〕13号"])
    ranges = re.findall(r"(\d+)——(\d+)", text[text.index("附件 4") :])
    sizes = [int(b) - int(a) + 1 for a, b in ranges]
    # then they are the employment, post and startup figures of centre 1 and centre 2
    assert sizes == [4000, 3000, 1800, 1000, 2000, 200]


@pytest.mark.parametrize("code", sorted(REFERENCE_FILES))
def test_every_goal_quotes_its_document(code):
    # given every goal of the jurisdiction's files
    files = load_targets(code)
    assert files and any(f.goals for f in files)
    for targets_file in files:
        text = squeeze(seed_text(SEEDS[targets_file.document]))
        for goal in targets_file.goals:
            # then each fragment of the quote (“……” marks an omission) is in the text, in order
            position = 0
            for fragment in squeeze(goal.quote).split(squeeze("……")):
                found = text.find(fragment, position)
                assert found >= 0, f"{goal.key}: “{fragment}” not in {targets_file.document}"
                position = found + len(fragment)
            # and the goal's figure appears in its quote (10% of 10000 is worked out in its note)
            shown = f"{goal.value.normalize():f}"
            if goal.key != "lzxq-2025-high-level-certificates" and goal.unit != "%":
                wan = goal.value / 10000
                assert (
                    shown in squeeze(goal.quote)
                    or f"{wan.normalize():f}万" in squeeze(goal.quote)
                    or (goal.key.endswith(("vocational-school-share", "institution-share")))
                ), goal.key


def test_the_issue_lists_the_goals_of_each_document():
    # given
    goals = {g.key: g for code in REFERENCE_FILES for f in load_targets(code) for g in f.goals}
    # then the headline figures of the issue are there with their units
    expected = {
        "lzxq-2025-skilled": (5000, "人"),
        "lzxq-2025-high-skilled": (1500, "人"),
        "lzxq-2025-provincial-platform": (1, "个"),
        "lzxq-2025-employment-employed": (2500, "人"),
        "lzxq-2025-employment-certified": (2000, "人"),
        "lzxq-2025-post-certified": (2000, "人"),
        "lzxq-2025-startup-employed": (1000, "人"),
        "lzxq-2025-high-level-certificates": (1000, "人"),
        "lzxq-2024-annual-training": (9000, "人次"),
        "lzxq-2024-annual-high-skill": (3000, "人次"),
        "lzxq-2024-pass-rate": (90, "%"),
        "lzxq-2024-national-bases": (3, "个"),
        "tez-2021-skilled": (800, "人"),
        "tez-2021-high-skilled": (200, "人"),
        "tez-2021-technicians": (100, "人"),
        "tez-2021-apprentices": (100, "人"),
        "tez-2021-chief-technicians": (4, "名"),
        "tez-2021-technical-experts": (3, "名"),
        "tez-2021-self-evaluation": (10, "家"),
        "tez-2021-trained": (3700, "人"),
        "tez-2021-vocational-school-share": (40, "人"),
        "tez-2021-institution-share": (40, "人"),
        "sy-annual-new-high-skilled": (6000, "人"),
        "sy-annual-recruited": (2000, "人"),
        "sy-2025-high-skill-share": (38, "%"),
        "sy-2025-skilled-total": (200000, "人"),
        "sy-2025-high-skilled-total": (76000, "人"),
        "sy-2025-demonstration-enterprises": (15, "家"),
        "sy-2025-master-studios": (3, "家"),
        "hz-2025-skilled-total": (800000, "人"),
        "hz-2025-high-skill-share": (35, "%"),
        "hz-2025-skilled-employment-share": (35, "%"),
        "hz-2025-apprentices": (20000, "名"),
        "hz-2025-self-evaluation": (800, "家"),
        "hz-2025-national-studios": (2, "家"),
    }
    for key, (value, unit) in expected.items():
        assert (goals[key].value, goals[key].unit) == (value, unit), key


def test_category_occupations_are_catalog_occupations():
    # given the catalog's 附件3 names
    names = {o.name for o in load_reference("lanzhou-xinqu").occupations}
    # then every 康养/电商 occupation is one of them (a typo would silently never count)
    categories = occupation_categories()
    assert set(categories) == {"elderly_care", "ecommerce"}
    for category in categories.values():
        assert category.occupations <= names, category.occupations - names
    assert "养老护理员" in categories["elderly_care"].occupations
    assert "电子商务师" in categories["ecommerce"].occupations


GOOD_TABLE = (DATA_DIR / "lanzhou-xinqu-2025.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("total: 8800", "total: 8801"), "合计 8801 ≠ 就业技能培训 + 岗位技能培训 + 创业培训 = 8800"),
        (
            (
                "high_skill_national_base: 500\n          elderly_care: 600",
                "high_skill_national_base: 2600\n          elderly_care: 600",
            ),
            "大于 高技能人才培训",
        ),
        (("labour_brand: 450", "labour_brand: 451"), "合计行与各单位之和不符：劳务品牌职业技能培训"),
        (
            ("ecommerce: 150\n          labour_brand: 300", "ecommerce: 150\n          labour_brands: 300"),
            "未知的键 labour_brands",
        ),
        (("measure: column:total", "measure: column:everything"), "未知的进度口径“column:everything”"),
        (("comparator: reach", "comparator: most"), "应为 at_least、about、reach 之一"),
        (
            (
                "years: [2025, 2025]\n    measure: column:total",
                "years: [2025, 2024]\n    measure: column:total",
            ),
            "截止年度早于起始年度",
        ),
        (
            ("key: lzxq-2025-post-training", "key: lzxq-2025-employment-training"),
            "代码重复 lzxq-2025-employment-training",
        ),
        (("year: 2025", "year: 2025\n    year: 2026"), "键重复 year"),
    ],
)
def test_the_loader_refuses_bad_files(change, message):
    # given the 2025 file with one mistake
    old, new = change
    assert old in GOOD_TABLE
    text = GOOD_TABLE.replace(old, new, 1)
    # when / then
    with pytest.raises(DomainError) as error:
        parse_targets_text(text)
    assert message in error.value.message


def test_the_category_loader_refuses_an_unknown_column_and_a_repeated_name():
    with pytest.raises(DomainError, match="只能是 elderly_care"):
        parse_categories(
            yaml.safe_load("categories:\n- {column: x, citation: c, interpretation: i, occupations: [a]}")
        )
    with pytest.raises(DomainError, match="职业重复"):
        parse_categories(
            yaml.safe_load(
                "categories:\n- {column: ecommerce, citation: c, interpretation: i, occupations: [a, a]}"
            )
        )
