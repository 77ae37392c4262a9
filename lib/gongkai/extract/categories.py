"""The category breakdown of a report's prose: the list of 'label N条' items attached to the year's proactive
total, mapped onto the category vocabulary (categories.csv) or, for a channel label, onto channels
(channels.csv, proactive_items_by_channel).

Items are read sentence by sentence into lists (the items of one sentence, their labels, sub-items and
shares are extract.items' concern); a sentence qualifies when it holds the total, or two typed items
('机构职能类信息13条'), or mapped items near a publishing verb or right after a qualifying sentence. Key areas
(重点领域) cut across categories and are left out. This module decides which lists are attached to the total
and reconciles them with it.

A report's breakdown is the list attached to its total, not every 'X信息N条' in it: the list in the total's
sentence, the lists that follow it (or a restatement of the total) sentence after sentence (a lone item
there is a topic's count unless it opens with 其中/包括 or looks like a breakdown), and a list that
says it is the breakdown ('主要类别有：', '在主动公开的90条政府信息中'; such a sentence qualifies whatever its
items). When there is such a list, the other lists (topic sub-counts of section 一, a column's or a channel's
own list, figures of another year) are not categories; when there is none, other lists are kept as long as
they fit in the total and look like a breakdown - two items, a typed category label, or 主动公开/主动发布 (a
lone topic count is a work measure); without a total, only such lists are kept. A list short of its total
made only of a key-area subtotal and interpretations is no breakdown. A list that reaches the total exactly
is complete: what follows it in the same statement ('…其他应主动公开的政府信息12条;公开财政预决算信息2条') is a
sub-count. When the breakdown still exceeds the total (2 % slack), the other readings are tried - an item
that is the sum of the items after it holds them as sub-items; of several lists one that reconciles alone;
a list that adds up to the other total it names ('在主动公开的32条…中' under a total of 26) is that figure's
breakdown and is left out - and if none reconciles the figures are kept with qualifier 'unreconciled', so
that views can leave them out of the category mix and the checks can say why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai.extract.items import (LIST_BREAK, PUBLISHING_CHANNELS, ListItem, category_of_label, list_words,
                                   read_list, request_free, sentence_items)
from gongkai.extract.prose import Collector
from gongkai.model import UNRECONCILED, ReportMeta
from gongkai.numbers import ARABIC, Number
from gongkai.taxonomy import table

if TYPE_CHECKING:                       # extract.total imports extract.items, not this module
    from gongkai.extract.total import TotalStatement

_SENTENCE = re.compile(r"[^。！？!?\n]+")
_ITEM_HINT = re.compile(r"[\d零〇一二两三四五六七八九十百千]")
_PROACTIVE_VERB = re.compile(r"公开|发布|推送|上报|更新|上传|录入")
_STRONG_VERB = re.compile(r"主动(?:公开|发布)")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"")
_KEY_AREAS = re.compile(r"重点领域[^。；;,，\n\d]{0,30}?(?:共|共计|合计|累计)[^。；;\n\d]{0,8}?\d")  # a key-area total
_KEY_AREA_LABEL = re.compile("|".join(re.escape(p) for row in table("total_scope") if row["kind"] == "key_area"
                                      for p in row["phrasings"].split("|") if p))   # '重点领域信息2000余条'
_ALONE_NOT_CATEGORY = re.compile("|".join(map(re.escape, list_words("alone"))))
_INTRO = re.compile("|".join(map(re.escape, list_words("intro"))))
_OPENS_COLUMN = re.compile("(?:" + "|".join(map(re.escape, list_words("opens_column")))
                           + r")[^。；;,，\d“]{0,6}“[^“”]{2,20}”(?:专栏|栏目|专题|板块|版块)")
_OPENS_SUBLIST = re.compile(r"\s*(?:" + "|".join(map(re.escape, list_words("sub"))) + ")")   # '其中工作动态60条'
_IN_THE = re.compile(rf"在(?:本年度?|全年)?(?:主动)?公开的\s*(?:(?P<own>{ARABIC})\s*(?:条|件))?(?:各类)?(?:政府|政务)?"
                     rf"(?:信息|资讯)中")     # '在主动公开的90条政府信息中': the list's own total

SLACK = 0.02                    # a breakdown may exceed its total by 2 % (rounding, double-filed items)


@dataclass
class _List:
    """The items of one sentence; anchored when it is attached to the year's total."""
    items: list[ListItem]
    anchored: bool
    own_total: float | None = None
    proactive: bool = False             # '主动公开/主动发布' before its first item, or it goes on with a breakdown


    def categories(self) -> list[ListItem]:
        return [i for i in self.items if i.metric == "proactive_items_by_category"]


