"""The prose view of a report and what every prose reader shares: the collector of facts, sentence and
clause bounds, the channel a label names, and the 'new this year' figure in brackets.

The prose view is the text with table rows ('|' lines, one-cell lines, numbered outcome rows, tables 二,
三 and 四 flattened into a line) blanked,
same length, so that every span found in it points into Document.text: tables belong to extract.tables.
"""
from __future__ import annotations

import re

from gongkai.model import Fact, ReportMeta, short_quote
from gongkai.numbers import QUANTITY, Number, from_match, in_range
from gongkai.taxonomy import metric_unit, phrasings

SENTENCE_END = "。！？!?\n"
CLAUSE_END = "。；;,，\n"

_TABLE_LINE = re.compile(
    r"^[^\n|]*\|[^\n|]*\|[^\n]*$|^[^\n|。]*\|[^\n|。]*$"    # a flattened table row (one '|' in prose is no row)
    r"|^[ \t]*[-+]?[\d.,%]+[ \t]*$"                        # a cell holding only a figure
    r"|^[ \t]*(?:\(?[一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、|\d{1,2}[.、])[ \t]*"
    r"(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计|本年新收|上年结转|结转下年度|本年度办理结果|属于|其他法律"
    r"|危及|保护第三方|本机关不掌握|没有现成|补正后|信访举报|重复申请|要求提供|无正当理由|要求行政机关|申请人|其他)[^\n。]{0,60}$",
    re.M)
_TABLE2_RUN = re.compile(        # table 二 flattened into a line: from its first 第二十条 label to the prose after it
    r"第二十条第\s*[(（]?\s*[一五六八九]\s*[)）]?\s*项.*?"
    r"(?=。|\n\s*\n|(?<!第)[(（][一二三四五六七八九十][)）]|[一二三四五六七八九十]、|本列数据|\Z)", re.S)
_TABLE3_RUN = re.compile(        # table 三 flattened: from its header to the digits of its last row
    r"(?:[（(]?本列数据的勾稽关系|申请人情况\s*自然人)[^。]{0,3000}?结转下年度继续办理[\s\d|]*")
_TABLE4_RUN = re.compile(        # table 四 flattened: from its header to the prose after its values
    r"行政复议\s*(?:行政诉讼)?\s*结果维持[^。]{0,600}?(?=\n\s*\n|[五六]、|[(（][一二三四五六][)）]|。|\Z)")
_NEW_THIS_YEAR = re.compile(rf"\s*[(（]\s*(?:(?P<year>\d{{4}})年)?(?:本年|当年|全年)?新增\s*{QUANTITY}\s*(?:条|件|篇)\s*[)）]")

ALL_CHANNELS = phrasings("channels")


def prose_view(text: str) -> str:
    """The text with table rows blanked (same length, so spans still point into the original)."""
    view = _TABLE_LINE.sub(lambda m: " " * len(m.group(0)), text)
    for run in (_TABLE2_RUN, _TABLE3_RUN, _TABLE4_RUN):
        view = run.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), view)
    return view


class Collector:
    """Facts found so far, and which figures (by position) are already accounted for."""

    def __init__(self, text: str):
        self.text = text
        self.facts: list[Fact] = []
        self.claimed: set[int] = set()
        self.absurd: list[tuple[str, str]] = []     # (metric, quote) of figures beyond numbers.MAX_FIGURE

    def add(self, metric: str, number: Number, start: int, end: int, dim: str = "", qualifier: str | None = None,
            year: int | None = None) -> Fact:
        """Record a prose fact with its span and quote; the unit comes from the metric. A figure beyond
        numbers.MAX_FIGURE (or not finite) is not recorded but listed in self.absurd (metric, quote) for the
        checks; the Fact is returned all the same, so a caller reading it derives nothing from it (NaN)."""
        fact = Fact(metric=metric, value=number.value, unit=metric_unit(metric), start=start, end=end,
                    quote=short_quote(self.text, start, end), dim=dim, qualifier=qualifier or number.qualifier,
                    method="text", year=year)
        if in_range(number.value):
            self.facts.append(fact)
        else:
            self.absurd.append((metric, fact.quote))
        return fact


SENTENCE_REACH = 3000     # no sentence is longer: a run without a full stop (a flattened table, a hostile text)
                          # is cut there, so that a figure's sentence is found in bounded time


def sentence_bounds(text: str, pos: int, reach: int = SENTENCE_REACH) -> tuple[int, int]:
    """(start, end) of the sentence around pos (at most reach characters on either side)."""
    low, high = max(0, pos - reach), min(len(text), pos + reach)
    start = max(max(text.rfind(c, low, pos) for c in SENTENCE_END) + 1, low)
    ends = [i for i in (text.find(c, pos, high) for c in SENTENCE_END) if i >= 0]
    return start, min(ends) if ends else high


def clause_start(view: str, pos: int, reach: int = SENTENCE_REACH) -> int:
    """Start of the clause (between commas, semicolons, full stops) that holds pos (at most reach characters
    before it)."""
    low = max(0, pos - reach)
    return max(max(view.rfind(c, low, pos) for c in CLAUSE_END) + 1, low)


def channel_of_label(label: str) -> str:
    """Channel id a label names ('微信公众号' -> 'wechat'), '' when none."""
    return next((ch for phrase, ch in ALL_CHANNELS if phrase in label), "")


def new_this_year(view: str, end: int, number: Number, meta: ReportMeta) -> tuple[Number, int]:
    """'累计8775条(2025年新增388条)': the year's own figure is the one in brackets."""
    m = _NEW_THIS_YEAR.match(view, end)
    if m and (not m.group("year") or meta.year is None or int(m.group("year")) == meta.year):
        return from_match(m), m.end()
    return number, end


__all__ = ["prose_view", "Collector", "sentence_bounds", "clause_start", "channel_of_label", "new_this_year"]
