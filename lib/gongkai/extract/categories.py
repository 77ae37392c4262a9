"""The category breakdown of a report's prose: the list of 'label N条' items attached to the year's proactive
total, mapped onto the category vocabulary (categories.csv) or, for a channel label, onto channels
(channels.csv, proactive_items_by_channel).

Items are read sentence by sentence into lists; a sentence qualifies when it holds the total, or two typed
items ('机构职能类信息13条'), or mapped items near a publishing verb or right after a qualifying sentence.
Sub-items are not counted again: '含/其中' after a typed item, or items in brackets after an item
('为民办实事类信息20条(其中…8条;…12条)'). Key areas (重点领域) cut across categories and are left out.

A report's breakdown is the list attached to its total, not every 'X信息N条' in it: the list in the total's
sentence, the lists that follow it (or a restatement of the total) sentence after sentence, and a list that
says it is the breakdown ('主要类别有：', '在主动公开的90条政府信息中'). When there is such a list, the other
lists (topic sub-counts of section 一, a column's or a channel's own list, figures of another year) are not
categories; when there is none, other lists are kept as long as they fit in the total. A list that reaches
the total exactly is complete: what follows it in the same statement ('…其他应主动公开的政府信息12条;公开
财政预决算信息2条') is a sub-count. When the breakdown still exceeds the total (2 % slack), the other readings
are tried - an item that is the sum of the items after it holds them as sub-items; of several lists one
that reconciles alone - and if none reconciles the figures are kept with qualifier 'unreconciled', so that
views can leave them out of the category mix and the checks can say why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gongkai.extract.phrasing import OUTCOMES, phrase_class
from gongkai.extract.prose import Collector, channel_of_label, clause_start, new_this_year
from gongkai.model import UNRECONCILED, ReportMeta
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match
from gongkai.taxonomy import phrasings, table

if TYPE_CHECKING:                       # extract.total reads category labels: no import at run time
    from gongkai.extract.total import TotalStatement

LABEL_STOP = set(",，、;；:：。！？!?\n")
CATEGORIES = phrasings("categories")
_LIST_BREAK = re.compile(r"[;；。]")
_ITEM = re.compile(rf"{QUANTITY}\s*(?P<unit>{phrase_class('U_ITEM')[3:-1]})(?!次|以上|左右|[\d])")
_MAPPED_ONLY_UNITS = ("项", "份", "小项")   # '权力清单834项' is a category's count; '完成…3项' without a category is not
_BARE_ITEM = re.compile(r"(?<![〔［\[])(?P<num>\d+)(?![\d.%％〕］\]])(?!\s*[年月日万元个人次期份项余多号条件篇])")   # 〔2020〕: a document number's year
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_ITEM_HINT = re.compile(r"[\d零〇一二两三四五六七八九十百千]")
_SHARE = re.compile(rf"[^\d。；;]{{0,3}}?占[^\d。；;]{{0,14}}?(?P<pct>{ARABIC})\s?%")
_LABEL_LEAD = re.compile(r"^(?:[\d]+[.、]|其中|包括|主要包括|主要有|主要是|分别是|分别为|含|以及|及|和|另有|有|共|发布|"
                         r"主动公开|公开|更新|新增|及时更新|积极发布|在|涉及|开|是|[,，:：])+")
_LABEL_TAIL = re.compile(r"(?:的|为|共|共计|达|计|有|数|数量|信息数|等)+$")
_LABEL_VERB = re.compile(r".*(?:主动公开|公开|发布|推送|上报|更新|上传|录入)")
_BAD_LABEL = re.compile(r"比|增加|减少|同比|较|占|每|累计|合计|总计|全年|\d{4}年|以上|超过|达到|期|发放|印发|次|分别|报送|审发|上报|"
                        r"申请|复议|诉讼|咨询|答复|投诉|举报|办结|受理|保留|废止|清理|季度|月份|半年")
_GENERIC_LABEL = re.compile(r"^(?:各类)?(?:政府)?(?:信息|资讯)?$")
_PROACTIVE_VERB = re.compile(r"公开|发布|推送|上报|更新|上传|录入")
_SOCIAL = ("weibo", "wechat", "press")
_PUBLISHING_CHANNELS = frozenset({"website", "weibo", "wechat", "gazette", "press", "bulletin_board", "other"})
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"")
_EACH_SPLIT = re.compile(r"[^、和及与]+")
_YEAR_WORD = re.compile(r"\d{4}年度?")
_COLUMN = re.compile(r"“(?P<label>[^“”\d]{2,20})”(?:栏目|专栏|板块|版块|频道|专题)")
_COLUMN_REACH = 25
_COLUMN_BREAK = re.compile(r"[\d;；。]")
_QUOTE_MARKS = re.compile(r"[“”\"]")
_TYPED_ENDINGS = ("类信息", "类")
_CONTAINER = re.compile(r"(?:的)?(?:政府|政务)?(?:信息|文件|公文|资讯)?(?:方面)?")   # what follows 类 in a typed label
_KEY_AREAS = re.compile(r"重点领域[^。；;,，\n\d]{0,30}?(?:共|共计|合计|累计)[^。；;\n\d]{0,8}?\d")  # a key-area total


SLACK = 0.02                    # a breakdown may exceed its total by 2 % (rounding, double-filed items)


def _list_words(kind: str) -> tuple[str, ...]:
    return tuple(p for row in table("category_lists") if row["kind"] == kind for p in row["phrasings"].split("|") if p)


_SUB_ITEM = re.compile("|".join(map(re.escape, _list_words("sub"))))
_ALONE_NOT_CATEGORY = re.compile("|".join(map(re.escape, _list_words("alone"))))
_INTRO = re.compile("|".join(map(re.escape, _list_words("intro"))))
_OPENS_COLUMN = re.compile("(?:" + "|".join(map(re.escape, _list_words("opens_column")))
                           + r")[^。；;,，\d“]{0,6}“[^“”]{2,20}”(?:专栏|栏目|专题|板块|版块)")
_IN_THE = re.compile(rf"在(?:本年度?|全年)?(?:主动)?公开的\s*(?:(?P<own>{ARABIC})\s*(?:条|件))?(?:各类)?(?:政府|政务)?"
                     rf"(?:信息|资讯)中")     # '在主动公开的90条政府信息中': the list's own total
_OTHER_YEAR = re.compile(r"(?<!\d)(?P<year>\d{4})\s*年度?(?:全年|当年|共|累计|度共)?(?:主动)?(?:公开|发布|更新|推送|上传|录入)")


@dataclass
class _Item:
    """One printed figure of a list: a category's (or a channel's) count, its span, its stated share."""
    metric: str
    dim: str
    number: Number
    start: int
    end: int
    num_at: int
    label: str
    shares: list[tuple[float, int, int]] = field(default_factory=list)   # value, start, end


@dataclass
class _List:
    """The items of one sentence; anchored when it is attached to the year's total."""
    items: list[_Item]
    anchored: bool
    own_total: float | None = None

    def categories(self) -> list[_Item]:
        return [i for i in self.items if i.metric == "proactive_items_by_category"]


