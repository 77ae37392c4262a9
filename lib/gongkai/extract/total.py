"""The year's proactive-disclosure total stated in prose ('2017年共主动公开政府信息267条'), last year's figure
derived from a stated change ('比去年增加57条', qualifier 'derived'), and a category that holds the whole
total ('…,全部为业务动态').

The first statement wins, except that a loose first statement ('…等内容,全年共发布信息166条' in a section on
one topic) gives way to a later statement of 主动公开…政府信息. What the genre states beside the year's total
is not it (data/total_scope.csv): a running total since some start ('截至目前累计主动公开…635条' is
proactive_items_cumulative, and the year's figure may follow: '其中本年度新增的主动公开信息40条'), a subtotal
of key or pilot areas (重点领域), of one quoted column of the website ('“行政执法公示”专栏…632条'), of one
channel ('微信公众号发布信息782条', '共发布244篇公众号信息') or of one category.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.extract.items import category_of_label
from gongkai.extract.prose import ALL_CHANNELS, Collector, clause_start, new_this_year, sentence_bounds
from gongkai.model import Fact, ReportMeta
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match
from gongkai.taxonomy import table

_TOTAL = re.compile(
    rf"(?<!申请)(?:主动公开|公开|发布|录入|上传|推送)了?(?P<gap>各类|[^。；;,，、“”\"\n\d类占]){{0,20}}?(?:信息|资讯)"
    rf"(?:数量|件数|条数|总量|数)?(?:共计|共有|共|合计|总计|累计|总数)?(?:达到|达|为)?:?\s*{QUANTITY}\s*(?P<unit>条|件|篇)(?!次)"
    rf"|(?:全年|共|全年共|累计|共计)(?:发布|公开)了?\s*{QUANTITY.replace('?P<', '?P<b_')}\s*(?P<b_unit>条|篇)(?!次)"
    rf"|(?<!申请)主动(?:公开|发布)了?(?:各类)?\s*{QUANTITY.replace('?P<', '?P<c_')}\s*(?P<c_unit>条|篇)"
    rf"(?=(?:各类)?(?:政府|政务)?(?:信息|资讯))"
    rf"|(?<!申请)(?:政府|政务)信息主动(?:公开|发布)(?:数量?)?(?:共计|共|合计)?(?:为)?\s*{QUANTITY.replace('?P<', '?P<d_')}"
    rf"\s*(?P<d_unit>条|件)(?!次)")
_CHANGE = re.compile(
    rf"(?:比|较|与)(?:去年|上年|上一年|前一年|\d{{4}}年)(?:同期)?(?:相比)?[,，]?(?P<dir>增加|增长|多|减少|下降|少)了?"
    rf"\s*(?P<num>{ARABIC})\s*(?P<unit>条|件|篇|宗)")
_CHANGE_UNITS = {"proactive_items_total": ("条", "件", "篇"), "req_new": ("件", "宗")}
_LISTED_TOTAL = re.compile(
    rf"(?:主动公开|公开|发布)[^。；;\n\d]{{2,80}}?、[^。；;\n\d]{{1,40}}?等(?:事项)?(?:各类)?(?:政府)?(?:信息|资讯)(?:数)?"
    rf"(?:共计|共|合计|累计)?(?:达到|达|为)?\s*{QUANTITY}\s*(?P<unit>条|篇)(?!次)")
_NEW_AFTER_CUMULATIVE = re.compile(
    rf"(?<![(（])(?:其中)?[,，]?(?:本年度?|当年度?|今年|全年|\d{{4}}年度?)(?:[^,，。；;\d]{{0,4}}?共)?"
    rf"(?:新增|新发布|新公开|主动公开|公开|发布)(?:的)?(?:主动)?(?:公开|发布)?(?:政府)?"
    rf"(?:信息|资讯)?(?:数)?(?:共|为)?\s*{QUANTITY}\s*(?P<unit>条|件|篇)")
_TYPED_TOTAL = re.compile(     # '公开公文类政府信息共33条,其中…': a total of one kind, with its list
    rf"(?<!申请)(?:主动公开|公开|发布)了?[^。；;,，、“”\"\n\d]{{0,12}}?类(?:政府|政务)?(?:信息|资讯)(?:共计|共|合计)\s*{QUANTITY}"
    rf"\s*(?P<unit>条|件|篇)(?=[,，:：]?其中)")
_ALL_OF = re.compile(r"[,，]?(?:全部|均|都)(?:为|是|属于)(?P<label>[^。；;,，\n\d]{2,12})")
_ALL_THROUGH = re.compile(r"[,，]?(?:全部|均|都|皆)(?:通过|在|经|依托|利用)(?P<label>[^。；;,，\n\d]{2,20}?)"
                          r"(?:平台|渠道)?(?:上|中)?(?:主动)?(?:公开|发布|发出|推送|刊登|张贴)")
_PUBLISHING = frozenset({"website", "weibo", "wechat", "gazette", "press", "bulletin_board"})
_STRONG_TOTAL = re.compile(r"主动公开了?(?:各类|各级)?(?:政府)?信息")
_NOT_TOTAL_CHANNELS = frozenset({"weibo", "wechat", "press", "other", "in_person", "bulletin_board"})
_OF_A_CATEGORY = re.compile(r"(?:其他|其它|(?<!各)类)[^,，。；;\n\d]{0,3}$")   # '其他应主动公开政府信息856条' is a category
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
_AFTER_FIGURE = re.compile(r"[^。；;,，、\n\d]{0,12}")


def _scope(kind: str) -> tuple[str, ...]:
    return tuple(p for row in table("total_scope") if row["kind"] == kind for p in row["phrasings"].split("|") if p)


_SINCE = re.compile("|".join(map(re.escape, _scope("since"))))
_FROM_YEAR = re.compile(r"(?:自|从)?(?:19|20)\d{2}\s*年[^。；;,，\d]{0,8}?以来")   # '自2008年以来累计…': to date
_SPAN = re.compile("|".join(map(re.escape, _scope("span"))))
_YEAR_WORD = re.compile(r"(?:19|20)\d{2}\s*年|本年|今年|全年|当年|年度")
_KEY_AREA = re.compile("|".join(map(re.escape, _scope("key_area"))))
_COLUMN = re.compile(r"“(?P<name>[^“”]{2,20})”(?:" + "|".join(map(re.escape, _scope("column"))) + ")")
_WEBSITE_COLUMN = _scope("website_column")
_NOT_TOTAL_GAP = re.compile("|".join(map(re.escape, _scope("not_total"))))


@dataclass
class TotalStatement:
    """Where and what the year's total is: its sentence start, the end of its statement, its unit, the fact,
    and the ends of later statements of the same figure (a restatement anchors a category list too)."""
    sentence_start: int
    end: int
    unit: str
    fact: Fact
    restated: list[tuple[int, int]] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.fact.value

    @property
    def exact(self) -> bool:
        return self.fact.qualifier == "exact"


def _total_prefix(m: re.Match) -> str:
    """Group prefix of the _TOTAL alternative that matched ('', 'b_' or 'c_')."""
    return "" if m.group("num") else "b_" if m.group("b_num") else "c_" if m.group("c_num") else "d_"


def _is_channel_statement(view: str, m: re.Match) -> bool:
    """'微信公众号发布信息782条' or '共发布244篇公众号信息' counts one channel, not the total; a website figure
    is the total."""
    prefix = _total_prefix(m)
    clause = view[clause_start(view, m.start()):m.start(f"{prefix}num")]
    channels = {ch for phrase, ch in ALL_CHANNELS if phrase in clause}
    if channels:
        return "website" not in channels and bool(channels & _NOT_TOTAL_CHANNELS)
    after = _AFTER_FIGURE.match(view, m.end(f"{prefix}unit")).group(0)
    return bool({ch for phrase, ch in ALL_CHANNELS if phrase in after} & _NOT_TOTAL_CHANNELS)


def _is_subtotal(view: str, m: re.Match) -> bool:
    """A figure of key areas (重点领域) or of one quoted column of the website is not the year's total."""
    num_at = m.start(f"{_total_prefix(m)}num")
    before = view[sentence_bounds(view, m.start())[0]:num_at]
    if _KEY_AREA.search(view, clause_start(view, m.start()), num_at):
        return True
    return any(not any(w in c.group("name") for w in _WEBSITE_COLUMN) for c in _COLUMN.finditer(before))


