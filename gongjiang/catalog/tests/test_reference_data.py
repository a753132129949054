"""The reference YAML against the text of 新民社发〔2025〕13号 附件3, name by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from gongjiang.catalog.reference import DATA_DIR, load_reference, parse_reference_text
from gongjiang.core.errors import DomainError

REPO_ROOT = Path(__file__).resolve().parents[3]
SEED_NAME = "004_5605efb67bc5a9a2.txt"
SEED_CANDIDATES = (Path("/work/shared/seeds") / SEED_NAME, REPO_ROOT.parent / "shared" / "seeds" / SEED_NAME)
YAML_PATH = DATA_DIR / "lanzhou_xinqu_2025_occupations.yaml"
SPECIAL_SUFFIX = "（专项职业能力考核项目）"


def seed_text() -> str:
    for path in SEED_CANDIDATES:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("没有找到政策原文 seeds（/work/shared/seeds 或 ../shared/seeds）")


def seed_rows() -> dict[str, list[str]]:
    """附件3's four rows: the name cell is the second tab-separated cell; C and D are wrapped in <p>."""
    rows: dict[str, list[str]] = {}
    for line in seed_text().splitlines():
        match = re.match(r"^([ABCD]) 类\t([^\t]*)", line)
        if match:
            cell = re.sub(r"</?p>", "", match.group(2)).strip().removesuffix("。")
            rows[match.group(1)] = [name.strip() for name in cell.split("、")]
    return rows


def bare(name: str) -> tuple[str, str]:
    """("林草种苗工 L") → ("林草种苗工", "L")."""
    match = re.match(r"^(.*?)\s*([SL])$", name)
    return (match.group(1), match.group(2)) if match else (name, "")


def yaml_classes() -> dict[str, list[dict]]:
    data = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    return {block["class"]: block["occupations"] for block in data["occupation_classes"]}


def test_yaml_lists_exactly_the_names_of_each_row_in_document_order():
    # given
    rows = seed_rows()
    # when
    classes = yaml_classes()
    # then
    assert sorted(rows) == ["A", "B", "C", "D"]
    assert {k: len(v) for k, v in rows.items()} == {"A": 67, "B": 129, "C": 95, "D": 46}
    for letter, names in rows.items():
        expected = [bare(n)[0].removesuffix(SPECIAL_SUFFIX) for n in names]
        assert [o["name"] for o in classes[letter]] == expected, letter


def test_yaml_flags_match_the_s_and_l_markers():
    # given
    rows = seed_rows()
    # when
    classes = yaml_classes()
    # then
    for letter, names in rows.items():
        for raw, item in zip(names, classes[letter], strict=True):
            _name, marker = bare(raw)
            assert item.get("digital", False) is (marker == "S"), raw
            assert item.get("green", False) is (marker == "L"), raw
            assert item.get("special_ability_item", False) is raw.endswith(SPECIAL_SUFFIX), raw


def test_yaml_names_are_clean():
    # given / when
    names = [o["name"] for items in yaml_classes().values() for o in items]
    # then
    assert len(names) == len(set(names)) == 337
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", n) for n in names), [n for n in names if " " in n]
    assert "兰州牛肉拉面制作" in names
    assert "信息通信网络运行管理员" in names


def test_reference_citations_courses_certificates_levels():
    # given / when
    data = load_reference("lanzhou-xinqu")
    # then
    citations = {o.subsidy_class: o.citation for o in data.occupations}
    assert citations["A"] == "新民社发〔2025〕13号 附件3 A类"
    assert citations["D"] == "新民社发〔2025〕13号 附件3 D类"
    courses = {c.code: (c.name, c.min_class_hours, c.min_days) for c in data.startup_courses}
    assert courses == {
        "GYB": ("GYB", 24, 3),
        "SYB": ("SYB", 56, 7),
        "IYB": ("IYB", 56, 7),
        "EYB": ("EYB", 48, 6),
        "NET": ("网创培训", 56, 7),
        "PRACTICE": ("创业培训+实训", 56, 7),
    }
    assert [c.name for c in data.certificate_types] == [
        "职业资格证书",
        "职业技能等级证书",
        "专项职业能力证书",
        "特种作业操作证",
        "特种设备作业人员证",
        "培训合格证",
    ]
    assert [(s.rank, s.code, s.name, s.alias) for s in data.skill_levels] == [
        (1, "junior", "五级", "初级工"),
        (2, "intermediate", "四级", "中级工"),
        (3, "senior", "三级", "高级工"),
        (4, "technician", "二级", "技师"),
        (5, "senior_technician", "一级", "高级技师"),
        (6, "special_technician", "特级技师", ""),
        (7, "chief_technician", "首席技师", ""),
    ]


VALID = YAML_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (VALID.replace("document:", "unknown: x\ndocument:"), "未知的键 unknown"),
        (VALID.replace("  - class: B\n", "  - class: E\n"), "实际为“E”"),
        (VALID.replace("- name: 西式烹调师", "- name: 中式烹调师"), "职业名称“中式烹调师”重复"),
        (
            VALID.replace("    min_class_hours: 24\n", "    min_class_hours: 24\n    min_class_hours: 25\n"),
            "键重复",
        ),
        (
            VALID.replace(
                "  - code: GYB\n    name: GYB\n    min_class_hours: 24",
                "  - code: GYB\n    min_class_hours: 24",
            ),
            "缺少键 name",
        ),
        (
            VALID.replace("- name: 护林员\n        green: true", "- name: 护林员\n        green: yes please"),
            "应为 true 或 false",
        ),
    ],
)
def test_malformed_reference_is_refused(text, fragment):
    # given: one defect per case
    # when / then
    with pytest.raises(DomainError) as exc:
        parse_reference_text(text)
    assert fragment in exc.value.message


def test_unknown_jurisdiction_has_no_reference():
    # when / then
    with pytest.raises(DomainError) as exc:
        load_reference("huzhou")
    assert exc.value.code == "no_reference_data"
