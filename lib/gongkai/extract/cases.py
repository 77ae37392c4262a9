"""Outcomes of reconsideration and litigation cases stated in prose, after the count of cases.

The phrasing rules (extract.phrasing) read the counts ('被申请行政复议2件', '行政应诉案件1件'); this reader
reads what the rest of the count's scope (up to the next count of cases or the sentence's end) says of them:

- an outcome word of phrase_classes.csv (CASE_UPHELD 维持, CASE_CORRECTED 纠正, CASE_OTHER 终止, CASE_PENDING
  尚未审结) with its own figure ('其中结果维持1件', '复议机关维持2件、纠正1件', '1件被撤销') is that outcome's
  count; without a figure, the count of every case when there is one case ('复议1件,复议机关维持原答复') or
  when an 'all' word stands before it ('2件,均结果维持'); a negated word ('未被纠错') is no outcome;
- a lawsuit's manner (LIT_DIRECT 未经复议直接起诉, LIT_AFTER_REVIEW 复议后起诉) makes its count the count of that
  manner ('行政诉讼1件,为复议后起诉' -> lit_after_review_total 1) and its outcomes that manner's; a count of
  lawsuits of no stated manner has no outcomes (lit_all_* other than the total is not in the contract).

Anything less sure (two manners and one figure, several outcomes of one case) prints nothing.
"""
from __future__ import annotations

import collections
import re

from gongkai.extract.phrasing import phrase_class
from gongkai.extract.prose import Collector, clause_start, sentence_bounds
from gongkai.numbers import QUANTITY, Number, from_match

_OUTCOMES = {"upheld": "CASE_UPHELD", "corrected": "CASE_CORRECTED", "other": "CASE_OTHER", "pending": "CASE_PENDING"}
_SUFFIX_OF = {p: suffix for suffix, name in _OUTCOMES.items() for p in phrase_class(name)[3:-1].split("|")}
_OUTCOME = re.compile("|".join(sorted(_SUFFIX_OF, key=len, reverse=True)))   # '撤销复议' (other) before '撤销'
_MANNER = re.compile(f"(?P<direct>{phrase_class('LIT_DIRECT')})|(?P<after_review>{phrase_class('LIT_AFTER_REVIEW')})")
_UNIT = phrase_class("U_CASE")
_FIGURE_AFTER = re.compile(rf"(?:原[^。；;,，、\n\d]{{0,6}}?)?(?:的)?(?:有|为|共)?\s*{QUANTITY}\s*{_UNIT}")
_FIGURE_BEFORE = re.compile(rf"{QUANTITY}\s*{_UNIT}[^。；;,，、\n\d]{{0,6}}$")
_NEGATED = re.compile(phrase_class("NEG") + r"(?:被)?[^。；;,，、\n\d]{0,1}$")
_ALL = re.compile(phrase_class("ALL") + r"[^。；;,，、\n\d]{0,4}$")
CASE_COUNTS = ("review_total", "lit_all_total", "complaints_total")
REACH = 200               # a count's outcomes stand within this many characters of it


def case_outcomes(view: str, out: Collector) -> None:
    """Outcomes (and lawsuits' manners) stated after each prose count of cases."""
    counts = sorted((f for f in out.facts if f.metric in CASE_COUNTS), key=lambda f: f.start)
    shared = collections.Counter(f.start for f in counts)
    for i, fact in enumerate(counts):
        if fact.metric == "complaints_total" or not fact.value or shared[fact.start] > 1:
            continue                                  # '复议和诉讼共2件': whose outcomes is not sure
        following = next((f.start for f in counts[i + 1:] if f.start > fact.start), len(view))
        end = min(sentence_bounds(view, fact.end, REACH)[1], following)
        if fact.metric == "review_total":
            _outcomes(view, fact.end, end, fact.value, "review", out)
        else:
            _lawsuits(view, fact.start, fact.end, end, fact.value, out)


def _lawsuits(view: str, start: int, after: int, end: int, count: float, out: Collector) -> None:
    manners = list(_MANNER.finditer(view, clause_start(view, start, REACH), end))
    kinds = {m.lastgroup for m in manners}
    if len(kinds) == 2 and len(manners) == 2:         # '其中未经复议直接起诉1件、复议后起诉1件': each its figure
        figures = [_FIGURE_AFTER.match(view, m.end(), end) for m in manners]
        if all(figures) and sum(from_match(f).value for f in figures) == count:
            for m, figure in zip(manners, figures):
                out.add(f"lit_{m.lastgroup}_total", from_match(figure), m.start(), figure.end())
        return                                        # whose outcome is which is not sure
    if len(kinds) != 1:
        return                                        # none stated
    kind = kinds.pop()
    figure = _FIGURE_AFTER.match(view, manners[0].end())
    total = from_match(figure) if figure and len(manners) == 1 else Number(count)
    if figure and total.value != count:
        return                                        # '其中复议后起诉1件' of 3: the other 2 are of no stated manner
    out.add(f"lit_{kind}_total", total, manners[0].start(), manners[0].end())
    _outcomes(view, after, end, total.value, f"lit_{kind}", out)


def _outcomes(view: str, start: int, end: int, count: float, prefix: str, out: Collector) -> None:
    found: list[tuple[str, Number, int, int]] = []
    bare: list[tuple[str, int, int]] = []
    for m in _OUTCOME.finditer(view, start, end):
        suffix = _SUFFIX_OF[m.group(0)]
        if suffix != "pending" and _NEGATED.search(view, max(start, m.start() - 4), m.start()):
            continue                                  # '未被纠错' states no correction, no count
        after = _FIGURE_AFTER.match(view, m.end(), end)
        before = _FIGURE_BEFORE.search(view, max(start, clause_start(view, m.start(), REACH)), m.start())
        if after or before:
            number = from_match(after or before)
            found.append((suffix, number, m.start(), (after or m).end()))
        else:
            bare.append((suffix, m.start(), m.end()))
    if not found and len({suffix for suffix, _, _ in bare}) == 1:
        suffix, s, e = bare[0]
        if count == 1 or _ALL.search(view, clause_start(view, s, REACH), s):
            found.append((suffix, Number(count), s, e))   # one case, or all of them
    if sum(n.value for _, n, _, _ in found) > count:
        return                                        # more outcomes than cases: not these cases' outcomes
    for suffix, number, s, e in found:
        out.add(f"{prefix}_{suffix}", number, s, e)


__all__ = ["case_outcomes"]