def _cumulative(view: str, m: re.Match) -> bool:
    """'截至目前累计主动公开政府信息635条': 累计 with a 'since' word before the figure is a running total; so is
    any 累计 figure followed by the year's own ('…累计…347条,其中本年度新增的主动公开信息40条')."""
    num_at = m.start(f"{_total_prefix(m)}num")
    if "累计" not in view[clause_start(view, m.start()):num_at]:
        return False
    return bool(_SINCE.search(view, sentence_bounds(view, m.start())[0], num_at) or _since_year(view, m)
                or _year_after(view, m))


def _since_year(view: str, m: re.Match) -> bool:
    """'自2008年以来累计主动公开9541条': 累计 since a named year is a running total to date, not another year's."""
    num_at = m.start(f"{_total_prefix(m)}num")
    start = clause_start(view, m.start())
    return "累计" in view[start:num_at] and bool(_FROM_YEAR.search(view, start, num_at))


def _year_after(view: str, m: re.Match) -> re.Match | None:
    """The year's own figure stated in the sentence of a running total ('…,其中本年度新增的主动公开信息40条')."""
    end = sentence_bounds(view, m.start())[1]
    if view.startswith("其中", end + 1):      # '…累计…805条。其中2014年度我局共主动公开政府信息360条'
        end = sentence_bounds(view, end + 1)[1]
    return _NEW_AFTER_CUMULATIVE.search(view, m.end(), min(end, m.end() + 60))


