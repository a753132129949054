"""Every rule kind of the quote engine, re-expressed as column expressions over a partition of claims.

A partition holds the claims of one benefit evaluated under one pack version, so the benefit's
config and every parameter are plain Python values here, and a rule is a handful of Polars
expressions. `Seq` mirrors how a quote rule runs: reasons accumulate; a rule returns early (the
row stops); a parameter that is not in force raises `MissingParameter`, which the quote engine turns
into `no_policy_in_force` *added to the reasons found so far* (`need`); a parameter read only after
the rule has returned on any reason gives `no_policy_in_force` only when there is no other reason,
history reasons included (`read`, the "tail"). The one history check a rule makes (earlier accepted
claims of the same beneficiary) is a position in that sequence (`history`): the rule says which
kind of history it needs and its group, and `history.py` resolves it over sorted runs.

Each rule function returns an `Out`: the static reasons (`bits`), the tail flag, the amount in fen
if accepted, and the history request. Nothing here calls the single-claim rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from ..model import Benefit, Pack
from .codes import BIT, MASK_TYPE, NO_POLICY
from .params import SCALE, BatchUnsupported, Params

# The quote rule's names for the 四(三) fact (rules/lanzhou.py; a test keeps them equal).
LIST_STATE_FACT, LIST_STATE_DEFAULT = "institution_list_state", "normal"
# history kinds (resolved in history.py)
NONE, ONCE, NOTE5, ANNUAL, CRAFTSMAN = 0, 1, 2, 3, 4
Value = int | pl.Expr | None


@dataclass
class Part:
    """One (benefit, version) partition: what a batch rule may look at."""

    pack: Pack
    benefit: Benefit
    params: Params
    enums: dict[str, list[str]]  # union of each enum fact's choices (column codes index it)

    def cfg(self, key: str, default: Any = None) -> Any:
        return self.benefit.config.get(key, default)

    def col(self, name: str) -> pl.Expr:
        return pl.col(name)

    def per_choice(self, fact: str, values: dict[str, Any], dtype: Any) -> pl.Expr:
        """A value per choice of an enum fact (missing choices → null), looked up by the fact's code;
        a constant when every choice the benefit allows has the same value."""
        allowed = [str(c) for c in self.benefit.facts[fact].choices] if fact in self.benefit.facts else []
        distinct = {values.get(choice) for choice in allowed}
        if len(distinct) == 1 and None not in distinct and self.benefit.facts[fact].required:
            return pl.lit(distinct.pop(), dtype)
        table = pl.Series([values.get(choice) for choice in self.enums[fact]], dtype=dtype)
        return pl.lit(table).gather(pl.col(fact))

    def code_of(self, fact: str, choice: str) -> int | None:
        return self.enums[fact].index(choice) if choice in self.enums[fact] else None


def lit(value: Value, dtype: Any = pl.Int64) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value, dtype)


def _as_bool(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(False)


class Seq:
    """The running state of a quote rule, for every row of a partition at once.

    Whenever rows may stop (a missing parameter, a return), the reasons so far and the still-running
    flag are written to new columns (a *stage*), so later conditions refer to a column instead of
    repeating the whole expression.
    """

    def __init__(self) -> None:
        self.bits: pl.Expr = pl.lit(0, MASK_TYPE)
        self.live: pl.Expr = pl.lit(True)
        self.stages: list[dict[str, pl.Expr]] = []
        self.dead = False  # every row has stopped (a scalar parameter was missing)
        self.reach: pl.Expr | None = None
        self.tail: pl.Expr = pl.lit(False)
        self.in_tail = False

    def _checkpoint(self) -> None:
        n = len(self.stages)
        self.stages.append({f"_bits{n}": self.bits, f"_live{n}": self.live})
        self.bits, self.live = pl.col(f"_bits{n}"), pl.col(f"_live{n}")

    @staticmethod
    def _missing(value: Value, where: pl.Expr | None) -> pl.Expr | None:
        if value is None:
            missing = pl.lit(True)
        elif isinstance(value, pl.Expr):
            missing = value.is_null()
        else:
            return None
        return missing if where is None else missing & _as_bool(where)

    def need(self, value: Value, where: pl.Expr | None = None) -> None:
        """A parameter read while reasons may still follow: missing → no_policy_in_force, stop."""
        if self.in_tail:
            raise AssertionError("need() after the tail started")
        missing = self._missing(value, where)
        if missing is None:
            return
        if value is None and where is None:
            self.dead = True
        self.bits = self.bits | pl.when(self.live & missing).then(pl.lit(NO_POLICY, MASK_TYPE)).otherwise(
            pl.lit(0, MASK_TYPE)
        )
        self.live = self.live & ~missing
        self._checkpoint()

    def refuse(self, code: str, condition: pl.Expr) -> None:
        self.bits = self.bits | pl.when(self.live & _as_bool(condition)).then(
            pl.lit(BIT[code], MASK_TYPE)
        ).otherwise(pl.lit(0, MASK_TYPE))

    def stop(self, condition: pl.Expr) -> None:
        self.live = self.live & ~_as_bool(condition)
        self._checkpoint()

    def stop_if_reasons(self) -> None:
        self._checkpoint()
        self.live = self.live & (self.bits == 0)
        self._checkpoint()

    def history(self) -> None:
        self._checkpoint()
        self.reach = self.live

    def read(self, value: Value, where: pl.Expr | None = None) -> None:
        """A parameter read after every reason: missing → no_policy_in_force only if no other reason."""
        self.in_tail = True
        missing = self._missing(value, where)
        if missing is not None:
            self.tail = self.tail | (self.live & missing)

    def staged(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        for stage in self.stages:
            frame = frame.with_columns(**stage)
        return frame


@dataclass
class Out:
    seq: Seq
    fen: pl.Expr = field(default_factory=lambda: pl.lit(0, pl.Int64))
    hist: int = NONE
    hbit: int = 0
    group: Sequence[pl.Expr] = ()  # group key besides (beneficiary, benefit)
    per_benefit: bool = True  # the group includes the benefit (备注5 spans several)
    key: pl.Expr | None = None
    cap: pl.Expr | None = None
    aux: pl.Expr | None = None


BATCH_RULES: dict[str, Callable[[Part], Out]] = {}


def batch_rule(name: str) -> Callable[[Callable[[Part], Out]], Callable[[Part], Out]]:
    def register(fn: Callable[[Part], Out]) -> Callable[[Part], Out]:
        BATCH_RULES[name] = fn
        return fn

    return register


def times_ratio(fen: pl.Expr, *ratios: Value, bound: int | None = None) -> pl.Expr:
    """fen × Π(ratio / SCALE), rounded half-up to the fen once (the quote's `fen(total)`).

    Constant ratios are folded (× 1 disappears). `bound` is the largest fen × Π ratio the inputs
    can reach (known from the parameters): below 2⁶¹ the arithmetic stays in Int64, else Int128.
    """
    constant, rows = 1, []
    for ratio in ratios:
        if isinstance(ratio, int):
            constant *= ratio
        else:
            rows.append(ratio)
    denominator = SCALE ** len(ratios)
    if not rows and constant == denominator:
        return fen
    dtype = pl.Int64 if bound is not None and bound < 2**61 else pl.Int128
    numerator = fen.cast(dtype) * pl.lit(constant, dtype)
    for ratio in rows:
        numerator = numerator * lit(ratio).cast(dtype)
    den = pl.lit(denominator, dtype)
    return ((2 * numerator + den) // (2 * den)).cast(pl.Int64)


def _most(*values: Any) -> int:
    """The largest of some parameter values (None where missing), for `times_ratio(bound=…)`."""
    return max((v for v in values if v is not None), default=0)


def _paths_per_choice(part: Part, fact: str, params: dict[str, str], *, complete: bool) -> dict[str, str]:
    mapping = {str(k): str(v) for k, v in params.items()}
    if complete:
        lacking = [c for c in part.enums[fact] if c in _benefit_choices(part, fact) and c not in mapping]
        if lacking:
            raise BatchUnsupported(f"{part.benefit.key}: {fact} 取值 {', '.join(lacking)} 没有对应参数")
    return mapping


def _benefit_choices(part: Part, fact: str) -> list[str]:
    return [str(c) for c in part.benefit.facts[fact].choices]


# generic kinds (rules/common.py) --------------------------------------------------------------------
@batch_rule("choice")
def choice(part: Part) -> Out:
    seq, params = Seq(), part.params
    fact = part.cfg("fact")
    base: Value
    base_values: dict[str, int | None] = {}
    if fact:
        paths = _paths_per_choice(part, fact, part.cfg("params"), complete=False)
        has_path = part.per_choice(fact, {c: True for c in paths}, pl.Boolean).fill_null(False)
        seq.refuse("not_applicable", ~has_path)
        seq.stop(~has_path)
        base_values = {c: params.fen(p) for c, p in paths.items()}
        base = part.per_choice(fact, base_values, pl.Int64)
    else:
        base = params.fen(part.cfg("param"))
    out = Out(seq)
    if part.cfg("once"):
        seq.history()
        out.hist, out.hbit = ONCE, BIT["already_received"]
        out.group = [pl.col(name) for name in part.cfg("once_by", [])]
    seq.read(base)
    ratio: Value = SCALE
    if part.cfg("multiplier_param"):
        ratio = params.ratio_or(part.cfg("multiplier_param"), Decimal(1))
        seq.read(ratio)
    bases = list(base_values.values()) if fact else [base]
    out.fen = times_ratio(
        lit(base), ratio, bound=_most(*bases) * _most(ratio if isinstance(ratio, int) else None)
    )
    return out


@batch_rule("per_unit")
def per_unit(part: Part) -> Out:
    seq, params = Seq(), part.params
    count = pl.col(part.cfg("count_fact"))
    out = Out(seq)
    if part.cfg("threshold_param"):
        threshold = params.at_least(part.cfg("threshold_param"))
        seq.need(threshold)
        if seq.dead:
            return out
        seq.refuse("below_threshold", count < threshold)
        seq.stop(count < threshold)
    units = count
    if part.cfg("group_size_param"):
        size = params.whole(part.cfg("group_size_param"))
        seq.need(size)
        if seq.dead:
            return out
        units = count // _positive(size, part.cfg("group_size_param"))
        seq.refuse("below_threshold", units == 0)
        seq.stop(units == 0)
    unit = params.fen(part.cfg("unit_param"))
    seq.need(unit)
    if seq.dead:
        return out
    out.fen = lit(unit) * units
    _annual_cap(part, seq, out)
    return out


def _positive(size: int | None, path: str) -> int:
    if size is None or size <= 0:
        raise BatchUnsupported(f"{path}: 每组人数 {size} 不是正整数")
    return size


def _annual_cap(part: Part, seq: Seq, out: Out) -> None:
    """`cap_for_year`: the organisation's yearly cap against what the same benefit paid this year."""
    path = part.cfg("annual_cap_param")
    if not path:
        return
    cap = part.params.fen(path, how="fixed")
    seq.need(cap)
    if seq.dead:
        return
    seq.history()
    out.hist, out.cap = ANNUAL, pl.lit(cap, pl.Int64)
    out.group = [pl.col("year")]


@batch_rule("monthly")
def monthly(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    per_month = params.fen(part.cfg("monthly_param"), how="fixed")
    seq.need(per_month)
    longest = params.whole(part.cfg("max_months_param"))
    seq.need(longest)
    if seq.dead:
        return out
    months = pl.min_horizontal(pl.col(part.cfg("months_fact")), pl.lit(longest, pl.Int64))
    out.fen = lit(per_month) * months
    return out


# 虞人社〔2023〕19号 (rules/shangyu.py) ------------------------------------------------------------------
@batch_rule("shangyu_new_hire")
def new_hire(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    qualifying = pl.col("qualifying_new_hires")
    inside, outside = pl.col("in_province_outside_district"), pl.col("out_of_province")
    threshold = params.at_least(part.cfg("threshold_param"))
    seq.need(threshold)
    if seq.dead:
        return out
    seq.refuse("below_threshold", qualifying < threshold)
    seq.refuse("not_applicable", inside + outside > qualifying)
    seq.stop_if_reasons()
    parts = [
        (params.fen(part.cfg("employment_param")), qualifying),
        (params.fen(part.cfg("in_province_param")), inside),
        (params.fen(part.cfg("out_of_province_param")), outside),
    ]
    for standard, _ in parts:
        seq.read(standard)
    if any(standard is None for standard, _ in parts):
        return out
    out.fen = sum((lit(standard) * people for standard, people in parts), pl.lit(0, pl.Int64))
    return out


@batch_rule("shangyu_person_years")
def person_years(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    fact = part.cfg("fact")
    base: Value
    if fact:
        paths = _paths_per_choice(part, fact, part.cfg("params"), complete=True)
        base = part.per_choice(fact, {c: params.fen(p) for c, p in paths.items()}, pl.Int64)
    else:
        base = params.fen(part.cfg("unit_param"))
    units: pl.Expr = pl.col(part.cfg("people_fact")) if part.cfg("people_fact") else pl.lit(1, pl.Int64)
    if part.cfg("years_fact"):
        longest = params.whole(part.cfg("max_years_param"))
        seq.need(longest)
        if seq.dead:
            return out
        units = units * pl.min_horizontal(pl.col(part.cfg("years_fact")), pl.lit(longest, pl.Int64))
    seq.need(base)
    if seq.dead:
        return out
    out.fen = lit(base) * units
    return out


@batch_rule("shangyu_self_training")
def self_training(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    size = params.whole(part.cfg("group_size_param"))
    seq.need(size)
    if seq.dead:
        return out
    size = _positive(size, part.cfg("group_size_param"))
    junior = pl.col("junior_intermediate_certified") // size
    senior = pl.col("senior_plus_certified") // size
    none = (junior == 0) & (senior == 0)
    seq.refuse("below_threshold", none)
    seq.stop(none)
    junior_fen = params.fen(part.cfg("junior_intermediate_param"))
    senior_fen = params.fen(part.cfg("senior_plus_param"))
    seq.need(junior_fen)
    seq.need(senior_fen)
    if seq.dead:
        return out
    out.fen = lit(junior_fen) * junior + lit(senior_fen) * senior
    _annual_cap(part, seq, out)
    return out


@batch_rule("shangyu_post_allowance")
def post_allowance(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    newly, months = pl.col("newly_obtained").fill_null(False), pl.col("months")
    seq.refuse("not_shortage_occupation", ~pl.col("shortage_occupation").fill_null(False))
    seq.refuse("not_insured_employee", ~pl.col("insured_employee").fill_null(False))
    seq.history()
    out.hist, out.hbit = ONCE, BIT["already_received"]
    seq.refuse("not_applicable", newly & (months == 0))
    seq.stop_if_reasons()
    one_off = part.per_choice(
        "certificate", {c: params.fen(p) for c, p in part.cfg("one_off_params").items()}, pl.Int64
    )
    per_month = part.per_choice(
        "certificate",
        {c: params.fen(p, how="fixed") for c, p in part.cfg("monthly_params").items()},
        pl.Int64,
    )
    longest = params.whole(part.cfg("max_months_param"))
    seq.read(one_off, where=~newly)
    seq.read(per_month, where=newly)
    seq.read(longest, where=newly)
    paid_months = pl.min_horizontal(months, pl.lit(longest, pl.Int64))
    out.fen = pl.when(newly).then(per_month * paid_months).otherwise(one_off)
    return out


# 湖州 (rules/huzhou.py) ----------------------------------------------------------------------------------
@batch_rule("huzhou_craftsman")
def craftsman(part: Part) -> Out:
    seq, params = Seq(), part.params
    recognised = {str(k): str(v) for k, v in part.cfg("recognised_as", {}).items()}
    ranks = {str(k): int(v) for k, v in part.cfg("rank").items()}
    paths = {str(k): str(v) for k, v in part.cfg("params").items()}
    effective = {c: recognised.get(c, c) for c in _benefit_choices(part, "title")}
    lacking = sorted({e for e in effective.values() if e not in ranks or e not in paths})
    if lacking or min(ranks.values(), default=0) < 0:
        raise BatchUnsupported(f"{part.benefit.key}: 称号 {', '.join(lacking)} 缺少 rank 或参数")
    seq.history()
    out = Out(seq, hist=CRAFTSMAN)
    out.key = part.per_choice("title", {c: ranks[e] for c, e in effective.items()}, pl.Int64)
    out.aux = part.per_choice("title", {c: params.fen(paths[e]) for c, e in effective.items()}, pl.Int64)
    return out


@batch_rule("huzhou_world_skills")
def world_skills(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    roles = {str(k): [str(r) for r in v] for k, v in part.cfg("roles").items()}
    paths = {str(k): str(v) for k, v in part.cfg("params").items()}
    results, role_choices = _benefit_choices(part, "result"), _benefit_choices(part, "role")
    if set(role_choices) - set(roles) or set(results) - set(paths):
        raise BatchUnsupported(f"{part.benefit.key}: roles 或 params 不完整")
    eligible = pl.lit(False)
    for role, allowed in roles.items():
        role_code = part.code_of("role", role)
        codes = [part.code_of("result", r) for r in allowed if part.code_of("result", r) is not None]
        eligible = eligible | ((pl.col("role") == role_code) & pl.col("result").is_in(codes))
    seq.refuse("not_eligible_role", ~eligible)
    seq.stop(~eligible)
    standards = {r: params.fen(p) for r, p in paths.items()}
    standard = part.per_choice("result", standards, pl.Int64)
    seq.read(standard)
    ratio_paths = {str(k): str(v) for k, v in part.cfg("ratio_params", {}).items()}
    ratios = {role: params.ratio(path, fixed=True) for role, path in ratio_paths.items()}
    by_role = {r: ratios.get(r, SCALE) for r in role_choices}
    ratio = part.per_choice("role", by_role, pl.Int64)
    seq.read(ratio)
    out.fen = times_ratio(standard, ratio, bound=_most(*standards.values()) * _most(*by_role.values()))
    return out


# 新民社发〔2025〕13号 (rules/lanzhou.py) -----------------------------------------------------------------
def _list_factor(part: Part) -> tuple[Value, int]:
    """四(三): the factor of the institution's 黑白名单 state (normal when absent), × SCALE; and its
    largest value."""
    paths = {str(k): str(v) for k, v in part.cfg("list_factor_params").items()}
    factors = {state: part.params.ratio(path) for state, path in paths.items()}
    if len(set(factors.values())) == 1:  # today: 1 for every state (figures pending)
        return next(iter(factors.values())), _most(*factors.values())
    expr = part.per_choice(LIST_STATE_FACT, factors, pl.Int64).fill_null(
        pl.lit(factors.get(LIST_STATE_DEFAULT), pl.Int64)
    )
    return expr, _most(*factors.values())


def _note5(part: Part, seq: Seq, out: Out, key: pl.Expr) -> None:
    """备注5 (check_training_limits): the lifetime cap parameter, then the history check."""
    cap = part.params.at_least("limits.lifetime_cap")
    seq.need(cap)
    if seq.dead:
        return
    seq.history()
    out.hist, out.per_benefit = NOTE5, False
    out.key, out.cap = key, pl.lit(cap, pl.Int64)


def _training(part: Part, *, project: bool) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    classes = sorted(set(part.pack.occupation_classes.values()))
    cls = pl.col("occupation_class")  # index into `classes`, null for an occupation not in 附件3
    hours, level, kind = pl.col("class_hours"), pl.col("level"), pl.col("training_type")
    employment, enterprise = (
        part.code_of("training_type", "employment"),
        part.code_of("training_type", "enterprise_post"),
    )
    if project:
        minimum: Value = params.at_least("project.min_hours")
        seq.need(minimum)
        if seq.dead:
            return out
        seq.refuse("hours_below_minimum", hours < minimum)
    else:
        table = pl.Series([params.at_least(f"min_hours.{c}") for c in classes], dtype=pl.Int64)
        minimum = pl.lit(table).gather(cls)
        seq.need(minimum, where=cls.is_not_null())
        seq.refuse("hours_below_minimum", cls.is_not_null() & (hours < minimum))
    n_levels = len(part.enums["level"])
    _note5(part, seq, out, pl.col("occupation_code") * n_levels + level)
    if seq.dead:
        return out
    senior, cert = part.code_of("level", "senior"), part.code_of("level", "cert")
    seq.refuse("level_not_subsidised", (kind == enterprise) & (level == senior))
    seq.refuse("unknown_occupation", cls.is_null())
    if project:
        seq.refuse("no_certificate", ~pl.col("certificate_obtained").fill_null(False))
        seq.refuse("not_employed", (kind == employment) & ~pl.col("employed").fill_null(False))
    seq.stop_if_reasons()
    # the training amount: 附件3 by column, class and level
    levels = part.enums["level"]
    prices = [
        params.fen(f"training.{column}.{c}.{lv}")
        for column in ("employment", "enterprise_post")
        for c in classes
        for lv in levels
    ]
    column = pl.when((kind == enterprise) & (level == cert)).then(1).otherwise(0)
    index = (column * len(classes) + cls) * n_levels + level
    base = pl.lit(pl.Series(prices, dtype=pl.Int64)).gather(index)
    seq.read(base)
    shortage = pl.col("shortage").fill_null(pl.col("in_directory"))
    uplift = params.ratio_or("uplift.shortage", Decimal(0))
    seq.read(uplift, where=shortage)
    factor, most_factor = _list_factor(part)
    seq.read(factor)
    living = (kind == employment) & pl.col("rural_or_lowincome").fill_null(False)
    per_day = params.fen("living_allowance.per_day", how="fixed")
    seq.read(per_day, where=living)
    raised = pl.when(shortage).then(pl.lit(SCALE, pl.Int64) + lit(uplift)).otherwise(pl.lit(SCALE, pl.Int64))
    allowance = pl.when(living).then(lit(per_day) * pl.col("training_days").fill_null(0)).otherwise(0)
    bound = _most(*prices) * (SCALE + _most(uplift)) * most_factor
    out.fen = times_ratio(base, raised, factor, bound=bound) + allowance
    return out


@batch_rule("lanzhou_training")
def lanzhou_training(part: Part) -> Out:
    return _training(part, project=False)


@batch_rule("lanzhou_project_training")
def lanzhou_project_training(part: Part) -> Out:
    return _training(part, project=True)


@batch_rule("lanzhou_startup")
def lanzhou_startup(part: Part) -> Out:
    seq, params = Seq(), part.params
    out = Out(seq)
    courses = _benefit_choices(part, "course")
    minimum = part.per_choice(
        "course", {c: params.at_least(f"startup.min_hours.{c}") for c in courses}, pl.Int64
    )
    seq.need(minimum)
    seq.refuse("hours_below_minimum", pl.col("class_hours") < minimum)
    _note5(part, seq, out, pl.lit(-1, pl.Int64))
    if seq.dead:
        return out
    seq.stop_if_reasons()
    prices = {c: params.fen(f"startup.{c}") for c in courses}
    price = part.per_choice("course", prices, pl.Int64)
    seq.read(price)
    factor, most_factor = _list_factor(part)
    seq.read(factor)
    out.fen = times_ratio(price, factor, bound=_most(*prices.values()) * most_factor)
    return out


@batch_rule("lanzhou_apprentice")
def lanzhou_apprentice(part: Part) -> Out:
    seq, params = Seq(), part.params
    levels = _benefit_choices(part, "level")
    present = part.per_choice(
        "level", {lv: True for lv in levels if params.value(f"apprentice.{lv}") is not None}, pl.Boolean
    )
    seq.need(present)
    seq.history()
    out = Out(seq, hist=ONCE, hbit=BIT["once_per_year"], group=[pl.col("year")])
    prices = {lv: params.fen(f"apprentice.{lv}") for lv in levels}
    price = part.per_choice("level", prices, pl.Int64)
    shortage = pl.col("shortage").fill_null(False)
    uplift = params.ratio_or("apprentice.shortage_uplift", Decimal(0))
    seq.read(uplift, where=shortage)
    raised = pl.when(shortage).then(pl.lit(SCALE, pl.Int64) + lit(uplift)).otherwise(pl.lit(SCALE, pl.Int64))
    out.fen = times_ratio(price, raised, bound=_most(*prices.values()) * (SCALE + _most(uplift)))
    return out
