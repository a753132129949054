"""The downloadable template of the paper-round import: the columns of 台人社发〔2021〕17号 附件1
as `imports.SURVEY_COLUMNS`, one example row for an enterprise of the jurisdiction."""

from __future__ import annotations

from typing import Any

from gongjiang.core.spreadsheets import write_xlsx
from gongjiang.registry.models import Enterprise

from .imports import SURVEY_COLUMNS


def survey_template(survey_round: Any) -> bytes:
    enterprise = (
        Enterprise.objects.filter(jurisdiction_id=survey_round.jurisdiction_id, is_deleted=False)
        .order_by("id")
        .first()
    )
    example = {
        "企业名称": enterprise.name if enterprise else "（企业名称，须与企业登记一致）",
        "统一社会信用代码": enterprise.credit_code if enterprise else "（18位统一社会信用代码）",
        "负责人": "（负责人姓名）",
        "联系电话": "",
        "企业类型": "民营企业",
        "企业规模": "中",
        "经营领域": "装备制造",
        "职工总数": "200",
        "人均月工资": "5200",
        "提取职工培训经费": "80000",
        "用于职工培训经费": "60000",
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
        "需求人数1": "5",
        "需求等级1": "高级工",
        "月工资待遇1": "6500",
        "培养措施1": "自主培养",
        "填表人": "（填表人）",
        "填表人电话": "",
        "填表日期": "2025-06-30",
    }
    row = [example.get(column, "") for column in SURVEY_COLUMNS]
    return write_xlsx({"企业技能人才调查表": (SURVEY_COLUMNS, [row])})