def _of_several_years(view: str, m: re.Match) -> bool:
    """'近三年来,我局累计主动公开…2100余条': a span of years names the figure (no year word after it)."""
    num_at = m.start(f"{_total_prefix(m)}num")
    span = None
    for span in _SPAN.finditer(view, sentence_bounds(view, m.start())[0], num_at):
        pass
    return span is not None and not _YEAR_WORD.search(view, span.end(), num_at)


def _of_another_year(view: str, m: re.Match, year: int | None) -> bool:
    """'2014年底累计主动公开…347条' in a 2015 report: the clause of the figure names another year."""
    if year is None:
        return False
    num_at = m.start(f"{_total_prefix(m)}num")
    return any(int(y.group(1)) != year for y in _YEAR.finditer(view, clause_start(view, m.start()), num_at))


_TO_DATE = re.compile(r"截至|截止|到(?:目前|现在|\d{4}\s*年)")


def _to_date(view: str, m: re.Match, prefix: str, out: Collector) -> None:
    """'截至2020年12月31日,本局累计主动公开政府信息3200条' that gives way to the year's own statement after it
    ('本年度主动公开政府信息410条') is the running total to that date."""
    num_at = m.start(f"{prefix}num")
    start = sentence_bounds(view, m.start())[0]
    if "累计" in view[clause_start(view, m.start()):num_at] and _TO_DATE.search(view, start, num_at):
        out.add("proactive_items_cumulative", from_match(m, f"{prefix}num", f"{prefix}pre", f"{prefix}post"),
                clause_start(view, m.start()), m.end())
        out.claimed.add(num_at)


def _earlier_years(view: str, m: re.Match, gap: str, year: int, out: Collector) -> None:
    """'2019年主动公开政府信息430条' in a 2020 report: an earlier year's own total, stated as such (one year named,
    主动公开…信息, no 累计/底/末 of a running total)."""
    prefix = _total_prefix(m)
    clause = view[clause_start(view, m.start()):m.start(f"{prefix}num")]
    years = {int(y.group(1)) for y in _YEAR.finditer(clause)}
    if len(years) != 1 or not _STRONG_TOTAL.search(gap) or re.search(r"累计|底|末|截至|以来", clause):
        return
    earlier = years.pop()
    if earlier < year:
        number = from_match(m, f"{prefix}num", f"{prefix}pre", f"{prefix}post")
        out.add("proactive_items_total", number, clause_start(view, m.start()), m.end(), year=earlier)
        out.claimed.add(m.start(f"{prefix}num"))


def _statements(view: str, out: Collector, year: int | None = None) -> list[tuple[re.Match, str]]:
    """Total statements in text order, with running totals recorded as proactive_items_cumulative on the way
    (the year's figure stated after one is a statement of its own); a statement of another year is neither."""
    found = []
    for m in _TOTAL.finditer(view):
        prefix = _total_prefix(m)
        gap = view[m.start():m.start(f"{prefix}num")]
        if _of_another_year(view, m, year) and not _since_year(view, m):
            _earlier_years(view, m, gap, year, out)
            continue
        if _of_several_years(view, m):
            out.claimed.add(m.start(f"{prefix}num"))
            continue
        if _NOT_TOTAL_GAP.search(gap) or (m.group("gap") is not None and category_of_label(gap[2:])) \
                or "分别" in view[clause_start(view, m.start()):m.start()]:    # 'A、B分别发布信息300条、120条'
            continue
        if _is_channel_statement(view, m) or _is_subtotal(view, m) or _OF_A_CATEGORY.search(view, 0, m.start()):
            continue
        if not _cumulative(view, m):
            found.append((m, prefix))
            continue
        number = from_match(m, f"{prefix}num", f"{prefix}pre", f"{prefix}post")
        out.add("proactive_items_cumulative", number, clause_start(view, m.start()), m.end())
        out.claimed.add(m.start(f"{prefix}num"))
        new = _year_after(view, m)
        if new:
            found.append((new, ""))
    return found


