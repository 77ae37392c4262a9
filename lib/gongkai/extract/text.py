"""Facts stated in a report's prose: publication totals and categories, requests, outcomes, consultations,
fees, reconsideration, litigation and complaints (method 'text').

The phrasings live in tables (gongkai/data): prose_patterns.csv (one regular expression per way of stating a
metric, with placeholders for the number, the channel and the outcome), outcome_phrasings.csv, and the
phrasings of categories.csv and channels.csv. Table rows ('|' lines, one-cell lines, numbered outcome rows)
are blanked before matching: tables belong to extract.tables. Every regex is compiled once at import and
every pass is linear in the text.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from gongkai.model import Document, Fact, ReportMeta, short_quote
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match
from gongkai.taxonomy import metric_unit, phrasings, table

log = logging.getLogger(__name__)

GAP = r"[^。；;,，\n\d]"              # inside one clause, no figure in between
SENTENCE_END = "。！？!?\n"
LABEL_STOP = set(",，、;；:：。！？!?\n")
REQUEST_WORDS = re.compile(r"申请|复议|诉讼|咨询|答复|投诉|举报")

_TABLE_LINE = re.compile(
    r"^[^\n]*\|[^\n]*$"                                   # a flattened table row
    r"|^[ \t]*[-+]?[\d.,%]+[ \t]*$"                        # a cell holding only a figure
    r"|^[ \t]*(?:\(?[一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、|\d{1,2}[.、])[ \t]*"
    r"(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计|本年新收|上年结转|结转下年度|本年度办理结果|属于|其他法律"
    r"|危及|保护第三方|本机关不掌握|没有现成|补正后|信访举报|重复申请|要求提供|无正当理由|要求行政机关|申请人|其他)[^\n。]{0,60}$",
    re.M)

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
_SUB_ITEM = re.compile(r"含|包括|其中")
_LIST_BREAK = re.compile(r"[;；。]")
_NEW_THIS_YEAR = re.compile(rf"\s*[(（]\s*(?:(?P<year>\d{{4}})年)?(?:本年|当年|全年)?新增\s*{QUANTITY}\s*(?:条|件|篇)\s*[)）]")
_ITEM = re.compile(rf"{QUANTITY}\s*(?P<unit>条|件|篇)(?!次|以上|左右|[\d])")
_BARE_ITEM = re.compile(r"(?P<num>\d+)(?![\d.%％])(?!\s*[年月日万元个人次期份项余多号条件篇])")
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
_STRONG_TOTAL = re.compile(r"主动公开了?(?:各类|各级)?(?:政府)?信息")
_NOT_TOTAL_GAP = re.compile(r"新闻|报道|稿件|分别|报告|年报|指南|目录")
_SOCIAL = ("weibo", "wechat", "press")
_NOT_TOTAL_CHANNELS = frozenset({"weibo", "wechat", "press", "other", "in_person", "bulletin_board"})
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"")
_EACH_SPLIT = re.compile(r"[^、和及与]+")
_YEAR_WORD = re.compile(r"\d{4}年度?")
_COLUMN = re.compile(r"“(?P<label>[^“”\d]{2,12})”(?:栏目|专栏|板块|版块|频道|专题)")
_COLUMN_REACH = 25
_COLUMN_BREAK = re.compile(r"[\d;；。]")
_QUOTE_MARKS = re.compile(r"[“”\"]")
_TYPED_ENDINGS = ("类信息", "类")
_KEY_AREAS = re.compile(r"重点领域[^。；;,，\n\d]{0,30}?(?:共|共计|合计|累计)[^。；;\n\d]{0,8}?\d")  # a key-area total


@dataclass(frozen=True)
class _Rule:
    metrics: tuple[str, ...]
    dim: str
    value: float | None
    regex: re.Pattern
    cues: tuple[tuple[str, ...], ...]
    forbidden: tuple[str, ...]
    reuse: bool          # the figure may already be claimed ('共受理2件,均为信函': the total is also the channel's)


def _alternation(pairs: tuple[tuple[str, str], ...]) -> str:
    return "|".join(re.escape(phrase) for phrase, _ in pairs)


CHANNELS = tuple(pair for pair in phrasings("channels") if pair[1] != "other")
CHANNEL_OF = dict(CHANNELS)
ALL_CHANNELS = phrasings("channels")
OUTCOMES = tuple(sorted(((p, row["metric"]) for row in table("outcome_phrasings") for p in row["phrasings"].split("|") if p),
                        key=lambda pair: -len(pair[0])))
OUTCOME_OF = dict(OUTCOMES)
REQUEST_ONLY = frozenset(row["metric"] for row in table("outcome_phrasings") if row["context"] == "request")
CATEGORIES = phrasings("categories")


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern.replace("{G}", GAP).replace("{N}", QUANTITY)
                      .replace("{PCT}", rf"(?P<num>{ARABIC})\s?%")
                      .replace("{CH}", f"(?P<ch>{_alternation(CHANNELS)})")
                      .replace("{OUT}", f"(?P<out>{_alternation(OUTCOMES)})"))


def _rules() -> tuple[_Rule, ...]:
    rules = []
    for row in table("prose_patterns"):
        cues, forbidden = (), ()
        if row["cues"].startswith("!"):
            forbidden = tuple(row["cues"][1:].split("/"))
        elif row["cues"]:
            cues = tuple(tuple(c.split("/")) for c in row["cues"].split("|"))
        rules.append(_Rule(tuple(row["metric"].split("|")), row["dim"], float(row["value"]) if row["value"] else None,
                           _compile(row["pattern"]), cues, forbidden, row.get("reuse") == "1"))
    return tuple(rules)


RULES = _rules()


def prose_view(text: str) -> str:
    """The text with table rows blanked (same length, so spans still point into the original)."""
    return _TABLE_LINE.sub(lambda m: " " * len(m.group(0)), text)


class _Collector:
    """Facts found so far, and which figures (by position) are already accounted for."""

    def __init__(self, text: str):
        self.text = text
        self.facts: list[Fact] = []
        self.claimed: set[int] = set()

    def add(self, metric: str, number: Number, start: int, end: int, dim: str = "", qualifier: str | None = None,
            year: int | None = None) -> Fact:
        fact = Fact(metric=metric, value=number.value, unit=metric_unit(metric), start=start, end=end,
                    quote=short_quote(self.text, start, end), dim=dim, qualifier=qualifier or number.qualifier,
                    method="text", year=year)
        self.facts.append(fact)
        return fact


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, pos) for c in SENTENCE_END) + 1
    ends = [i for i in (text.find(c, pos) for c in SENTENCE_END) if i >= 0]
    return start, min(ends) if ends else len(text)


def _channel_of(label: str) -> str:
    return next((ch for phrase, ch in ALL_CHANNELS if phrase in label), "")


def _clause_start(view: str, pos: int) -> int:
    return max(view.rfind(c, 0, pos) for c in "。；;,，\n") + 1


def _total_prefix(m: re.Match) -> str:
    """Group prefix of the _TOTAL alternative that matched ('', 'b_' or 'c_')."""
    return "" if m.group("num") else "b_" if m.group("b_num") else "c_"


def _is_channel_statement(view: str, m: re.Match) -> bool:
    """'微信公众号发布信息782条' counts one channel, not the total; a website figure is the total."""
    clause = view[_clause_start(view, m.start()):m.start(f"{_total_prefix(m)}num")]
    channels = {ch for phrase, ch in ALL_CHANNELS if phrase in clause}
    return bool(channels) and "website" not in channels and bool(channels & _NOT_TOTAL_CHANNELS)


def _new_this_year(view: str, end: int, number: Number, meta: ReportMeta) -> tuple[Number, int]:
    """'累计8775条(2025年新增388条)': the year's own figure is the one in brackets."""
    m = _NEW_THIS_YEAR.match(view, end)
    if m and (not m.group("year") or meta.year is None or int(m.group("year")) == meta.year):
        return from_match(m), m.end()
    return number, end