def _label_start(text: str, pos: int, floor: int) -> int:
    depth, i = 0, pos - 1
    while i >= floor:
        c = text[i]
        if c in ")）":
            depth += 1
        elif c in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in LABEL_STOP:
            break
        i -= 1
    return i + 1


def _enumeration_start(view: str, start: int, floor: int) -> int:
    """Start of an enumeration 'A、B、C' that ends at start (its parts joined by '、')."""
    while start - 1 > floor and view[start - 1] == "、":
        start = _label_start(view, start - 1, floor)
    return start


def category_of_label(label: str) -> str:
    """Category id of a printed label ('机构职能类信息' -> 'org_function'), '' when no phrasing matches."""
    label = _QUOTE_MARKS.sub("", label)          # '“三公”经费' is 三公经费
    found = next(((phrase, cat) for phrase, cat in CATEGORIES if phrase in label), ("", ""))
    head, typed, tail = label.rpartition("类")
    if typed and head and _CONTAINER.fullmatch(tail) and found[0] in tail and found[0] not in head:
        return category_of_label(head)           # '重大建设项目类文件': the type names it, not 文件 after 类
    return found[1]


def _mixed_topics(enumeration: str) -> bool:
    """'人事、办事程序、便民措施等信息181条' names several topics: it is one category's count only when most of
    its parts name that category and none names another ('部门职能、领导信息、联系方式等信息5条')."""
    parts = enumeration[:enumeration.rfind("等")].split("、")
    mapped = [c for c in map(category_of_label, parts) if c]
    return len(set(mapped)) > 1 or 2 * len(mapped) <= len(parts)