def proactive_total(view: str, meta: ReportMeta, out: Collector) -> TotalStatement | None:
    """The first statement of the year's total; also last year's total when a change is stated.
    Returns where the total stands, or None when the report states none.

    A loose first statement ('…等内容,全年共发布信息166条' in a section on one topic) gives way to a later
    statement of 主动公开…政府信息 when there is one ('2017年全区主动公开政府信息2122条')."""
    chosen = None
    statements = _statements(view, out, meta.year)
    for m, prefix in statements:
        if chosen is None:
            chosen = (m, prefix)
        gap = view[m.start():m.start(f"{prefix}num")]
        if _STRONG_TOTAL.search(gap) and "累计" not in view[clause_start(view, m.start()):m.start()]:
            first, first_prefix = chosen
            first_num = first.start(f"{first_prefix}num")
            first_strong = _STRONG_TOTAL.search(view[first.start():first_num]) \
                and "累计" not in view[clause_start(view, first.start()):first.start()]
            if not first_strong and first is not m and \
                    from_match(first, f"{first_prefix}num").value != from_match(m, f"{prefix}num").value:
                _to_date(view, first, first_prefix, out)        # not a restatement of the year's figure
            chosen = chosen if first_strong else (m, prefix)
            break
    if chosen is None:
        listed = _LISTED_TOTAL.search(view) or _TYPED_TOTAL.search(view)
        if listed is None or _of_several_years(view, listed):
            return None
        chosen = (listed, "")
    m, prefix = chosen
    s_start, s_end = sentence_bounds(view, m.start())
    number = from_match(m, f"{prefix}num", f"{prefix}pre", f"{prefix}post")
    number, end = new_this_year(view, m.end(), number, meta)
    clause = clause_start(view, m.start())
    fact = out.add("proactive_items_total", number, clause if m.start() - clause <= 30 else m.start(), end)
    out.claimed.add(m.start(f"{prefix}num"))
    derive_change(view, fact, meta, out, s_end)
    _all_of_total(view, end, s_end, number, out)
    restated = [(sentence_bounds(view, s.start())[0], s.end()) for s, p in statements
                if s.start() != m.start() and abs(from_match(s, f"{p}num").value - number.value) < 1e-9]
    return TotalStatement(s_start, end, m.group(f"{prefix}unit"), fact, restated)


def derive_change(view: str, fact: Fact, meta: ReportMeta, out: Collector, limit: int | None = None) -> None:
    """Last year's figure from a change stated right after this year's ('…120条,比去年增加20条' -> 100 for
    last year, qualifier 'derived'); works for any exact count (the total, new requests). Last year's figure
    printed as such ('比去年的100条') is extract.restated's."""
    if not meta.year or fact.qualifier != "exact":
        return
    end = sentence_bounds(view, fact.end)[1] if limit is None else limit
    change = _CHANGE.search(view, fact.end, min(end, fact.end + 60))
    if change is None or change.start("num") in out.claimed or change.group("unit") not in _CHANGE_UNITS[fact.metric]:
        return
    delta = float(change.group("num").replace(",", ""))
    up = change.group("dir") in ("增加", "增长", "多")
    previous = fact.value - delta if up else fact.value + delta
    if previous >= 0:
        out.add(fact.metric, Number(previous), change.start(), change.end(), dim=fact.dim, qualifier="derived",
                year=meta.year - 1)
    out.claimed.add(change.start("num"))


def _all_of_total(view: str, end: int, s_end: int, number: Number, out: Collector) -> None:
    """'共主动公开政府信息107条,…,全部为业务动态': one category holds the whole total."""
    for m in _ALL_THROUGH.finditer(view, end, s_end):   # '…88条,均通过区政府门户网站公开': one channel's
        channel = next((ch for phrase, ch in ALL_CHANNELS if phrase in m.group("label")), "")
        if channel in _PUBLISHING and len({ch for phrase, ch in ALL_CHANNELS if phrase in m.group("label")}) == 1:
            out.add("proactive_items_by_channel", number, m.start("label") - 2, m.end(), dim=channel)
            break
    for m in _ALL_OF.finditer(view, end, s_end):
        category = category_of_label(m.group("label"))
        if category and category != "other":
            out.add("proactive_items_by_category", number, m.start("label") - 3, m.end("label"), dim=category)
            return


__all__ = ["proactive_total", "derive_change", "TotalStatement"]