def _proactive_total(view: str, meta: ReportMeta, out: _Collector) -> tuple[int, int, str] | None:
    """The first statement of the year's total; also last year's total when a change is stated.

    A loose first statement ('…等内容,全年共发布信息166条' in a section on one topic) gives way to a later
    statement of 主动公开…政府信息 when there is one ('2017年全区主动公开政府信息2122条')."""
    chosen = None
    for m in _TOTAL.finditer(view):
        prefix = _total_prefix(m)
        gap = view[m.start():m.start(f"{prefix}num")]
        if _NOT_TOTAL_GAP.search(gap) or (m.group("gap") is not None and category_of(gap[2:])):
            continue
        if _is_channel_statement(view, m):
            continue
        if chosen is None:
            chosen = m
        if _STRONG_TOTAL.search(gap) and "累计" not in view[_clause_start(view, m.start()):m.start()]:
            first_num = chosen.start(f"{_total_prefix(chosen)}num")
            chosen = chosen if _STRONG_TOTAL.search(view[chosen.start():first_num]) else m
            break
    if chosen is not None:
        m = chosen
        prefix = _total_prefix(m)
        s_start, s_end = _sentence_bounds(view, m.start())
    else:
        m = _LISTED_TOTAL.search(view)
        if m is None:
            return None
        prefix = ""
        s_start, s_end = _sentence_bounds(view, m.start())
    number = from_match(m, f"{prefix}num", f"{prefix}pre", f"{prefix}post")
    number, end = _new_this_year(view, m.end(), number, meta)
    clause = _clause_start(view, m.start())
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