def _each_parts(view: str, clause: int, each_at: int):
    """'A、B和C各1篇': the listed items before 各, each with its span start and cleaned label."""
    for part in _EACH_SPLIT.finditer(view, clause, each_at):
        label = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", part.group(0).strip())).strip("“”\"《》() （）")
        if label and len(label) <= 30 and not _BAD_LABEL.search(_YEAR_WORD.sub("", label)) \
                and not any(p in label for p, _ in OUTCOMES):
            yield part.start(), label


def _items(view: str, floor: int, end: int, claimed: set[int]):
    """Figures of one sentence with their labels: (match, label start, label, category, channel, with unit,
    column) - column is True when the label is a quoted column name ('在“学习与交流”栏目中…5条')."""
    found = [(m.start(), m, True) for m in _ITEM.finditer(view, floor, end)]
    found += [(m.start(), m, False) for m in _BARE_ITEM.finditer(view, floor, end)]
    found.sort(key=lambda t: t[0])
    taken_until = floor
    for start_num, m, with_unit in found:
        if start_num < taken_until:
            continue
        if m.start("num") in claimed:
            taken_until = m.end()
            continue
        start = _label_start(view, m.start(), taken_until)
        raw = view[start:m.start()].strip()
        if "等" in raw and view[start - 1:start] == "、":      # 'A、B、C等信息5条': the whole enumeration names them
            start = _enumeration_start(view, start, max(taken_until, clause_start(view, m.start())))
            raw = view[start:m.start()].strip()
        bare = _BRACKETED.sub("", raw)           # '工作文件类(包括规范性文件、政策解读等)信息' is one typed label
        mixed = "等" in bare and "、" in bare and _mixed_topics(bare)   # several topics: no one category's count
        if with_unit and raw.endswith("各"):      # one figure for each listed item
            taken_until = m.end()
            clause = max(clause_start(view, m.start()), floor)
            for part_start, label in _each_parts(view, clause, m.start() - 1):
                yield m, part_start, label, category_of_label(label), "", True, False
            continue
        full = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", raw)).strip("“”\"() （）")
        verb = _LABEL_VERB.match(full)
        tail = (full[verb.end():] if verb else full).strip("“”\"") or (full if full.endswith(("公开", "更新")) else "")
        category, channel = ("" if mixed else category_of_label(full)), channel_of_label(full)
        tail = tail or (full if category else "")
        head_channel = channel_of_label(full[:verb.end()]) if verb else ""
        clause_channel = channel_of_label(view[max(clause_start(view, m.start()), taken_until):m.start()])
        column = None
        if not category:
            for column in _COLUMN.finditer(view, taken_until, m.start()):
                pass
            if column is not None and (m.start() - column.end() > _COLUMN_REACH
                                       or _COLUMN_BREAK.search(view, column.end(), m.start())):
                column = None                    # too far from the figure to name it
        if column is not None:                   # the quoted column names the items
            start, full = column.start(), column.group("label")
            tail, category, channel, head_channel, clause_channel = full, category_of_label(full), "", "", ""
        on_website = channel == "website" and verb is not None and bool(category_of_label(tail))
        if head_channel in _SOCIAL or (not category and clause_channel) or (   # '通过网站发布“工作动态”10件' is
                channel and not on_website and ("通过" in full or "方式" in full or "渠道" in full)):  # a category
            category, channel = "", channel or head_channel or clause_channel
        if not with_unit and (channel or not (category or full.endswith(_TYPED_ENDINGS))):
            continue                             # a bare figure needs a category label ('重大民生类信息1')
        taken_until = m.end()
        if not tail or len(tail) > 30 or _BAD_LABEL.search(tail) or any(p in tail for p, _ in OUTCOMES) \
                or "申请" in _BRACKETED.sub("", full):   # '主动公开和依申请公开的政府信息共468条' is no category
            continue
        if _GENERIC_LABEL.match(tail) and not channel and not category:
            continue
        yield m, start, (tail if category == "" else full), category, channel, with_unit, column is not None



