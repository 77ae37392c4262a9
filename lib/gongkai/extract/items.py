"""The items of one sentence of a report's prose: each 'label N条' figure with its label, mapped onto the
category vocabulary (categories.csv, category_of_label) or, for a channel label, onto channels (channels.csv);
the figures of one qualifying sentence read into a list (read_list).

Contract: sentence_items(view, floor, end, claimed) yields, for each figure of view[floor:end] that has a label
worth reading, the tuple (match, label start, label, category, channel, with unit, column) - category '' when
no phrasing matches, channel '' when the label names none, column True when a quoted column name
('在“学习与交流”栏目中…5条') names the items. read_list turns those tuples into ListItems: a category's or a
publishing channel's count with its span and its stated share ('…占29.3%'). Sub-items are not counted again:
'含/其中' after a typed item, or items in brackets after an item ('为民办实事类信息20条(其中…8条;…12条)'); their
shares go to their parent. Figures of another year ('2018年发布…5条' in a 2019 report), request channels and
figures inside the total's own statement are left out.

Which sentences qualify, which lists are attached to the total and how they reconcile with it is
extract.categories' concern; this module knows one sentence at a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gongkai.extract.phrasing import OUTCOMES, phrase_class
from gongkai.extract.prose import ALL_CHANNELS, channel_of_label, clause_start, new_this_year
from gongkai.model import ReportMeta
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match
from gongkai.taxonomy import phrasings, table

if TYPE_CHECKING:                       # extract.total reads category labels: no import at run time
    from gongkai.extract.total import TotalStatement

LABEL_STOP = set(",，、;；:：。！？!?\n")
CATEGORIES = phrasings("categories")
LIST_BREAK = re.compile(r"[;；。]")        # the end of a list's statement
LABEL_REACH = 120      # characters a label may reach back from its figure (labels are short; bounds the work per figure)
CLAUSE_REACH = 200     # characters of a figure's clause searched for the channel it names
COLUMN_SEARCH = 80     # characters before a figure searched for a quoted column name (it must end within _COLUMN_REACH)
_BARE_ITEM = re.compile(r"(?<![〔［\[])(?<!\d)(?P<num>\d+)(?![\d.%％〕］\]])(?!\s*[年月日万元个人次期份项余多号条件篇])")   # 〔2020〕: a document number's year
_SHARE = re.compile(rf"[^\d。；;]{{0,3}}?占[^\d。；;]{{0,14}}?(?P<pct>{ARABIC})\s?%")
_LABEL_LEAD = re.compile(r"^(?:[\d]+[.、]|其中|包括|主要包括|主要有|主要是|分别是|分别为|含|以及|及|和|另有|有|共|发布|"
                         r"主动公开|公开|更新|新增|及时更新|积极发布|在|涉及|开|是|[,，:：])+")
_LABEL_TAIL = re.compile(r"(?:的|为|共|共计|达|计|有|数|数量|信息数|等)+$")
_LABEL_VERB = re.compile(r".*(?:主动公开|公开|发布|推送|上报|更新|上传|录入)")
_BAD_LABEL = re.compile(r"比|增加|减少|同比|较|占|每|累计|合计|总计|全年|\d{4}年|以上|超过|达到|期(?!限)|发放|印发|次|分别|报送|审发|上报|"
                        r"申请|复议|诉讼|咨询|答复|投诉|举报|办结|受理|保留|废止|清理|季度|月份|半年")
_GENERIC_LABEL = re.compile(r"^(?:各类)?(?:政府)?(?:信息|资讯)?$")
_SOCIAL = ("weibo", "wechat", "press")
PUBLISHING_CHANNELS = frozenset({"website", "weibo", "wechat", "gazette", "press", "bulletin_board", "other"})
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_EACH_SPLIT = re.compile(r"[^、和及与]+")
_YEAR_WORD = re.compile(r"\d{4}年度?")
_COLUMN = re.compile(r"“(?P<label>[^“”\d]{2,20})”(?:栏目|专栏|板块|版块|频道|专题)")
_COLUMN_REACH = 25
_COLUMN_BREAK = re.compile(r"[\d;；。]")
_QUOTE_MARKS = re.compile(r"[“”\"]")
_TYPED_ENDINGS = ("类信息", "类")
_CONTAINER = re.compile(r"(?:的)?(?:政府|政务)?(?:信息|文件|公文|资讯)?(?:方面)?")   # what follows 类 in a typed label


def list_words(kind: str) -> tuple[str, ...]:
    """The phrasings of one kind of data/category_lists.csv ('sub', 'alone', 'intro', 'opens_column')."""
    return tuple(p for row in table("category_lists") if row["kind"] == kind for p in row["phrasings"].split("|") if p)


_MAPPED_ONLY_UNITS = list_words("mapped_units")   # '权力清单834项' is a category's count; '完成…3项' is not
_ITEM_UNITS = sorted(set(phrase_class("U_ITEM")[3:-1].split("|")) | {re.escape(u) for u in _MAPPED_ONLY_UNITS},
                     key=len, reverse=True)
_ITEM = re.compile(rf"{QUANTITY}\s*(?P<unit>{'|'.join(_ITEM_UNITS)})(?!次|以上|左右|[\d])(?<!个(?=人))")   # 个人: a person
_IN_JIAN = re.compile("|".join(map(re.escape, list_words("in_jian"))))
_SUB_ITEM = re.compile("|".join(map(re.escape, list_words("sub"))))
_NOT_REQUEST = re.compile("|".join(map(re.escape, list_words("not_request"))))


_GENERIC_CONTENT = re.compile("|".join(map(re.escape, sorted(list_words("generic_content"), key=len, reverse=True))))
_CHANNEL_VERB = re.compile(r"主动公开|公开|发布|推送|更新|上传|公布|公示|推出|刊发|刊登|刊载|张贴|播发|转载")
_CHANNEL_NAME = re.compile("|".join(re.escape(p) for p, _ in ALL_CHANNELS))
_OWN_INFORMATION = re.compile(r"(?:政府|政务)信息数?$")     # '公安政府信息': the office's own information


def names_a_topic(label: str) -> bool:
    """A channel's count names a topic when the words after its verb (or channel name) are not generic:
    '微信号发布招聘信息' does, '微信公众号共推送各类文章' and '门户网站累计公开公安政府信息' do not."""
    verbs = list(_CHANNEL_VERB.finditer(label)) or list(_CHANNEL_NAME.finditer(label))
    content = re.sub(r"[\s“”\"'、,，()（）]", "", label[verbs[-1].end():] if verbs else label)
    return not _OWN_INFORMATION.search(content) and len(_GENERIC_CONTENT.sub("", _CHANNEL_NAME.sub("", content))) >= 2


def request_free(text: str) -> str:
    """text without the category wordings that hold 申请 ('申请行政许可'): what is left names requests or not."""
    return _NOT_REQUEST.sub("", text)
_OTHER_YEAR = re.compile(r"(?<!\d)(?P<year>\d{4})\s*年度?(?:全年|当年|共|累计|度共)?(?:主动)?(?:公开|发布|更新|推送|上传|录入)")


@dataclass
class ListItem:
    """One printed figure of a list: a category's (or a channel's) count, its span, its stated share."""
    metric: str
    dim: str
    number: Number
    start: int
    end: int
    num_at: int
    label: str
    shares: list[tuple[float, int, int]] = field(default_factory=list)   # value, start, end


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


_RESPECTIVE = re.compile(r"(?P<word>分别|各)(?:为|是|有|计|公开|发布|推送|更新|刊登|主动公开)?了?(?:各类)?(?:政府|政务)?"
                         r"(?:信息|资讯)?$")
_NEXT_FIGURE = re.compile(r"\s*[、和及与,，]\s*")
_CHANNEL_LEAD = re.compile(r"^(?:全年|本年度?|今年|共)?(?:通过|在|经|依托)?")


def _following_figures(view: str, m: re.Match, end: int) -> list[re.Match]:
    """The figure m and those listed right after it ('120条、80条和40条')."""
    figures = [m]
    while True:
        sep = _NEXT_FIGURE.match(view, figures[-1].end(), end)
        nxt = _ITEM.match(view, sep.end(), end) if sep else None
        if nxt is None:
            return figures
        figures.append(nxt)


def _respective_parts(view: str, clause: int, each_at: int):
    """'其中工作动态、通知公告分别…', '通过政府网站、政务微博分别…': the listed items before 分别, with their starts."""
    for part in _EACH_SPLIT.finditer(view, clause, each_at):
        label = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", _CHANNEL_LEAD.sub("", part.group(0).strip())))
        label = label.strip("“”\"《》() （）")
        if not label or len(label) > 30 or _BAD_LABEL.search(_YEAR_WORD.sub("", label)):
            return
        yield part.start(), label


def sentence_items(view: str, floor: int, end: int, claimed: set[int]):
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
        start = _label_start(view, m.start(), max(taken_until, m.start() - LABEL_REACH))
        raw, widened = view[start:m.start()].strip(), False
        opened = start - 1 if not raw and start > max(taken_until, floor) else -1
        if opened >= 0 and (view[opened] in ":：" or view[opened] in "(（" and view[m.end():m.end() + 1] in ")）"):
            start = _label_start(view, opened, max(taken_until, opened - LABEL_REACH))   # '工作动态(98条)',
            raw = view[start:opened].strip()                                             # '工作动态：98条'
        if "等" in raw and view[start - 1:start] == "、":      # 'A、B、C等信息5条': the whole enumeration names them
            start = _enumeration_start(view, start, max(taken_until, clause_start(view, m.start())))
            raw = view[start:m.start()].strip()
        elif view[start - 1:start] == "、" and not category_of_label(raw):   # '…的应急预案、预警信息及应对情况8条'
            wide = _enumeration_start(view, start, max(taken_until, clause_start(view, m.start())))
            named = {c for c in map(category_of_label, view[wide:m.start()].split("、")) if c}
            if len(named) == 1:                  # one item whose wording holds 、 (the 条例's list): all of it names it
                start, raw, widened = wide, view[wide:m.start()].strip(), True
        bare = _BRACKETED.sub("", raw)           # '工作文件类(包括规范性文件、政策解读等)信息' is one typed label
        mixed = "等" in bare and "、" in bare and _mixed_topics(bare)   # several topics: no one category's count
        respective = _RESPECTIVE.search(raw) if with_unit else None
        if respective:                           # 'A、B分别为120条、80条': figures in the order of the items
            figures = _following_figures(view, m, end)
            clause = max(clause_start(view, m.start()), floor, taken_until, m.start() - LABEL_REACH)
            taken_until = figures[-1].end()
            each_at = view.rfind(respective.group("word"), start, m.start())
            if len(figures) == 1 and respective.group("word") == "各":   # one figure for each listed item
                for part_start, label in _each_parts(view, clause, each_at):
                    yield m, part_start, label, category_of_label(label), "", True, False
                continue
            parts = list(_respective_parts(view, clause, each_at))
            if len(figures) > 1 and len(parts) == len(figures):
                for figure, (part_start, label) in zip(figures, parts):
                    yield figure, part_start, label, category_of_label(label), channel_of_label(label), True, False
                continue
            if len(figures) > 1 or len(parts) > 1:
                continue                         # items and figures do not pair: nothing rather than a guess
        full = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", raw)).strip("“”\"() （）")
        verb = _LABEL_VERB.match(full)
        tail = (full[verb.end():] if verb else full).strip("“”\"") or (full if full.endswith(("公开", "更新")) else "")
        category, channel = ("" if mixed else category_of_label(full)), channel_of_label(full)
        tail = tail or (full if category else "")
        head_channel = channel_of_label(full[:verb.end()]) if verb else ""
        clause_channel = channel_of_label(view[max(clause_start(view, m.start()), taken_until,
                                                   m.start() - CLAUSE_REACH):m.start()])
        column = None
        if not category:
            for column in _COLUMN.finditer(view, max(taken_until, m.start() - COLUMN_SEARCH), m.start()):
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
        if not tail and channel and verb is not None:
            tail = full                          # '通过微信公众号发布80条': the channel names the items
        if not tail or len(tail.rpartition("、")[2] if widened else tail) > 30 or _BAD_LABEL.search(request_free(tail)) or any(p in tail for p, _ in OUTCOMES) \
                or "申请" in request_free(_BRACKETED.sub("", full)):   # '主动公开和依申请公开的政府信息共468条' is no category
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


def read_list(view: str, pos: int, end: int, items: list, total: TotalStatement | None, meta: ReportMeta,
               in_total: bool) -> list[ListItem]:
    """The items of one qualifying sentence, sub-items left out (their shares go to their parent)."""
    spans = _brackets(view, pos, end)
    total_in_jian = total is not None and total.unit == "件"
    kept: list[ListItem] = []
    parent: ListItem | None = None      # the last typed item: '含/其中' after it, or a bracket, lists its sub-items
    in_sub, was_bracketed, previous_end = False, False, pos
    # documents in 件 beside other categories' items in 条 ('规范性文件24件、财政预决算信息426条'): one list
    beside_tiao = any(item[5] and item[3] and item[0].group("unit") == "条" for item in items)
    for m, start, label, cat, channel, with_unit, column in items:
        unit = m.group("unit") if with_unit else ""
        documents = beside_tiao and cat and _IN_JIAN.search(label)
        if unit == "件" and not (total_in_jian or "”" in view[start:m.start()] or documents) \
                or unit in _MAPPED_ONLY_UNITS and not cat:
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
            named = view[start:m.start()]
            named = label if re.search(r"\d", named) else named     # a figure listed after its item ('分别…')
            if channel not in PUBLISHING_CHANNELS or names_a_topic(named):
                continue          # '网上竞价453条', '邮寄1条': a request channel; '…微信号发布招聘信息20条': a topic
            kept.append(ListItem("proactive_items_by_channel", channel, number, start, item_end, m.start("num"), label))
            continue
        if not cat and not m.group("num")[0].isdigit():
            continue
        gap = _BRACKETED.sub("", view[previous_end:m.start()])
        bracket = _inside(spans, m.start())
        in_bracket = parent is not None and bracket is not None and parent.end <= bracket[0] < start
        in_sub = parent is not None and (in_bracket or bool(_SUB_ITEM.search(gap))   # a bracket's sub-list ends
                                         or in_sub and not was_bracketed and not LIST_BREAK.search(gap))  # with it
        was_bracketed = in_bracket
        previous_end = share.end() if share else item_end
        if in_sub:                 # '机构职能类信息22条,含…12条,占总体的29.3%': sub-items of the parent
            if share_of:
                parent.shares.append(share_of)
            continue
        item = ListItem("proactive_items_by_category", cat or "other", number, start, item_end, m.start("num"), label)
        if share_of:
            item.shares.append(share_of)
        kept.append(item)
        bracket_next = _inside(spans, item_end + 1) or (view[item_end:item_end + 1] in ("(", "（"))
        parent = item if (cat and "类" in label or column or bracket_next) else None
    return kept


__all__ = ["LABEL_STOP", "CATEGORIES", "LIST_BREAK", "PUBLISHING_CHANNELS", "ListItem", "category_of_label",
           "list_words", "read_list", "request_free", "sentence_items"]