def _all_of_total(view: str, end: int, s_end: int, number: Number, out: _Collector) -> None:
    """'共主动公开政府信息107条,…,全部为业务动态': one category holds the whole total."""
    for m in _ALL_OF.finditer(view, end, s_end):
        category = category_of(m.group("label"))
        if category and category != "other":
            out.add("proactive_items_by_category", number, m.start("label") - 3, m.end("label"), dim=category)
            return


def _apply_rules(view: str, out: _Collector) -> None:
    for rule in RULES:
        for m in rule.regex.finditer(view):
            groups = m.groupdict()
            if groups.get("num") is not None and m.start("num") in out.claimed and not rule.reuse:
                continue
            phrase = m.group(0)
            if any(word in phrase for word in rule.forbidden):
                continue
            number = from_match(m) if groups.get("num") is not None else Number(rule.value or 0.0)
            if rule.value is not None:
                number = Number(rule.value)
            metrics = rule.metrics
            if metrics == ("{OUT}",):
                metric = OUTCOME_OF[m.group("out")]
                if metric in REQUEST_ONLY and "申请" not in view[_sentence_bounds(view, m.start())[0]:m.start()] \
                        and "结果" not in phrase:
                    continue
                metrics = (metric,)
            elif metrics == ("req_by_channel",) and "申请" not in view[slice(*_sentence_bounds(view, m.start()))]:
                continue                           # '12件,通过微信公众号…' without 申请 is not about requests
            elif rule.cues:
                metrics = tuple(metric for metric, cue in zip(metrics, rule.cues) if any(c in phrase for c in cue))
            dim = CHANNEL_OF[m.group("ch")] if rule.dim == "{CH}" else rule.dim
            for metric in metrics:
                out.add(metric, number, m.start(), m.end(), dim=dim)
            if groups.get("num") is not None:
                out.claimed.add(m.start("num"))


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


def category_of(label: str) -> str:
    """Category id of a printed label ('机构职能类信息' -> 'org_function'), '' when no phrasing matches."""
    label = _QUOTE_MARKS.sub("", label)          # '“三公”经费' is 三公经费
    return next((cat for phrase, cat in CATEGORIES if phrase in label), "")


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
        if with_unit and raw.endswith("各"):      # one figure for each listed item
            taken_until = m.end()
            clause = max(_clause_start(view, m.start()), floor)
            for part_start, label in _each_parts(view, clause, m.start() - 1):
                yield m, part_start, label, category_of(label), "", True, False
            continue
        full = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", raw)).strip("“”\"() （）")
        verb = _LABEL_VERB.match(full)
        tail = (full[verb.end():] if verb else full).strip("“”\"") or (full if full.endswith(("公开", "更新")) else "")
        category, channel = category_of(full), _channel_of(full)
        tail = tail or (full if category else "")
        head_channel = _channel_of(full[:verb.end()]) if verb else ""
        clause_channel = _channel_of(view[max(_clause_start(view, m.start()), taken_until):m.start()])
        column = None
        if not category:
            for column in _COLUMN.finditer(view, taken_until, m.start()):
                pass
            if column is not None and (m.start() - column.end() > _COLUMN_REACH
                                       or _COLUMN_BREAK.search(view, column.end(), m.start())):
                column = None                    # too far from the figure to name it
        if column is not None:                   # the quoted column names the items
            start, full = column.start(), column.group("label")
            tail, category, channel, head_channel, clause_channel = full, category_of(full), "", "", ""
        on_website = channel == "website" and verb is not None and bool(category_of(tail))
        if head_channel in _SOCIAL or (not category and clause_channel) or (   # '通过网站发布“工作动态”10件' is
                channel and not on_website and ("通过" in full or "方式" in full or "渠道" in full)):  # a category
            category, channel = "", channel or head_channel or clause_channel
        if not with_unit and (channel or not (category or full.endswith(_TYPED_ENDINGS))):
            continue                             # a bare figure needs a category label ('重大民生类信息1')
        taken_until = m.end()
        if not tail or len(tail) > 30 or _BAD_LABEL.search(tail) or any(p in tail for p, _ in OUTCOMES):
            continue
        if _GENERIC_LABEL.match(tail) and not channel and not category:
            continue
        yield m, start, (tail if category == "" else full), category, channel, with_unit, column is not None