def _collect(view: str, total: TotalStatement | None, meta: ReportMeta, out: Collector) -> list[_List]:
    """The lists of the prose, sentence by sentence, each marked anchored or not."""
    lists: list[_List] = []
    anchors = [] if total is None else [total.end] + [end for _, end in total.restated]
    running = [f.end for f in out.facts if f.metric == "proactive_items_cumulative"]   # its list qualifies too
    after_total = chained = key_area = False
    previous: _List | None = None           # the list of the sentence before, when that sentence qualified
    for sentence in _SENTENCE.finditer(view):
        pos, end = sentence.span()
        before, previous = previous, None
        if not _ITEM_HINT.search(view, pos, end):
            after_total = chained = key_area = False
            continue
        in_total = total is not None and pos <= total.end <= end
        anchor = any(pos <= a <= end for a in anchors)
        items = list(sentence_items(view, pos, end, out.claimed))
        reach = max((item[0].end() for item in items), default=end)     # '…其他类97条；办理依申请公开1件。':
        stop = LIST_BREAK.search(view, reach, end)                      # a request after the list's statement
        reach = stop.start() if stop else end
        if not anchor and "申请" in request_free(_QUOTED.sub("", view[pos:reach])):   # a quoted title: a 申请表
            after_total = chained = key_area = False
            continue
        if not anchor and not in_total and _OPENS_COLUMN.search(view, pos, end):
            after_total = chained = key_area = False     # a column opened and its own count: a work measure
            continue
        if not anchor and (_KEY_AREAS.search(view, pos, end) or key_area and view[pos:end].lstrip().startswith("其中")):
            after_total = chained = False      # key areas (重点领域) have their own total and cut across categories
            key_area = True
            continue
        key_area = False
        key = _KEY_AREAS.search(view, pos, end)
        if key:                                # '…,其中重点领域信息共计480条,包括…': the key areas' own count
            items = [item for item in items if item[0].start() < key.start()]
        alone = [item for item in items if _ALONE_NOT_CATEGORY.search(item[2]) and not item[3] and not item[4]]
        if alone and all(item[4] in PUBLISHING_CHANNELS and not item[3] for item in items if item not in alone):
            items = [item for item in items if item not in alone]   # '发布政策文件解读96篇': interpretations,
                                                                    # not a category (beside channels' figures)
        mapped = sum(1 for item in items if item[3])
        typed = sum(1 for item in items if item[3] and "类" in item[2])
        columns = any(item[6] for item in items)
        channels_only = bool(items) and all(item[4] in PUBLISHING_CHANNELS and not item[3] for item in items)
        first = min((item[1] for item in items), default=pos)
        in_the = _IN_THE.search(view, pos, first)          # '在主动公开的65条政府信息中，为民办实事类信息13条'
        said = in_the is not None or _INTRO.search(view, pos, first) is not None     # says it is the breakdown
        qualifies = bool(items) and (in_total or typed >= 2 or said or ((mapped or columns or channels_only) and (
            after_total or _PROACTIVE_VERB.search(view, pos, end))))
        this_anchored = False
        if qualifies:
            own = in_the.group("own") if in_the else None
            this_anchored = anchor or chained or said
            found = read_list(view, pos, end, items, total, meta, in_total)
            if found:
                lst = _List(found, this_anchored, float(own.replace(",", "")) if own else None,
                            _STRONG_VERB.search(view, pos, min(i.num_at for i in found)) is not None)
                lst.proactive |= before is not None and _credible(before)   # it goes on with a breakdown
                if chained and not (anchor or said) and not _credible(lst) \
                        and not _OPENS_SUBLIST.match(view, pos, end):   # '重点推进预决算公开，公开…信息12条'
                    lst.anchored = this_anchored = False                # after the total: a topic's count
                lists.append(lst)
                previous = lst
        chained = (qualifies and this_anchored) or (anchor and not qualifies)   # a list may follow the total's sentence
        after_total = in_total or qualifies or any(pos <= r <= end for r in running)
    return lists


