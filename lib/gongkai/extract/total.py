"""The year's proactive-disclosure total stated in prose ('2017年共主动公开政府信息267条'), last year's total
derived from a stated change ('比去年增加57条', qualifier 'derived'), and a category that holds the whole
total ('…,全部为业务动态').

The first statement wins, except that a loose first statement ('…等内容,全年共发布信息166条' in a section on
one topic) gives way to a later statement of 主动公开…政府信息. A figure of one channel ('微信公众号发布信息
782条') or of one category is not the total.
"""
from __future__ import annotations

import re

from gongkai.extract.categories import category_of_label
from gongkai.extract.prose import ALL_CHANNELS, Collector, clause_start, new_this_year, sentence_bounds
from gongkai.model import ReportMeta
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match

_TOTAL = re.compile(
    rf"(?<!申请)(?:主动公开|公开|发布|录入|上传|推送)了?(?P<gap>各类|[^。；;,，、“”\"\n\d类占]){{0,20}}?(?:信息|资讯)"
    rf"(?:数量|数)?(?:共计|共|合计|总计|累计|总数)?(?:达到|达|为)?:?\s*{QUANTITY}\s*(?P<unit>条|件|篇)(?!次)"
    rf"|(?:全年|共|全年共|累计|共计)(?:发布|公开)了?\s*{QUANTITY.replace('?P<', '?P<b_')}\s*(?P<b_unit>条|篇)(?!次)"
    rf"|(?<!申请)主动(?:公开|发布)了?(?:各类)?\s*{QUANTITY.replace('?P<', '?P<c_')}\s*(?P<c_unit>条|篇)"
    rf"(?=(?:各类)?(?:政府|政务)?(?:信息|资讯))")
_CHANGE = re.compile(
    rf"(?:比|较|与)(?:去年|上年|上一年|前一年|\d{{4}}年)(?:同期)?(?:相比)?[,，]?(?P<dir>增加|增长|多|减少|下降|少)了?"
    rf"\s*(?P<num>{ARABIC})\s*(?P<unit>条|件|篇)")
_LISTED_TOTAL = re.compile(
    rf"(?:主动公开|公开|发布)[^。；;\n\d]{{2,80}}?、[^。；;\n\d]{{1,40}}?等(?:事项)?(?:政府)?(?:信息|资讯)(?:数)?"
    rf"(?:共计|共|合计|累计)?(?:达到|达|为)?\s*{QUANTITY}\s*(?P<unit>条|篇)(?!次)")
_ALL_OF = re.compile(r"[,，]?(?:全部|均|都)(?:为|是|属于)(?P<label>[^。；;,，\n\d]{2,12})")
_STRONG_TOTAL = re.compile(r"主动公开了?(?:各类|各级)?(?:政府)?信息")
_NOT_TOTAL_GAP = re.compile(r"新闻|报道|稿件|分别|报告|年报|指南|目录")
_NOT_TOTAL_CHANNELS = frozenset({"weibo", "wechat", "press", "other", "in_person", "bulletin_board"})


def _total_prefix(m: re.Match) -> str:
    """Group prefix of the _TOTAL alternative that matched ('', 'b_' or 'c_')."""
    return "" if m.group("num") else "b_" if m.group("b_num") else "c_"


def _is_channel_statement(view: str, m: re.Match) -> bool:
    """'微信公众号发布信息782条' counts one channel, not the total; a website figure is the total."""
    clause = view[clause_start(view, m.start()):m.start(f"{_total_prefix(m)}num")]
    channels = {ch for phrase, ch in ALL_CHANNELS if phrase in clause}
    return bool(channels) and "website" not in channels and bool(channels & _NOT_TOTAL_CHANNELS)


def proactive_total(view: str, meta: ReportMeta, out: Collector) -> tuple[int, int, str] | None:
    """The first statement of the year's total; also last year's total when a change is stated.
    Returns (sentence start, statement end, unit) of the total, or None when the report states none.

    A loose first statement ('…等内容,全年共发布信息166条' in a section on one topic) gives way to a later
    statement of 主动公开…政府信息 when there is one ('2017年全区主动公开政府信息2122条')."""
    chosen = None
    for m in _TOTAL.finditer(view):
        prefix = _total_prefix(m)
        gap = view[m.start():m.start(f"{prefix}num")]
        if _NOT_TOTAL_GAP.search(gap) or (m.group("gap") is not None and category_of_label(gap[2:])):
            continue
        if _is_channel_statement(view, m):
            continue
        if chosen is None:
            chosen = m
        if _STRONG_TOTAL.search(gap) and "累计" not in view[clause_start(view, m.start()):m.start()]:
            first_num = chosen.start(f"{_total_prefix(chosen)}num")
            chosen = chosen if _STRONG_TOTAL.search(view[chosen.start():first_num]) else m
            break
    if chosen is not None:
        m = chosen
        prefix = _total_prefix(m)
        s_start, s_end = sentence_bounds(view, m.start())
    else:
        m = _LISTED_TOTAL.search(view)
        if m is None:
            return None
        prefix = ""
        s_start, s_end = sentence_bounds(view, m.start())
    number = from_match(m, f"{prefix}num", f"{prefix}pre", f"{prefix}post")
    number, end = new_this_year(view, m.end(), number, meta)
    clause = clause_start(view, m.start())
    out.add("proactive_items_total", number, clause if m.start() - clause <= 30 else m.start(), end)
    out.claimed.add(m.start(f"{prefix}num"))
    changes = _CHANGE.finditer(view, end, min(s_end, end + 60))
    change = next(changes, None)
    if change and meta.year and number.qualifier == "exact":
        delta = float(change.group("num").replace(",", ""))
        up = change.group("dir") in ("增加", "增长", "多")
        previous = number.value - delta if up else number.value + delta
        if previous >= 0:
            out.add("proactive_items_total", Number(previous), change.start(), change.end(), qualifier="derived",
                    year=meta.year - 1)
        out.claimed.add(change.start("num"))
    _all_of_total(view, end, s_end, number, out)
    return s_start, end, m.group(f"{prefix}unit")


def _all_of_total(view: str, end: int, s_end: int, number: Number, out: Collector) -> None:
    """'共主动公开政府信息107条,…,全部为业务动态': one category holds the whole total."""
    for m in _ALL_OF.finditer(view, end, s_end):
        category = category_of_label(m.group("label"))
        if category and category != "other":
            out.add("proactive_items_by_category", number, m.start("label") - 3, m.end("label"), dim=category)
            return


__all__ = ["proactive_total"]