def _categories(view: str, total: tuple[int, int, str] | None, meta: ReportMeta, out: _Collector) -> None:
    """Category (and channel) breakdowns: lists of 'label N条' in sentences about proactive disclosure."""
    after_total = key_area = False
    for sentence in _SENTENCE.finditer(view):
        pos, end = sentence.span()
        if not _ITEM_HINT.search(view, pos, end):
            after_total = key_area = False
            continue
        in_total = total is not None and pos <= total[1] <= end
        floor = pos
        qualifies = False
        if not in_total and "申请" in _QUOTED.sub("", view[pos:end]):     # a quoted title may name a 申请表
            after_total = key_area = False
            continue
        if not in_total and (_KEY_AREAS.search(view, pos, end) or key_area and view[pos:end].lstrip().startswith("其中")):
            after_total, key_area = False, True   # key areas (重点领域) have their own total and cut across categories
            continue
        key_area = False
        items = list(_items(view, floor, end, out.claimed))
        total_in_jian = total is not None and total[2] == "件"
        mapped = sum(1 for item in items if item[3])
        typed = sum(1 for item in items if item[3] and "类" in item[2])
        columns = any(item[6] for item in items)
        qualifies = bool(items) and (in_total or typed >= 2 or ((mapped or columns) and (
            after_total or _PROACTIVE_VERB.search(view, pos, end))))
        if qualifies:
            parent = None              # dim of the last 'X类…N条' item: '含/其中' after it lists its sub-items
            in_sub, previous_end = False, pos
            for m, start, label, cat, channel, with_unit, column in items:
                unit = m.group("unit") if with_unit else ""
                if unit == "件" and not (total_in_jian or "”" in view[start:m.start()]):
                    continue
                number = from_match(m) if with_unit else Number(float(m.group("num")))
                number, item_end = _new_this_year(view, m.end(), number, meta)
                if in_total and m.start() < total[1] and not (channel and not cat):
                    continue
                if channel and not cat:
                    out.add("proactive_items_by_channel", number, start, item_end, dim=channel)
                    out.claimed.add(m.start("num"))
                    continue
                if not cat and not m.group("num")[0].isdigit():
                    continue
                share = _SHARE.match(view, item_end)
                out.claimed.add(m.start("num"))
                gap = _BRACKETED.sub("", view[previous_end:m.start()])
                in_sub = parent is not None and (bool(_SUB_ITEM.search(gap)) or in_sub and not _LIST_BREAK.search(gap))
                previous_end = share.end() if share else item_end
                if in_sub:                 # '机构职能类信息22条,含…12条,占总体的29.3%': sub-items of the parent
                    if share:
                        out.add("proactive_share_by_category", Number(float(share.group("pct").replace(",", ""))),
                                view.find("占", share.start()), share.end(), dim=parent)
                    continue
                fact = out.add("proactive_items_by_category", number, start, item_end, dim=cat or "other")
                parent = fact.dim if cat and "类" in label or column else None
                if share:
                    out.add("proactive_share_by_category", Number(float(share.group("pct").replace(",", ""))),
                            view.find("占", share.start()), share.end(), dim=fact.dim)
        after_total = in_total or qualifies


def text_facts(doc: Document, meta: ReportMeta) -> list[Fact]:
    """Every prose metric the report states, with spans in doc.text (method 'text')."""
    view = prose_view(doc.text)
    out = _Collector(doc.text)
    total_at = _proactive_total(view, meta, out)
    _apply_rules(view, out)
    _categories(view, total_at, meta, out)
    log.debug("%s: %d prose facts", doc.path, len(out.facts))
    return out.facts


__all__ = ["text_facts", "prose_view", "category_of"]