def _close(lists: list[_List], total: float, view: str) -> None:
    """A list that reaches the total exactly is complete: the category items after a break (';') in the same
    statement are sub-counts ('…其他应主动公开的政府信息12条;公开财政预决算信息2条'). Channel figures in the
    list count towards the total once a category has ('其中概况类147条、…、微博13970条、微信2539条')."""
    for lst in lists:
        target = lst.own_total if lst.own_total is not None else total   # '在主动公开的32条…中': its own total
        categories = mixed = 0.0
        seen_category, closed_at, broken_at = False, None, None
        kept = []
        for item in lst.items:
            if broken_at is not None and item.metric == "proactive_items_by_category" and broken_at < item.start:
                continue                         # a one-character break after the close: searched for once
            kept.append(item)
            if closed_at is not None:
                continue
            mixed += item.number.value
            if item.metric == "proactive_items_by_category":
                categories += item.number.value
                seen_category = True
            if abs(categories - target) < 0.5 or (seen_category and abs(mixed - target) < 0.5):
                closed_at = item.end
                found = LIST_BREAK.search(view, closed_at)
                broken_at = found.start() if found else None
        lst.items = kept


def _sum(lists: list[_List]) -> float:
    return sum(i.number.value for lst in lists for i in lst.categories())


def _fits(value: float, total: float) -> bool:
    return value <= total * (1 + SLACK) + 0.5


def _reconciles(value: float, total: float) -> bool:
    return _fits(value, total) and value >= total * (1 - SLACK) - 0.5


def _sub_items(lst: _List) -> None:
    """An item that is the sum of the two or more untyped items right after it holds them ('财政资金信息348条,
    政府预决算19条,…'): they are its sub-items, not categories of their own ('X类信息N条' is a category)."""
    cats = lst.categories()
    drop: set[int] = set()
    for i, item in enumerate(cats):
        if id(item) in drop:
            continue
        running = 0.0
        for j in range(i + 1, len(cats)):
            if "类" in cats[j].label:
                break
            running += cats[j].number.value
            if running > item.number.value + 0.5:
                break
            if j > i + 1 and abs(running - item.number.value) < 0.5:
                drop.update(id(c) for c in cats[i + 1:j + 1])
                break
    lst.items = [i for i in lst.items if id(i) not in drop]


def _credible(lst: _List) -> bool:
    """A list not attached to a total is read as categories only when it looks like a breakdown: two or more
    category items, one typed with a category of the vocabulary ('行政许可类信息3条'), or one said to be
    proactively published ('主动发布“工作动态”10件'); a lone topic count ('发布户籍管理政策及工作动态24条',
    '共发布规范性文件500余份') is a work measure."""
    items = lst.categories()
    return bool(items) and (len(items) >= 2 or lst.proactive
                            or any("类" in i.label and category_of_label(i.label) for i in items))