def _brackets(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) spans of the top-level brackets of view[start:end] (an unclosed one runs to the end)."""
    spans, depth, opened = [], 0, start
    for i in range(start, end):
        c = view[i]
        if c in "(（":
            if depth == 0:
                opened = i
            depth += 1
        elif c in ")）" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i))
    if depth:
        spans.append((opened, end))
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    return next((s for s in spans if s[0] < pos < s[1]), None)


def _other_year(view: str, start: int, pos: int, meta: ReportMeta) -> bool:
    """A year other than the data year names the clause of a figure ('2018年发布…5条' in a 2019 report)."""
    if meta.year is None:
        return False
    return any(int(y.group("year")) != meta.year for y in _OTHER_YEAR.finditer(view, clause_start(view, pos), pos)
               if y.start() >= start)


def _read_list(view: str, pos: int, end: int, items: list, total: TotalStatement | None, meta: ReportMeta,
               in_total: bool) -> list[_Item]:
    """The items of one qualifying sentence, sub-items left out (their shares go to their parent)."""
    spans = _brackets(view, pos, end)
    total_in_jian = total is not None and total.unit == "件"
    kept: list[_Item] = []
    parent: _Item | None = None      # the last typed item: '含/其中' after it, or a bracket, lists its sub-items
    in_sub, previous_end = False, pos
    for m, start, label, cat, channel, with_unit, column in items:
        unit = m.group("unit") if with_unit else ""
        if unit == "件" and not (total_in_jian or "”" in view[start:m.start()]) or unit in _MAPPED_ONLY_UNITS and not cat:
            continue
        number = from_match(m) if with_unit else Number(float(m.group("num")))
        number, item_end = new_this_year(view, m.end(), number, meta)
        if in_total and m.start() < total.end and not (channel and not cat):
            continue
        if _other_year(view, pos, m.start(), meta):
            continue
        note = next((b for b in spans if item_end <= b[0] <= item_end + 1), None)   # '1条(新增…),占1.67%'
        share = _SHARE.match(view, item_end) or (_SHARE.match(view, note[1] + 1) if note else None)
        share_of = (float(share.group("pct").replace(",", "")), view.find("占", share.start()), share.end()) \
            if share else None
        if channel and not cat:
            if channel not in _PUBLISHING_CHANNELS:   # '网上竞价453条', '邮寄1条': a request channel publishes nothing
                continue
            kept.append(_Item("proactive_items_by_channel", channel, number, start, item_end, m.start("num"), label))
            continue
        if not cat and not m.group("num")[0].isdigit():
            continue
        gap = _BRACKETED.sub("", view[previous_end:m.start()])
        bracket = _inside(spans, m.start())
        in_bracket = parent is not None and bracket is not None and bracket[0] >= parent.end
        in_sub = parent is not None and (in_bracket or bool(_SUB_ITEM.search(gap))
                                         or in_sub and not _LIST_BREAK.search(gap))
        previous_end = share.end() if share else item_end
        if in_sub:                 # '机构职能类信息22条,含…12条,占总体的29.3%': sub-items of the parent
            if share_of:
                parent.shares.append(share_of)
            continue
        item = _Item("proactive_items_by_category", cat or "other", number, start, item_end, m.start("num"), label)
        if share_of:
            item.shares.append(share_of)
        kept.append(item)
        bracket_next = _inside(spans, item_end + 1) or (view[item_end:item_end + 1] in ("(", "（"))
        parent = item if (cat and "类" in label or column or bracket_next) else None
    return kept


def _collect(view: str, total: TotalStatement | None, meta: ReportMeta, out: Collector) -> list[_List]:
    """The lists of the prose, sentence by sentence, each marked anchored or not."""
    lists: list[_List] = []
    anchors = [] if total is None else [total.end] + [end for _, end in total.restated]
    running = [f.end for f in out.facts if f.metric == "proactive_items_cumulative"]   # its list qualifies too
    after_total = chained = key_area = False
    for sentence in _SENTENCE.finditer(view):
        pos, end = sentence.span()
        if not _ITEM_HINT.search(view, pos, end):
            after_total = chained = key_area = False
            continue
        in_total = total is not None and pos <= total.end <= end
        anchor = any(pos <= a <= end for a in anchors)
        if not anchor and "申请" in _QUOTED.sub("", view[pos:end]):     # a quoted title may name a 申请表
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
        items = list(_items(view, pos, end, out.claimed))
        if len(items) == 1 and _ALONE_NOT_CATEGORY.search(items[0][2]) and not items[0][4]:
            items = []                         # '全年发布政策文件解读96篇': interpretations, not a category
        mapped = sum(1 for item in items if item[3])
        typed = sum(1 for item in items if item[3] and "类" in item[2])
        columns = any(item[6] for item in items)
        channels_only = bool(items) and all(item[4] in _PUBLISHING_CHANNELS and not item[3] for item in items)
        qualifies = bool(items) and (in_total or typed >= 2 or ((mapped or columns or channels_only) and (
            after_total or _PROACTIVE_VERB.search(view, pos, end))))
        this_anchored = False
        if qualifies:
            first = min(item[1] for item in items)
            in_the = _IN_THE.search(view, pos, first)
            own = in_the.group("own") if in_the else None
            this_anchored = anchor or chained or in_the is not None or _INTRO.search(view, pos, first) is not None
            found = _read_list(view, pos, end, items, total, meta, in_total)
            if found:
                lists.append(_List(found, this_anchored, float(own.replace(",", "")) if own else None))
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
        seen_category, closed_at = False, None
        kept = []
        for item in lst.items:
            if closed_at is not None and item.metric == "proactive_items_by_category" \
                    and _LIST_BREAK.search(view, closed_at, item.start):
                continue
            kept.append(item)
            if closed_at is not None:
                continue
            mixed += item.number.value
            if item.metric == "proactive_items_by_category":
                categories += item.number.value
                seen_category = True
            if abs(categories - target) < 0.5 or (seen_category and abs(mixed - target) < 0.5):
                closed_at = item.end
        lst.items = kept


def _sum(lists: list[_List]) -> float:
    return sum(i.number.value for lst in lists for i in lst.categories())


def _fits(value: float, total: float) -> bool:
    return value <= total * (1 + SLACK) + 0.5


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


def _breakdown(lists: list[_List], total: TotalStatement | None, view: str) -> tuple[list[_List], bool]:
    """The lists whose categories make the breakdown of the total, and whether it is unreconciled."""
    if total is None or not total.exact or not lists:
        return lists, False
    value = total.value
    anchored = [lst for lst in lists if lst.anchored and lst.categories()]   # a list of channels is no breakdown
    if not anchored:                       # no list is attached to the total: the others, while they fit
        chosen, running = [], 0.0
        for lst in lists:
            if _fits(running + _sum([lst]), value):
                chosen.append(lst)
                running += _sum([lst])
        return chosen, False
    _close(anchored, value, view)
    if _fits(_sum(anchored), value):
        return anchored, False
    for lst in anchored:                   # other readings: sub-items of one item
        _sub_items(lst)
    if _fits(_sum(anchored), value):
        return anchored, False
    alone = [lst for lst in anchored if lst.categories() and _fits(_sum([lst]), value)
             and _sum([lst]) >= value * (1 - SLACK) - 0.5]
    if alone:                              # of several lists, one that reconciles alone
        return alone[:1], False
    return anchored, True


def category_facts(view: str, total: TotalStatement | None, meta: ReportMeta, out: Collector) -> None:
    """Category facts of the list(s) attached to the total (extract.total.TotalStatement, or None when the
    report states no total), channel facts of every list; an unreconciled breakdown's items carry qualifier
    'unreconciled'."""
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


__all__ = ["category_facts", "category_of_label", "unreconciled_breakdown", "UNRECONCILED"]
