"""The history checks, resolved over sorted runs instead of claim by claim.

The claims that take part in a history check are sorted once by (kind, group key, date, claim
order). A *run* is one group: the claims whose histories share the same earlier claims (备注5: one
person's training claims; once-only: one beneficiary, benefit and `once_by` facts; once a year and
annual caps: also the calendar year). A claim's history is the accepted claims earlier in its run.

Cumulative sums within runs (`run_cumsum`: a global cumulative sum minus its value at the run's
start) give "how many accepted before me", "how much paid this year", "highest title so far"
without any join. Only two kinds need the accepted set before they can say who is accepted:

- `once` (once-only, once a year, 上虞 岗位补助): the first claim of a run that passes every other
  check is accepted and every later one refused — closed form.
- `annual` (yearly caps): paid-so-far is min(cumulative total, cap) — closed form, per stretch of
  equal caps (a new pack version within a year starts a stretch from what was paid before it).
- `note5` (备注5: lifetime cap, once a year, never the same occupation and level twice) and
  `craftsman` (湖州 就高不重复): greedy, so resolved in rounds. Each round finds, in every run at
  once, the first claim acceptable given the run's accepted claims so far, accepts it, and drops
  everything up to it. Rounds = the most claims one run accepts (备注5: the lifetime cap, 3; 湖州:
  the number of title ranks), not the number of claims.

Then one pass over all claims of the run lists the history reasons of every claim (also those
refused for other reasons: the quote engine lists every reason) against the accepted set.
"""

from __future__ import annotations

import polars as pl

from .codes import BIT, MASK_TYPE, NO_POLICY
from .rules import ANNUAL, CRAFTSMAN, NOTE5, ONCE

START = pl.col("start")
RESULT = ["idx", "bits", "fen"]


class KeyCollision(Exception):
    """Two different groups share a hashed key (detected by the second, independent hash)."""


def run_cumsum(x: pl.Expr, start: pl.Expr = START) -> pl.Expr:
    """Inclusive cumulative sum of x within runs (a run begins where `start` is true)."""
    total = x.cum_sum()
    return total - pl.when(start).then(total - x).forward_fill()


