"""One figure stated for each of several labels: '当面申请和网上申请各1件', '予以公开、不予公开各2件', '行政复议和行政诉讼
各1起'.

The labels before '各' (in its clause, joined by 、/和/及/与/或) must all be of one family: request channels
(channels.csv, with 申请 in the sentence), outcomes (outcome_phrasings.csv) or cases (行政复议, 行政诉讼, 申诉/投诉/
举报 about disclosure); each label gets the figure. A list that mixes families or holds a word of none (‘当面
和其他方式各1件’ is fine, '当面申请和咨询各1件' is not) prints nothing.
"""
from __future__ import annotations

import re

from gongkai.extract.phrasing import OUTCOMES, phrase_class
from gongkai.extract.prose import Collector, clause_start, sentence_bounds
from gongkai.numbers import QUANTITY, from_match
from gongkai.taxonomy import phrasings

_EACH = re.compile(rf"各\s*{QUANTITY}\s*(?P<unit>{phrase_class('U_CASE')[3:-1]}|条)")
_SPLIT = re.compile(r"[、和及与或/]")
_LEAD = re.compile(r"^(?:其中|分别为|分别是|分别|申请方式为|答复结果为|办理结果为|结果为)[:：]?")
_ALL_CHANNELS = phrasings("channels")
_CASE_OF = (("复议", "review_total"), ("诉讼", "lit_all_total"), ("应诉", "lit_all_total"), ("申诉", "complaints_total"),
            ("投诉", "complaints_total"), ("举报", "complaints_total"))
_REQUEST_UNITS = frozenset(phrase_class("U_REQ")[3:-1].split("|"))
MAX_LABEL = 14


def each_of(view: str, out: Collector) -> None:
    """Facts of 'A、B各N件' lists."""
    for m in _EACH.finditer(view):
        if m.start("num") in out.claimed:
            continue
        start = clause_start(view, m.start(), (MAX_LABEL + 1) * 8)
        items = [_LEAD.sub("", item.strip()) for item in _SPLIT.split(view[start:m.start()])]
        if len(items) < 2 or any(not item or len(item) > MAX_LABEL for item in items):
            continue
        sentence = view[slice(*sentence_bounds(view, m.start(), 300))]
        labelled = _labels(items, sentence, m.group("unit"))
        if labelled is None:
            continue
        number = from_match(m)
        for metric, dim in labelled:
            out.add(metric, number, start, m.end(), dim=dim)
        out.claimed.add(m.start("num"))


def _labels(items: list[str], sentence: str, unit: str) -> list[tuple[str, str]] | None:
    """(metric, dim) of every item when all are of one family, else None."""
    families = []
    for item in items:
        outcome = next((metric for phrase, metric in OUTCOMES if phrase in item), None)
        case = next((metric for word, metric in _CASE_OF if word in item), None)
        channel = next((ch for phrase, ch in _ALL_CHANNELS if phrase in item), None)
        if outcome and unit in _REQUEST_UNITS:
            families.append(("outcome", (outcome, "")))
        elif case and not outcome:
            families.append(("case", (case, "")))
        elif channel and "申请" in sentence and unit in _REQUEST_UNITS:
            families.append(("channel", ("req_by_channel", channel)))
        else:
            return None
    if len({family for family, _ in families}) != 1:
        return None
    if families[0][0] == "case" and any(m == "complaints_total" for _, (m, _) in families) and "公开" not in sentence:
        return None                                   # the office's complaints in general, not about disclosure
    labelled = [label for _, label in families]
    return labelled if len(set(labelled)) == len(labelled) else None


__all__ = ["each_of"]
