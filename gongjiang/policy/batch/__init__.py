"""Batch audit: the quote engine's decisions for a whole table of claims at once, in Polars.

`audit_claims(claims, pack)` gives, for every claim of any installed pack, exactly what the quote
engine (`quote.py`) gives for it when its history is the same beneficiary's earlier claims that the
batch accepted: `accepted`, the reason codes (in `reasons.ORDER` order), the amount and the pack
version. Claims of one beneficiary are taken in (date, claim_id) order; "earlier" means strictly
before in that order. Each claim is evaluated under the pack version in force on its date, or under
the version in force on `as_of` (the calendar year and the shortage directory stay the claim's own).

How, and why it is fast (docs/performance.md has the figures):

- `engine.py` reads the claims once into integer columns: a 64-bit key per beneficiary, dates as
  day numbers, the benefit and every enumerated fact as small integer codes. The table is split
  into one partition per (benefit, pack version).
- `rules.py` has every rule kind of the quote engine re-expressed as column expressions. Within a
  partition the benefit's config and every parameter are constants, read once from the `Pack`
  (`params.py`: money in integer fen, ratios as integers over 10⁶, amounts rounded half-up once,
  as the quote engine's `fen()` does). Reasons are bits (`codes.py`) until the output.
- `history.py` resolves what depends on earlier accepted claims — 备注5 (lifetime cap, once a year,
  never the same occupation and level twice), once-only and once-a-year benefits, yearly caps per
  organisation, 湖州 就高不重复 — over runs of one sort, with cumulative sums, and in a few rounds for
  the greedy ones (the number of rounds is the most claims one beneficiary gets accepted, not the
  number of claims).

It never calls the single-claim rules, `map_elements`, `map_rows` or `iter_rows` (a test checks),
and a hypothesis property test compares it with the quote engine claim by claim for every pack.
"""

from .codes import CODES
from .engine import OUTPUT_SCHEMA, audit_claims, supported_benefits
from .params import SCALE, BatchUnsupported

__all__ = ["CODES", "OUTPUT_SCHEMA", "SCALE", "BatchUnsupported", "audit_claims", "supported_benefits"]
