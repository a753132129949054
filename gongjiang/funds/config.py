"""The funds workflow's data: per benefit its 4.1 checklist (`data/benefits.yaml`), per
jurisdiction its fund sources and which fund pays which benefit (`data/<jurisdiction>.yaml`, loaded
into `FundSource` / `BenefitFunding` by `services.funds_config_load`). A benefit's payment keys are
policy: its pack defines them (`payment_keys` in the pack's benefits.yaml), and whose account is
paid (its `beneficiary`)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gongjiang.core.errors import DomainError
from gongjiang.policy.loader import installed_packs
from gongjiang.policy.model import Benefit

DATA_DIR = Path(__file__).parent / "data"


@cache
def benefit_config() -> dict[str, dict[str, Any]]:
    raw = yaml.safe_load((DATA_DIR / "benefits.yaml").read_text(encoding="utf-8"))
    return {key: value for key, value in raw.items() if not key.startswith("_")}


def jurisdiction_config(code: str) -> dict[str, Any]:
    path = DATA_DIR / f"{code}.yaml"
    if not path.exists():
        raise DomainError("no_fund_config", f"辖区 {code} 没有资金配置文件")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _benefit(benefit: str) -> dict[str, Any]:
    found = benefit_config().get(benefit)
    if found is None:
        raise DomainError("benefit_not_configured", f"补贴项目 {benefit} 尚未配置申请材料，不能申请")
    return found


def checklist_for(benefit: str) -> list[dict[str, str]]:
    return list(_benefit(benefit).get("checklist", []))


def pack_benefit(policy: str, benefit: str) -> Benefit | None:
    """The benefit as its installed pack defines it, or None (unknown pack or benefit)."""
    pack = installed_packs().get(policy)
    return pack.benefits.get(benefit) if pack else None


def payee_for(policy: str, benefit: str) -> str:
    """Whose account a line pays: the pack's beneficiary. `organisation` is the applying unit's
    account (a studio's grant, an enterprise's reward, a base paid per trainee); `person` the
    person's. By pack, not by benefit code: 兰州新区's apprenticeship subsidy is the apprentice's,
    湖州's and 台儿庄's the enterprise's."""
    spec = pack_benefit(policy, benefit)
    if spec is None:
        raise DomainError("benefit_not_configured", f"政策包 {policy} 没有补贴项目 {benefit}")
    return spec.beneficiary


def payment_key_templates(policy: str, benefit: str) -> tuple[str, ...]:
    spec = pack_benefit(policy, benefit)
    if spec is None or not spec.payment_keys:
        raise DomainError(
            "benefit_not_configured", f"补贴项目 {policy}/{benefit} 的政策包尚未定义支付键，不能申请"
        )
    return spec.payment_keys


def needs_record(policy: str, benefit: str) -> bool:
    """Whether "the same thing" of the benefit is a talent record (a studio, a competition result)."""
    return any("{record}" in template for template in payment_key_templates(policy, benefit))


MISSING_KEY_PART = {
    "person": "该补贴项目按人支付，须有受益人",
    "organisation": "该补贴项目由单位申请，须以企业或培训机构名义申请",
    "record": "该补贴项目须从人才记录（竞赛成绩、技能大师工作室、称号、培训基地）发起申请",
}


def payment_keys(
    policy: str,
    benefit: str,
    *,
    person_id: int | None,
    facts: dict[str, Any],
    claim_date: dt.date,
    due: str,
    seq: int,
    organisation: str = "",
    record: str = "",
) -> list[str]:
    """The keys of one instalment, from the pack's templates; a missing part is refused.

    Placeholders besides the facts: {person}, {organisation} ("enterprise:12", the applying unit),
    {record} (the talent record, "studio:7"), {year}, {month}, {due}, {seq}."""
    values: dict[str, Any] = {str(k): v for k, v in facts.items()}
    values.update(year=claim_date.year, month=f"{claim_date:%Y-%m}", due=due, seq=seq, benefit=benefit)
    for name, value in (("person", person_id), ("organisation", organisation), ("record", record)):
        if value:
            values[name] = value
    keys = []
    for template in payment_key_templates(policy, benefit):
        try:
            keys.append(template.format(**values))
        except KeyError as exc:
            missing = exc.args[0]
            message = MISSING_KEY_PART.get(missing, f"补贴项目 {benefit} 的支付键需要事实 {missing}")
            raise DomainError("payment_key_fact_missing", message) from exc
    return keys