def _short_of(lists: list[_List], value: float) -> list[_List]:
    """A list that falls short of its total and holds only a key-area subtotal and interpretations ('…7700余条，
    重点领域信息2000余条，政策文件解读81条') counts work measures, not categories: key areas cut across categories.
    Beside other categories ('其中政策文件类0条,政务动态类10条、重点领域信息60条') a key-area figure is one."""
    if _sum(lists) >= value * (1 - SLACK) - 0.5:
        return lists
    for lst in lists:
        cats = lst.categories()
        if cats and all(_KEY_AREA_LABEL.search(i.label) and "类" not in i.label or _ALONE_NOT_CATEGORY.search(i.label)
                        for i in cats) and any(_KEY_AREA_LABEL.search(i.label) for i in cats):
            lst.items = [i for i in lst.items if i.metric != "proactive_items_by_category"]
    return lists


def _breakdown(lists: list[_List], total: TotalStatement | None, view: str) -> tuple[list[_List], bool]:
    """The lists whose categories make the breakdown of the total, and whether it is unreconciled."""
    if not lists:
        return lists, False
    anchored = [lst for lst in lists if lst.anchored and lst.categories()]   # a list of channels is no breakdown
    if total is None:                      # nothing to reconcile with: credible lists
        return [lst for lst in lists if _credible(lst)], False
    value = total.value
    if not total.exact:                    # '7700余条': the attached lists, else credible ones
        return _short_of(anchored or [lst for lst in lists if _credible(lst)], value), False
    if not anchored:                       # no list is attached to the total: credible others, while they fit
        chosen, running = [], 0.0
        for lst in lists:
            if _credible(lst) and _fits(running + _sum([lst]), value):
                chosen.append(lst)
                running += _sum([lst])
        return _short_of(chosen, value), False
    _close(anchored, value, view)
    if _fits(_sum(anchored), value):
        return _short_of(anchored, value), False
    for lst in anchored:                   # other readings: sub-items of one item
        _sub_items(lst)
    if _fits(_sum(anchored), value):
        return anchored, False
    alone = [lst for lst in anchored if lst.categories() and _reconciles(_sum([lst]), value)]
    if alone:                              # of several lists, one that reconciles alone
        return alone[:1], False
    theirs = [lst for lst in anchored if lst.own_total is not None and abs(lst.own_total - value) >= 0.5
              and _reconciles(_sum([lst]), lst.own_total)]
    rest = [lst for lst in anchored if lst not in theirs]
    if theirs and _fits(_sum(rest), value):  # '…其中主动公开26条。在主动公开的32条政府信息中，…(32)': the list
        return rest, False                   # is the breakdown of the figure it names, not of the year's total
    return anchored, True


def category_facts(view: str, total: TotalStatement | None, meta: ReportMeta, out: Collector) -> None:
    """Category facts of the list(s) attached to the total (extract.total.TotalStatement, or None when the
    report states no total), channel facts of every list; an unreconciled breakdown's items carry qualifier
    'unreconciled'; then the shares stated without counts (share_facts)."""
    lists = _collect(view, total, meta, out)
    chosen, unreconciled = _breakdown(lists, total, view)
    kept = {id(lst) for lst in chosen}
    for lst in lists:
        for item in lst.items:
            category = item.metric == "proactive_items_by_category"
            if category and id(lst) not in kept:
                continue
            qualifier = UNRECONCILED if unreconciled and category and item.number.qualifier == "exact" else None
            fact = out.add(item.metric, item.number, item.start, item.end, dim=item.dim, qualifier=qualifier)
            out.claimed.add(item.num_at)
            for share, start, end in item.shares:
                out.add("proactive_share_by_category", Number(share), start, end, dim=fact.dim)
    share_facts(view, out)


_CLAUSE = re.compile(r"[^，,；;、。！？!?:：\n]+")
_SHARE_ONLY = re.compile(rf"占[^\d。；;，,]{{0,14}}?(?P<pct>{ARABIC})\s?[%％]")
_SHARE_LEAD = re.compile(r"^(?:其中|包括|在|本年度?|全年)+")


