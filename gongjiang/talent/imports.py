"""The Excel import of a survey round collected on paper: one row per enterprise, in the columns of
台人社发〔2021〕17号 附件1 (the template of `file_templates.survey_template`), with up to three
需求工种 per row. Every problem of every row is collected ({row, column, message}; the header is row
1) before anything is written; the service writes nothing unless there are none.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from typing import Any

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.core.spreadsheets import INJECTION_PREFIXES, SheetRow
from gongjiang.registry.choices import EnterpriseOwnership, EnterpriseSize
from gongjiang.registry.models import Enterprise
from gongjiang.training.imports import RowErrors, parse_date

from .choices import AGE_FIELDS, EDUCATION_FIELDS, LEVEL_FIELDS, DemandMethod
from .models import SurveyResponse
from .survey import MAX_COUNT, MAX_MONEY, DemandData, ResponseData, totals_problems

DEMAND_SLOTS = 3
PROFILE_COLUMNS = (
    "企业名称",
    "统一社会信用代码",
    "负责人",
    "联系电话",
    "企业类型",
    "企业规模",
    "经营领域",
    "职工总数",
    "人均月工资",
    "提取职工培训经费",
    "用于职工培训经费",
)
COUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    *((label, name) for name, _code, label in LEVEL_FIELDS),
    *((label, name) for name, label in AGE_FIELDS),
    *((label, name) for name, label in EDUCATION_FIELDS),
)
DEMAND_PARTS = ("需求工种", "需求人数", "需求等级", "月工资待遇", "培养措施")
DEMAND_COLUMNS = tuple(f"{part}{i}" for i in range(1, DEMAND_SLOTS + 1) for part in DEMAND_PARTS)
FILLER_COLUMNS = ("填表人", "填表人电话", "填表日期")
SURVEY_COLUMNS: tuple[str, ...] = (
    *PROFILE_COLUMNS,
    *(label for label, _name in COUNT_COLUMNS),
    *DEMAND_COLUMNS,
    *FILLER_COLUMNS,
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    *PROFILE_COLUMNS,
    *(label for label, _name in COUNT_COLUMNS),
    *(f"{part}1" for part in DEMAND_PARTS),
    *FILLER_COLUMNS,
)
MONEY_RE = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
PHONE_RE = re.compile(r"^[0-9\-]{7,20}$")
OWNERSHIP_BY_LABEL = {
    **{str(label): value for value, label in EnterpriseOwnership.choices},
    "国有企业": EnterpriseOwnership.STATE,
    "集体企业": EnterpriseOwnership.COLLECTIVE,
    "民营企业": EnterpriseOwnership.PRIVATE_CORP,
    "私营企业": EnterpriseOwnership.PRIVATE,
}
SIZE_BY_LABEL = {
    **{str(label): value for value, label in EnterpriseSize.choices},
    **{f"{label}型": value for value, label in EnterpriseSize.choices},
}
METHOD_BY_LABEL = {
    **{str(label): value for value, label in DemandMethod.choices},
    "联合培养": DemandMethod.JOINT,
    "委托培养": DemandMethod.JOINT,
    "新型学徒制": DemandMethod.JOINT,
    "新型学徒制培养": DemandMethod.JOINT,
    "联合、委托培养、新型学徒制": DemandMethod.JOINT,
}


def text_value(v: dict[str, str], column: str, row: int, errors: RowErrors, *, max_length: int) -> str:
    text = v.get(column, "").strip()
    if not text:
        errors.add(row, column, "不能为空")
    elif text.startswith(INJECTION_PREFIXES):
        errors.add(row, column, "不能以 = + - @ 开头（疑似公式）")
        text = ""
    elif len(text) > max_length:
        errors.add(row, column, f"不能超过 {max_length} 个字")
        text = ""
    return text


def count_value(raw: str, row: int, column: str, errors: RowErrors, *, positive: bool = False) -> int:
    text = raw.strip()
    if text in ("", "/", "-", "—", "无") and not positive:
        return 0
    if text.endswith(".0"):
        text = text[:-2]  # Excel stores whole numbers as floats
    if not text.isascii() or not text.isdigit() or int(text) > MAX_COUNT or (positive and int(text) == 0):
        floor = "大于 0" if positive else "不小于 0"
        errors.add(row, column, f"应为{floor}的整数（人），实际为“{raw}”")
        return 0
    return int(text)


def money_value(
    raw: str, row: int, column: str, errors: RowErrors, *, positive: bool = False
) -> decimal.Decimal:
    text = raw.strip().replace(",", "")
    if (
        not MONEY_RE.match(text)
        or decimal.Decimal(text) > MAX_MONEY
        or (positive and decimal.Decimal(text) <= 0)
    ):
        floor = "大于 0" if positive else "不小于 0"
        errors.add(row, column, f"应为{floor}的金额（元，最多两位小数），实际为“{raw}”")
        return decimal.Decimal("0")
    return decimal.Decimal(text)


def phone_value(raw: str, row: int, column: str, errors: RowErrors) -> str:
    text = raw.strip()
    if text and not PHONE_RE.match(text):
        errors.add(row, column, f"联系电话格式不正确：“{raw}”")
        return ""
    return text


def level_lookup() -> dict[str, SkillLevel]:
    levels: dict[str, SkillLevel] = {}
    for level in SkillLevel.objects.all():
        for key in (level.name, level.alias, level.code):
            if key:
                levels[key] = level
    return levels


@dataclass(frozen=True)
class ParsedResponse:
    row: int
    enterprise: Enterprise
    enterprise_name: str
    data: ResponseData


def survey_rows(survey_round: Any, rows: list[SheetRow]) -> tuple[list[ParsedResponse], RowErrors]:
    errors = RowErrors()
    enterprises = {
        e.credit_code: e
        for e in Enterprise.objects.filter(jurisdiction=survey_round.jurisdiction, is_deleted=False)
    }
    answered = set(
        SurveyResponse.objects.filter(survey_round=survey_round).values_list("enterprise_id", flat=True)
    )
    occupations = {o.name: o for o in Occupation.objects.filter(is_active=True)}
    levels = level_lookup()
    seen: dict[int, int] = {}
    parsed: list[ParsedResponse] = []
    if not rows:
        errors.add(2, "企业名称", "文件中没有数据行")
    for sheet_row in rows:
        n, v = sheet_row.number, sheet_row.values
        before = len(errors.errors)
        name = text_value(v, "企业名称", n, errors, max_length=120)
        code = v.get("统一社会信用代码", "").strip().upper()
        enterprise = enterprises.get(code)
        if enterprise is None:
            errors.add(n, "统一社会信用代码", f"本辖区企业登记中没有信用代码“{code}”" if code else "不能为空")
        elif name and name != enterprise.name:
            errors.add(n, "企业名称", f"与登记的企业名称“{enterprise.name}”不一致")
        elif enterprise.pk in seen:
            errors.add(n, "统一社会信用代码", f"与第 {seen[enterprise.pk]} 行是同一企业")
        elif enterprise.pk in answered:
            errors.add(n, "统一社会信用代码", "该企业在本轮调查中已有调查表")
        if enterprise is not None:
            seen.setdefault(enterprise.pk, n)
        principal = text_value(v, "负责人", n, errors, max_length=60)
        principal_phone = phone_value(v.get("联系电话", ""), n, "联系电话", errors)
        ownership = OWNERSHIP_BY_LABEL.get(v.get("企业类型", "").strip())
        if ownership is None:
            errors.add(
                n,
                "企业类型",
                f"应为 国有企业/集体企业/民营企业/私营企业/个体工商户 之一，实际为“{v.get('企业类型', '')}”",
            )
        size = SIZE_BY_LABEL.get(v.get("企业规模", "").strip())
        if size is None:
            errors.add(n, "企业规模", f"应为 大/中/小 之一，实际为“{v.get('企业规模', '')}”")
        business_field = text_value(v, "经营领域", n, errors, max_length=80)
        staff_count = count_value(v.get("职工总数", ""), n, "职工总数", errors, positive=True)
        wage = money_value(v.get("人均月工资", ""), n, "人均月工资", errors, positive=True)
        drawn = money_value(v.get("提取职工培训经费", ""), n, "提取职工培训经费", errors)
        used = money_value(v.get("用于职工培训经费", ""), n, "用于职工培训经费", errors)
        counts = {name_: count_value(v.get(label, ""), n, label, errors) for label, name_ in COUNT_COLUMNS}
        demand: list[DemandData] = []
        for slot in range(1, DEMAND_SLOTS + 1):
            cells = {part: v.get(f"{part}{slot}", "").strip() for part in DEMAND_PARTS}
            if not any(cells.values()):
                continue
            occupation = occupations.get(cells["需求工种"])
            if occupation is None:
                errors.add(
                    n,
                    f"需求工种{slot}",
                    f"职业目录中没有“{cells['需求工种']}”" if cells["需求工种"] else "不能为空",
                )
            count = count_value(cells["需求人数"], n, f"需求人数{slot}", errors, positive=True)
            level = levels.get(cells["需求等级"])
            if level is None:
                errors.add(
                    n,
                    f"需求等级{slot}",
                    f"应为 初级工/中级工/高级工/技师/高级技师 之一，实际为“{cells['需求等级']}”",
                )
            demand_wage = money_value(cells["月工资待遇"], n, f"月工资待遇{slot}", errors, positive=True)
            method = METHOD_BY_LABEL.get(cells["培养措施"])
            if method is None:
                errors.add(
                    n,
                    f"培养措施{slot}",
                    f"应为“自主培养”或“联合、委托培养、新型学徒制培养”，实际为“{cells['培养措施']}”",
                )
            if occupation is not None and level is not None and method is not None:
                demand.append(DemandData(occupation, count, level, demand_wage, method))
        filled_by = text_value(v, "填表人", n, errors, max_length=60)
        filler_phone = phone_value(v.get("填表人电话", ""), n, "填表人电话", errors)
        filled_on = parse_date(v.get("填表日期", ""))
        if filled_on is None:
            errors.add(n, "填表日期", "日期格式应为 YYYY-MM-DD")
        if (
            len(errors.errors) > before
            or enterprise is None
            or ownership is None
            or size is None
            or filled_on is None
        ):
            continue
        data = ResponseData(
            principal=principal,
            principal_phone=principal_phone,
            ownership=ownership,
            size=size,
            business_field=business_field,
            staff_count=staff_count,
            average_monthly_wage=wage,
            training_funds_drawn=drawn,
            training_funds_used=used,
            counts=counts,
            filled_by=filled_by,
            filler_phone=filler_phone,
            filled_on=filled_on,
            demand=demand,
        )
        problems = totals_problems(data)
        for column, message in problems:
            errors.add(n, column, message)
        if not problems:
            parsed.append(ParsedResponse(n, enterprise, name, data))
    return parsed, errors