def _starts(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(start=(pl.col("gk") != pl.col("gk").shift(1)).fill_null(True))


def _bit(code: str) -> pl.Expr:
    return pl.lit(BIT[code], MASK_TYPE)


def _zero() -> pl.Expr:
    return pl.lit(0, MASK_TYPE)


def _close(frame: pl.DataFrame, history_bits: pl.Expr, fen: pl.Expr | None = None) -> pl.DataFrame:
    """Final reasons: static | history | no_policy_in_force for a missing tail parameter when nothing
    else was found; and, where the history changes it (caps, 就高), the amount of accepted claims."""
    found = pl.col("bits") | history_bits
    bits = found | pl.when(pl.col("tail") & (found == 0)).then(pl.lit(NO_POLICY, MASK_TYPE)).otherwise(
        _zero()
    )
    if fen is None:
        return frame.select("idx", bits=bits)
    return frame.with_columns(bits=bits).select(
        "idx", "bits", fen=pl.when(pl.col("bits") == 0).then(fen).otherwise(0).cast(pl.Int64)
    )


HISTORY_LABELS = {
    ONCE: "限享受一次或每年一次",
    NOTE5: "备注5 次数与同职业同等级",
    ANNUAL: "年度上限",
    CRAFTSMAN: "就高不重复",
}
# the columns each kind reads in sorted order, besides the group key and `flags` (bits, tail, reach)
NEEDS = {
    ONCE: (),
    NOTE5: ("year", "key", "cap"),
    ANNUAL: ("fen", "cap"),
    CRAFTSMAN: ("key", "aux"),
}
CHANGES_AMOUNT = {ANNUAL, CRAFTSMAN}
TAIL, REACH = 1 << 30, 1 << 31


def flags(bits: pl.Expr, tail: pl.Expr, reach: pl.Expr) -> pl.Expr:
    """Reasons, the tail flag and the reach flag in one UInt32 (reason bits stay below bit 30)."""
    return (
        bits.cast(pl.UInt32)
        + tail.cast(pl.UInt32) * pl.lit(TAIL, pl.UInt32)
        + reach.cast(pl.UInt32) * pl.lit(REACH, pl.UInt32)
    )


def _order(history: pl.DataFrame) -> pl.DataFrame:
    """(gk, gk2, h) in (group key, date, claim order) order, h the row in `history`.

    A two-key sort costs several times a one-key sort, so: one sort on the 64-bit group key, then
    one on (run number, day, claim order) packed into one integer — runs are already in place, so
    the second sort only reorders within them. When the packed key would not fit in 63 bits (more
    than ~10⁸ claims), a plain two-key sort.
    """
    first = history.select(pl.col("gk").arg_sort()).to_series()
    keyed = history.select("gk", "gk2", "dnum", "order")[first].with_columns(h=first)
    keyed = keyed.with_columns(
        run=(pl.col("gk") != pl.col("gk").shift(1)).fill_null(True).cast(pl.Int64).cum_sum() - 1
    )
    low, high, runs, last = keyed.select(
        low=pl.col("dnum").min().cast(pl.Int64),
        high=pl.col("dnum").max().cast(pl.Int64),
        runs=pl.col("run").max(),
        last=pl.col("order").max().cast(pl.Int64),
    ).row(0)
    day_bits, order_bits = int(high - low).bit_length(), int(last).bit_length()
    if int(runs).bit_length() + day_bits + order_bits > 62:
        return keyed.sort("gk", "dnum", "order").select("gk", "gk2", "h")
    packed = (
        pl.col("run") * (1 << (day_bits + order_bits))
        + (pl.col("dnum").cast(pl.Int64) - low) * (1 << order_bits)
        + pl.col("order").cast(pl.Int64)
    )
    keyed = keyed.with_columns(packed=packed)
    if not keyed.get_column("packed").is_sorted():
        keyed = keyed[keyed.select(pl.col("packed").arg_sort()).to_series()]
    return keyed.select("gk", "gk2", "h")


def resolve(history: pl.DataFrame, kind: int, hbit: int, *, exact: bool = False) -> pl.DataFrame:
    """(idx, bits[, fen]) of every claim of one history kind, from its rows in partition order;
    `fen` only for the kinds that change amounts (CHANGES_AMOUNT).

    Rows are ordered by (group key, date, claim order) through a narrow key table (`_order`); only
    the columns the kind reads are then gathered in that order. The group key is a 64-bit hash; a
    second, independent hash must agree on every run, else `KeyCollision` (the caller redoes the
    audit with exact keys, `exact=True`: the group columns themselves are sorted and numbered).
    """
    if exact:
        groups = ["g0", "g1", "g2", "g3", "g4"]
        numbered = history.with_row_index("h").sort(groups)
        changed = pl.any_horizontal([pl.col(g) != pl.col(g).shift(1) for g in groups]).fill_null(True)
        numbered = numbered.select("h", gk=changed.cast(pl.UInt64).cum_sum())
        history = history.with_columns(gk=numbered.sort("h").get_column("gk")).with_columns(gk2=pl.col("gk"))
    keys = _order(history)
    collided = keys.select(
        ((pl.col("gk") == pl.col("gk").shift(1)) & (pl.col("gk2") != pl.col("gk2").shift(1))).any()
    ).item()
    if collided:
        raise KeyCollision
    ordered = history.select("idx", "flags", *NEEDS[kind])[keys.get_column("h")]
    ordered = ordered.with_columns(
        keys.get_column("gk"),
        bits=pl.col("flags") % pl.lit(TAIL, pl.UInt32),
        tail=(pl.col("flags") // pl.lit(TAIL, pl.UInt32)) % 2 == 1,
        reach=pl.col("flags") >= pl.lit(REACH, pl.UInt32),
        hbit=pl.lit(hbit, MASK_TYPE),
    )
    return KINDS[kind](_starts(ordered))


def _once(frame: pl.DataFrame) -> pl.DataFrame:
    ok = (pl.col("reach") & (pl.col("bits") == 0) & ~pl.col("tail")).cast(pl.Int64)
    frame = frame.with_columns(before=run_cumsum(ok) - ok)
    hit = pl.col("reach") & (pl.col("before") > 0)
    return _close(frame, pl.when(hit).then(pl.col("hbit")).otherwise(_zero()))


def _annual(frame: pl.DataFrame) -> pl.DataFrame:
    """`cap_for_year`: room = cap - min(paid so far this year, cap); none left → annual_cap_reached."""
    ok = pl.col("reach") & (pl.col("bits") == 0)
    frame = frame.with_columns(
        total=pl.when(ok).then(pl.col("fen")).otherwise(0).cast(pl.Int64),
        stretch=START | (pl.col("cap") != pl.col("cap").shift(1)).fill_null(True),
    ).with_columns(nth=run_cumsum(pl.col("stretch").cast(pl.Int64)))
    # paid before each claim: from what was paid when its stretch of equal caps began
    frame = frame.with_columns(
        inclusive=run_cumsum(pl.col("total"), pl.col("stretch")),
        paid0=pl.when(pl.col("nth") == 1).then(pl.lit(0, pl.Int64)),
    )
    stretches = frame.select(pl.col("nth").max().fill_null(1).cast(pl.Int64)).item()
    for nth in range(1, stretches + 1):
        capped = pl.col("paid0") >= pl.col("cap")
        after = (
            pl.when(capped)
            .then(pl.col("paid0"))
            .otherwise(pl.min_horizontal(pl.col("paid0") + pl.col("inclusive"), pl.col("cap")))
        )
        next_start = pl.col("stretch") & (pl.col("nth") == nth + 1)
        frame = frame.with_columns(
            paid0=pl.when(pl.col("nth") == nth + 1)
            .then(pl.when(next_start).then(after.shift(1)).forward_fill())
            .otherwise(pl.col("paid0"))
        )
    before = (
        pl.when(pl.col("paid0") >= pl.col("cap"))
        .then(pl.col("paid0"))
        .otherwise(pl.min_horizontal(pl.col("paid0") + pl.col("inclusive") - pl.col("total"), pl.col("cap")))
    )
    frame = frame.with_columns(room=pl.col("cap") - before)
    reached = ok & (pl.col("room") <= 0)
    return _close(
        frame,
        pl.when(reached).then(_bit("annual_cap_reached")).otherwise(_zero()),
        pl.min_horizontal(pl.col("fen"), pl.col("room")),
    )


def _accepted_mask(height: int, positions: list[pl.Series]) -> pl.Series:
    mask = pl.zeros(height, pl.UInt8, eager=True)
    chosen = pl.concat(positions) if positions else pl.Series([], dtype=pl.UInt32)
    if chosen.len():
        mask = mask.scatter(chosen, 1)
    return mask.cast(pl.Boolean)


def _note5(frame: pl.DataFrame) -> pl.DataFrame:
    """备注5: at most `cap` accepted, one a calendar year, never the same occupation and level twice."""
    frame = frame.with_columns(pos=pl.int_range(pl.len(), dtype=pl.UInt32), stamp=pl.col("key").fill_null(-1))
    # an accepted claim's own key; -2 for a claim without occupation (创业培训), which matches nothing
    stamp = pl.when(pl.col("stamp") >= 0).then(pl.col("stamp")).otherwise(-2)
    ok = pl.col("reach") & (pl.col("bits") == 0) & ~pl.col("tail")
    candidates = frame.filter(ok).select("pos", "gk", "year", "cap", "stamp", kept=stamp)
    positions: list[pl.Series] = []
    rounds = 0
    if candidates.height and candidates.select(pl.col("cap").min()).item() >= 1:
        # the first round without arithmetic: with nothing accepted yet, each run's first candidate
        candidates = _starts(candidates)
        positions.append(candidates.filter("start").get_column("pos"))
        candidates = (
            candidates.with_columns(
                last_year=pl.when("start").then(pl.col("year")).forward_fill(),
                k0=pl.when("start").then(pl.col("kept")).forward_fill(),
            )
            .filter(~pl.col("start") & (pl.col("cap") > 1))
            .drop("start")
        )
        rounds = 1
    while candidates.height:
        candidates = _starts(candidates)
        used = [pl.col(f"k{j}") == pl.col("stamp") for j in range(rounds)]
        eligible = (pl.lit(rounds) < pl.col("cap")) & ~pl.any_horizontal([pl.lit(False), *used])
        if rounds:
            eligible = eligible & (pl.col("year") > pl.col("last_year"))
        candidates = candidates.with_columns(eligible=eligible.fill_null(False)).with_columns(
            first=pl.col("eligible") & (run_cumsum(pl.col("eligible").cast(pl.Int64)) == 1)
        )
        positions.append(candidates.filter("first").get_column("pos"))
        first = pl.col("first").cast(pl.Int64)
        candidates = candidates.with_columns(
            after=(run_cumsum(first) - first) > 0,
            last_year=pl.when("first").then(pl.col("year")).forward_fill(),
            **{f"k{rounds}": pl.when("first").then(pl.col("kept")).forward_fill()},
        )
        rounds += 1
        candidates = candidates.filter(pl.col("after") & (pl.lit(rounds) < pl.col("cap"))).drop(
            "start", "eligible", "first", "after"
        )
    frame = frame.with_columns(acc=_accepted_mask(frame.height, positions))
    acc = pl.col("acc").cast(pl.Int64)
    frame = frame.with_columns(
        nth=run_cumsum(acc),
        year_start=START | (pl.col("year") != pl.col("year").shift(1)).fill_null(True),
    ).with_columns(before=pl.col("nth") - acc, year_before=run_cumsum(acc, pl.col("year_start")) - acc)
    same = pl.lit(False)
    for j in range(rounds):
        earlier = pl.when(pl.col("acc") & (pl.col("nth") == j + 1)).then(stamp).forward_fill()
        same = same | ((pl.col("before") >= j + 1) & (earlier == pl.col("stamp")))
    reach = pl.col("reach")
    history_bits = (
        pl.when(reach & (pl.col("before") >= pl.col("cap"))).then(_bit("lifetime_cap")).otherwise(_zero())
        | pl.when(reach & (pl.col("year_before") > 0)).then(_bit("once_per_year")).otherwise(_zero())
        | pl.when(reach & same.fill_null(False)).then(_bit("same_occupation_level")).otherwise(_zero())
    )
    return _close(frame, history_bits)


def _craftsman(frame: pl.DataFrame) -> pl.DataFrame:
    """湖州 二(二)3 就高不重复: accepted titles rise strictly; each pays its standard less what was paid."""
    frame = frame.with_columns(pos=pl.int_range(pl.len(), dtype=pl.UInt32))
    candidates = frame.filter(pl.col("aux").is_not_null()).select("pos", "gk", rank="key", standard="aux")
    positions: list[pl.Series] = []
    rounds = 0
    while candidates.height:
        candidates = _starts(candidates)
        eligible = pl.lit(True)
        if rounds:
            eligible = (pl.col("rank") > pl.col("top")) & (pl.col("standard") > pl.col("paid"))
        candidates = candidates.with_columns(eligible=eligible).with_columns(
            first=pl.col("eligible") & (run_cumsum(pl.col("eligible").cast(pl.Int64)) == 1)
        )
        positions.append(candidates.filter("first").get_column("pos"))
        first = pl.col("first").cast(pl.Int64)
        candidates = (
            candidates.with_columns(
                after=(run_cumsum(first) - first) > 0,
                top=pl.when("first").then(pl.col("rank")).forward_fill(),
                paid=pl.when("first").then(pl.col("standard")).forward_fill(),
            )
            .filter("after")
            .drop("start", "eligible", "first", "after")
        )
        rounds += 1
    frame = frame.with_columns(acc=_accepted_mask(frame.height, positions))
    acc = pl.col("acc").cast(pl.Int64)
    shift = 1 << 20  # ranks are small non-negative integers: (run number, rank + 1) in one integer
    run_number = pl.col("start").cast(pl.Int64).cum_sum()
    frame = frame.with_columns(
        before=run_cumsum(acc) - acc,
        top=pl.when(pl.col("acc")).then(run_number * shift + pl.col("key") + 1).otherwise(run_number * shift),
    ).with_columns(
        top=(pl.col("top").cum_max().shift(1).fill_null(0) - run_number * shift).clip(lower_bound=0) - 1,
        paid=pl.when(pl.col("before") > 0)
        .then(pl.when(pl.col("acc")).then(pl.col("aux")).forward_fill().shift(1))
        .otherwise(0),
    )
    rank, standard = pl.col("key"), pl.col("aux")
    higher = pl.col("top") > rank
    same = pl.col("top") == rank
    missing = ~higher & ~same & standard.is_null()
    nothing_left = ~higher & ~same & ~missing & (pl.col("before") > 0) & (standard - pl.col("paid") <= 0)
    history_bits = (
        pl.when(higher).then(_bit("already_higher")).otherwise(_zero())
        | pl.when(same | nothing_left.fill_null(False)).then(_bit("already_received")).otherwise(_zero())
        | pl.when(missing).then(pl.lit(NO_POLICY, MASK_TYPE)).otherwise(_zero())
    )
    return _close(frame, history_bits, standard - pl.col("paid"))


KINDS = {ONCE: _once, NOTE5: _note5, ANNUAL: _annual, CRAFTSMAN: _craftsman}