_EACH_SHARE = re.compile(rf"(?P<labels>[^，,。；;:：\d]{{4,60}}?)分别(?:占|为|占比|约占)[^\d。；;]{{0,10}}?"
                         rf"(?P<pcts>{ARABIC}\s?[%％](?:\s?[、和及与,，]\s?{ARABIC}\s?[%％])+)")
_RESPECTIVELY = re.compile("分别")
_PERCENT_SIGN = re.compile("[%％]")
_PCT = re.compile(rf"(?P<pct>{ARABIC})\s?[%％]")


def _respective_shares(view: str, out: Collector) -> None:
    """'工作动态、通知公告分别占60%和40%': each listed category's share, in order (as many labels as shares)."""
    for each in _RESPECTIVELY.finditer(view):
        at = each.start()
        m = _EACH_SHARE.search(view, max(0, at - 60), at + 60)
        if m is None or m.start("pcts") < at:
            continue
        labels = re.split(r"[、和及与]", _SHARE_LEAD.sub("", m.group("labels").strip()))
        cats = [category_of_label(label) for label in labels]
        pcts = list(_PCT.finditer(view, m.start("pcts"), m.end("pcts")))
        if len(cats) != len(pcts) or not all(cats) or len(set(cats)) != len(cats) \
                or sum(float(p.group("pct").replace(",", "")) for p in pcts) > 100.5:
            continue
        for cat, pct in zip(cats, pcts):
            out.add("proactive_share_by_category", Number(float(pct.group("pct").replace(",", ""))), m.start(),
                    pct.end(), dim=cat)


def share_facts(view: str, out: Collector) -> None:
    """Shares stated without counts ('机构职能类信息占总体的比例为6.5%，业务动态类信息占…81.2%'): a sentence of two
    or more category labels each with its share and no figure of its own, adding up to at most 100 %."""
    taken = {(f.start, f.end) for f in out.facts if f.metric == "proactive_share_by_category"}
    done = -1
    for percent in _PERCENT_SIGN.finditer(view):      # only the sentences that state a percentage
        if percent.start() < done:
            continue
        sentence = _SENTENCE.match(view, max(view.rfind(c, 0, percent.start()) for c in "。！？!?\n") + 1)
        if sentence is None:
            continue
        done = sentence.end()
        found = []
        for clause in _CLAUSE.finditer(view, *sentence.span()):
            m = _SHARE_ONLY.search(view, *clause.span())
            if m is None or m.start("pct") in out.claimed:
                continue
            label = _SHARE_LEAD.sub("", view[clause.start():m.start()].strip())
            category = category_of_label(label)
            if category and not _ITEM_HINT.search(label) and not any(a <= m.start() < b for a, b in taken):
                found.append((category, float(m.group("pct").replace(",", "")), clause.start(), m.end()))
        if len(found) >= 2 and len({f[0] for f in found}) == len(found) and sum(f[1] for f in found) <= 100.5:
            for category, share, start, end in found:
                out.add("proactive_share_by_category", Number(share), start, end, dim=category)
    _respective_shares(view, out)


def unreconciled_breakdown(facts) -> str:
    """Why a report's category breakdown is flagged ('' when it is not): for the checks, which turn it into a
    finding (check 'categories_unreconciled') and for views, which leave the flagged items out of the mix."""
    flagged = [f for f in facts if f.metric == "proactive_items_by_category" and f.qualifier == UNRECONCILED]
    total = next((f.value for f in facts if f.metric == "proactive_items_total" and f.year is None
                  and f.qualifier == "exact"), None)
    if not flagged or total is None:
        return ""
    return (f"the categories listed with the total add up to {sum(f.value for f in flagged):g}, more than the "
            f"total {total:g}; no other reading reconciles them (sub-items of one item, one list alone)")


__all__ = ["category_facts", "share_facts", "category_of_label", "unreconciled_breakdown", "UNRECONCILED"]
