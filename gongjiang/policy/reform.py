"""Reforms: a pack with some parameters changed, for budget simulation.

A reform file (YAML) names the pack and overrides parameters by path, for every dated value:

    policy: lanzhou-xinqu-2025
    title: 急需紧缺上浮提高到30%，D类合格证+100元，累计次数3→2
    overrides:
      uplift.shortage: {set: 0.3}
      training.employment.D.cert: {add: 100}
      limits.lifetime_cap: {set: 2}

Unknown keys, unknown parameters and overrides of ranges are refused with a Chinese message.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

from .loader import PackError, read_yaml
from .model import Pack, Parameter

REFORM_KEYS = {"policy", "title", "overrides"}
OVERRIDE_KEYS = {"set", "add"}


@dataclasses.dataclass(frozen=True)
class Reform:
    policy: str
    title: str
    overrides: dict[str, tuple[str, Decimal]]


def read_reform(path: Path) -> Reform:
    data = read_yaml(path)
    if (
        not isinstance(data, dict)
        or set(data) - REFORM_KEYS
        or "policy" not in data
        or "overrides" not in data
    ):
        raise PackError(f"{path}: 改革方案须含 policy、overrides（可选 title），不能有其他键")
    overrides: dict[str, tuple[str, Decimal]] = {}
    for parameter, change in (data["overrides"] or {}).items():
        if not isinstance(change, dict) or len(change) != 1 or set(change) - OVERRIDE_KEYS:
            raise PackError(f"{path}: {parameter} 应写作 {{set: 数值}} 或 {{add: 数值}}")
        ((kind, value),) = change.items()
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise PackError(f"{path}: {parameter} 的数值格式错误")
        overrides[str(parameter)] = (kind, Decimal(str(value)))
    return Reform(str(data["policy"]), str(data.get("title", "")), overrides)


def _changed(parameter: Parameter, kind: str, value: Decimal, title: str) -> Parameter:
    values = []
    for dated in parameter.values:
        if dated.ended:
            values.append(dated)
            continue
        if dated.amount is None:
            raise PackError(f"{parameter.path} 是区间，改革方案只能调整定额参数")
        amount = value if kind == "set" else dated.amount + value
        values.append(
            dataclasses.replace(dated, amount=amount, reference=f"{dated.reference}（改革方案：{title}）")
        )
    return dataclasses.replace(parameter, values=tuple(values))


def apply_reform(pack: Pack, reform: Reform) -> Pack:
    if reform.policy != pack.id:
        raise PackError(f"改革方案针对 {reform.policy}，不是 {pack.id}")
    parameters = dict(pack.parameters)
    for path, (kind, value) in reform.overrides.items():
        if path not in parameters:
            raise PackError(f"改革方案中的参数 {path} 不存在")
        parameters[path] = _changed(parameters[path], kind, value, reform.title or "改革")
    return dataclasses.replace(pack, parameters=parameters)


def budget_delta(baseline: Any, reformed: Any, claims: Any) -> dict[str, Any]:
    """Accepted counts and amounts before and after, by benefit, institution and month."""
    import polars as pl

    base = (
        claims.select("claim_id", "institution", "date", "benefit")
        .join(
            baseline.select(
                "claim_id",
                pl.col("accepted").alias("accepted_before"),
                pl.col("amount").alias("amount_before"),
            ),
            on="claim_id",
        )
        .join(
            reformed.select(
                "claim_id", pl.col("accepted").alias("accepted_after"), pl.col("amount").alias("amount_after")
            ),
            on="claim_id",
        )
        .with_columns(
            pl.col("date").dt.strftime("%Y-%m").alias("month"), pl.col("institution").fill_null("（未填）")
        )
    )

    def by(key: str) -> Any:
        return (
            base.group_by(key)
            .agg(
                pl.col("accepted_before").sum(),
                pl.col("accepted_after").sum(),
                pl.col("amount_before").sum(),
                pl.col("amount_after").sum(),
            )
            .with_columns(
                (pl.col("accepted_after") - pl.col("accepted_before")).alias("accepted_delta"),
                (pl.col("amount_after") - pl.col("amount_before")).alias("amount_delta"),
            )
            .sort(key)
        )

    return {"按补贴项目": by("benefit"), "按机构": by("institution"), "按月份": by("month")}
