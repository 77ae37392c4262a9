"""A figure of another year printed beside this year's, for comparison: '新收申请41件,较2021年的29件增加12件'.

After a prose figure (within REACH characters of its sentence, no other figure between), a comparison word and
a year ('较2021年的', '比上年同期的', '较2018年（', '(2021年为', '，上年为') then a figure in the same unit state
the same metric for that year: the figure is recorded with that year (上年/去年: the data year minus one), never
as this year's. A change ('较上年增加12件') is not such a figure (extract.total derives last year's from it).
The year's publication total (extract.total) and the request, outcome, case, consultation and fee figures
of the phrasing rules are read here: this is the one reader of an earlier year's stated figure.
"""
from __future__ import annotations

import re

from gongkai.extract.prose import Collector, sentence_bounds
from gongkai.numbers import QUANTITY, from_match

REACH = 40
_UNITS = r"件次|件|宗|条|篇|项|人次|次|起|元"
_METRICS = re.compile(r"^(?:proactive_items_total$|req_|out_|review_total|lit_all_total|consultations_|request_fees_|info_processing_fee)")
_YEAR = r"(?:(?P<yr{i}>(?:19|20)\d{{2}})\s*年|(?P<last{i}>上年|去年|上一年|前一年))(?:度|全年)?(?:同期)?(?:共|全年)?"
_OTHER_YEAR = re.compile(
    rf"(?:(?:较|比|相比|与|对比|同比)\s*{_YEAR.format(i=1)}(?:的|为|是|有|共|[(（])?"
    rf"|(?<=[,，(（])\s*{_YEAR.format(i=2)}(?:的|为|是|[(（]))\s*{QUANTITY}\s*(?P<unit>{_UNITS})")
_FIGURE = re.compile(rf"\d\s*(?:{_UNITS})")


def other_year_figures(view: str, out: Collector, year: int | None) -> None:
    """Figures of another year printed right after this year's (the same metric, that year)."""
    if year is None:
        return
    for fact in [f for f in out.facts if f.year is None and _METRICS.match(f.metric)]:
        end = min(sentence_bounds(view, fact.end)[1], fact.end + REACH)
        m = _OTHER_YEAR.search(view, fact.end, end)
        if m is None or m.start("num") in out.claimed or not view[fact.start:fact.end].endswith(m.group("unit")) \
                or _FIGURE.search(view, fact.end, m.start()):     # another figure between: not this one's
            continue
        stated = m.group("yr1") or m.group("yr2")
        other = int(stated) if stated else year - 1
        if other == year:
            continue
        out.add(fact.metric, from_match(m), m.start(), m.end(), dim=fact.dim, year=other)
        out.claimed.add(m.start("num"))


__all__ = ["other_year_figures"]
