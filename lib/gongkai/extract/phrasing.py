"""The phrasing engine: one rule per way a report states a metric in prose, read from data tables.

prose_patterns.csv holds one regular expression per phrasing with placeholders: {G} a gap inside one
clause, {N} a quantity, {PCT} a percentage, {CH} a channel phrase (channels.csv), {OUT} an outcome phrase
(outcome_phrasings.csv), and one per row of phrase_classes.csv: {NEG} a negation ('未', '没有', '无'),
{U_REQ} a unit of requests ('件', '宗', '例'), {U_CASE}, {U_ITEM}, {U_PERSON}, {ALL} ('均', '全部'); {CELL} the
value of a statistics-table row printed in the text ('对申请的答复总数 条 0').
Its other columns: the metric(s) (several '|'-separated, chosen by cues), a fixed dim or {CH}, a fixed
value ('未收到申请' is 0), cues ('!' + words that forbid the match), reuse (the figure may already be
claimed by another rule), needs (words of which one must stand in the sentence: '申请' for a channel,
公开/信息/申请 for a fee; with near, in the sentence or the near characters before the figure: '…申请41件。全年办结42件'),
unless (a class of phrase_classes.csv whose words, in the sentence up to the figure, forbid the match:
'办理人大建议12件,办结12件' is no request) and year: when a pattern names a year ((?P<yr>…), '2019年结转的申请1件'), the
offset of that year from the data year for which the rule holds ('-1': last year's carried-over requests
are this year's carried in; '0' or '+1': carried out), so that 上年结转 and 结转下年度 are told apart by
their year words, not by where they stand. Every regex is compiled once at import; a new phrasing is a
row in the table and a test, not code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.extract.prose import Collector, clause_start, sentence_bounds
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match
from gongkai.taxonomy import phrasings, table

GAP = r"[^。；;,，\n\d]"              # inside one clause, no figure in between

CHANNELS = tuple(pair for pair in phrasings("channels") if pair[1] != "other")
CHANNEL_OF = dict(CHANNELS)
OUTCOMES = tuple(sorted(((p, row["metric"]) for row in table("outcome_phrasings") for p in row["phrasings"].split("|") if p),
                        key=lambda pair: -len(pair[0])))
OUTCOME_OF = dict(OUTCOMES)
REQUEST_ONLY = frozenset(row["metric"] for row in table("outcome_phrasings") if row["context"] == "request")


@dataclass(frozen=True)
class Rule:
    """One row of prose_patterns.csv, compiled."""
    metrics: tuple[str, ...]
    dim: str
    value: float | None
    regex: re.Pattern
    cues: tuple[tuple[str, ...], ...]
    forbidden: tuple[str, ...]
    reuse: bool          # the figure may already be claimed ('共受理2件,均为信函': the total is also the channel's)
    year: int | None = None   # the offset of the (?P<yr>) year from the data year, when the pattern names one
    lead: str = ""       # 'N' or 'NEG' when the pattern starts with that placeholder: tried only where one stands
    cell: bool = False   # the figure is a statistics-table cell ({CELL})
    needs: tuple[str, ...] = ()   # one of these words must stand in the sentence ('申请' for a channel)
    near: int = 0        # ... or in the near characters before the match
    unless: re.Pattern | None = None   # words that, in the sentence up to the figure, forbid the match


def _alternation(pairs: tuple[tuple[str, str], ...]) -> str:
    return "|".join(re.escape(phrase) for phrase, _ in pairs)


# A cell of a statistics table printed as 'label unit value' ('1．当面申请数 条 0 2．传真申请数…'), whose value may
# run into the next row's number ('当面申请数条02、传真…' is 0, then row 2): the shortest digits before one.
_CELL = r"(?P<num>\d+?)(?=\d\s*[、．.]|\D|$)"
# The same table with a second value column (历年累计, the running total) runs the two values together
# ('当面申请数条1818' is 18 this year and 18 in all years, or 1 and 818): only a leading 0 is sure to be the year's.
_TWO_COLUMNS = re.compile(r"指\s*标\s*名\s*称[^。\n]{0,40}?历\s*年\s*累\s*计")


_LABEL_COLON = r"(?:[:：]\s*)?"     # 'label：figure' ('予以公开：5件') reads as 'label figure'


def phrase_class(name: str) -> str:
    """A class of phrase_classes.csv as a regex alternation, longest phrasing first ('{U_REQ}' -> '(?:件次|件|…)')."""
    row = next(r for r in table("phrase_classes") if r["name"] == name)
    return "(?:" + "|".join(re.escape(p) for p in sorted(row["phrasings"].split("|"), key=len, reverse=True)) + ")"


def compile_pattern(pattern: str) -> re.Pattern:
    """A prose_patterns.csv pattern with its placeholders filled in, compiled."""
    for row in table("phrase_classes"):
        pattern = pattern.replace("{" + row["name"] + "}", phrase_class(row["name"]))
    return re.compile(pattern.replace("{G}", GAP).replace("{N}", _LABEL_COLON + QUANTITY)
                      .replace("{PCT}", rf"(?P<num>{ARABIC})\s?%")
                      .replace("{CELL}", _CELL)
                      .replace("{CH}", f"(?P<ch>{_alternation(CHANNELS)})")
                      .replace("{OUT}", f"(?P<out>{_alternation(OUTCOMES)})"))


def _rules() -> tuple[Rule, ...]:
    rules = []
    for row in table("prose_patterns"):
        cues, forbidden = (), ()
        if row["cues"].startswith("!"):
            forbidden = tuple(row["cues"][1:].split("/"))
        elif row["cues"]:
            cues = tuple(tuple(c.split("/")) for c in row["cues"].split("|"))
        rules.append(Rule(tuple(row["metric"].split("|")), row["dim"], float(row["value"]) if row["value"] else None,
                          compile_pattern(row["pattern"]), cues, forbidden, row.get("reuse") == "1",
                          int(row["year"]) if row.get("year") else None,
                          _lead(row["pattern"]), "{CELL}" in row["pattern"],
                          tuple(w for w in row.get("needs", "").split("/") if w), int(row.get("near") or 0),
                          re.compile(phrase_class(row["unless"])) if row.get("unless") else None))
    return tuple(rules)


def _lead(pattern: str) -> str:
    """'N' or 'NEG' when every match of the pattern starts with that placeholder (no alternative at its top
    level), else ''."""
    lead = next((lead for lead in _LEADS if pattern.startswith("{" + lead + "}")), "")
    depth, in_class, escaped = 0, False, False
    for c in pattern:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return ""
    return lead


_LEADS = ("NEG", "N")


def _lead_scanners() -> dict[str, re.Pattern]:
    """Where a pattern that starts with a figure ({N} and its unit) or a negation ({NEG}) can start: one scan
    per report finds them all, and such rules are tried there only (most rules start with {N}; one scan
    per rule over the whole text would be most of the prose extractor's time)."""
    units = {u for name in ("U_REQ", "U_CASE", "U_PERSON", "U_ITEM") for u in phrase_class(name)[3:-1].split("|")}
    alternation = "|".join(sorted(units | {"元"}, key=len, reverse=True))
    return {"N": re.compile(rf"{QUANTITY}\s*(?:{alternation})"), "NEG": re.compile(phrase_class("NEG"))}


_LEAD_AT = _lead_scanners()
RULES = _rules()


def _year_holds(rule: Rule, m: re.Match, year: int | None) -> bool:
    """A rule naming a year applies when that year stands at its offset from the data year (an unknown data
    year: only offset 0)."""
    if rule.year is None:
        return True
    if year is None:
        return rule.year == 0
    return int(m.group("yr")) == year + rule.year


def _matches_at(regex: re.Pattern, view: str, starts: list[int]):
    """Matches of regex starting at the given positions, not overlapping (as finditer would find them)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        m = regex.match(view, start)
        if m:
            end = max(m.end(), start + 1)
            yield m


_SPAN = re.compile(phrase_class("SPAN"))
_DURATION = re.compile(phrase_class("DURATION"))
_CASES = frozenset({"complaints_total"})      # counts of cases that need their subject (信息公开) in the sentence
_DISCLOSURE = re.compile(r"公开")
_OTHER_APPLICATION = re.compile(phrase_class("OTHER_APPLICATION"))
_ITEM_CLASSES = re.compile(r"依申请公开(?:的)?(?:政府)?(?:信息|文件)?数?(?:为)?\s*\d+\s*(?:条|份)")
_PART_NOTE = re.compile(r"[(（][^()（）]*?(?:含|包括)[^()（）]*$")   # '其他处理5件(含申请人撤回' up to a figure


def _other_application(view: str, m: re.Match, rule: Rule) -> bool:
    """'开设窗口26个,共受理申请121510件': a bare 申请 (no 公开 or 信息 in the match) in a sentence about another kind
    of application (审批, 窗口, …) is not a disclosure request."""
    if "req_new" not in rule.metrics or "公开" in m.group(0) or "信息" in m.group(0):
        return False
    start, end = sentence_bounds(view, m.start())
    return _OTHER_APPLICATION.search(view, start, end) is not None


def _of_item_classes(view: str, at: int) -> bool:
    """'制作政府信息100条,其中主动公开60条,依申请公开30条,不予公开10条': the pre-2019 classes of the information an
    office holds, not outcomes of requests."""
    return _ITEM_CLASSES.search(view, sentence_bounds(view, at)[0], at) is not None


def _in_part_note(view: str, at: int) -> bool:
    """'其他处理5件(含申请人撤回2件)': a figure in a bracketed note of what another figure includes is a part of
    that figure, not a figure of its own."""
    return _PART_NOTE.search(view, max(0, at - 30), at) is not None


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年(?!\s*\d{1,2}\s*月))")   # a year, not a date's


def _of_another_year(view: str, m: re.Match, year: int | None) -> bool:
    """'2015年未收到…申请' in a 2016 report: the clause of the figure names another year (not a date: '2016年3月
    12日'), so its figure is that year's."""
    if year is None:
        return False
    end = m.start("num") if m.groupdict().get("num") is not None else m.end()
    start = max(clause_start(view, m.start()), m.start() - 300)        # bounded: a flattened table is one clause
    return any(int(y.group(1)) != year for y in _YEAR.finditer(view, start, end))


def _over_years(view: str, at: int) -> bool:
    """The sentence up to a figure opens with a span of several years ('近3年共受理申请2件'): the count is the
    span's, not the data year's."""
    return _SPAN.search(view, sentence_bounds(view, at)[0], at) is not None


_UNLESS_REACH = 300       # the words that forbid a match stand this near before it


def _needs_hold(view: str, m: re.Match, rule: Rule) -> bool:
    """One of the rule's needed words stands in the sentence of the match (or within rule.near characters
    before it)."""
    start, end = sentence_bounds(view, m.start())
    return any(w in view[min(start, max(0, m.start() - rule.near)):end] for w in rule.needs)


def apply_rules(view: str, out: Collector, year: int | None = None) -> None:
    """Every rule over the prose view, in table order; a figure claimed by one rule is not read again
    (unless the rule says reuse). year: the report's data year, for rules that name a year."""
    leads = {lead: [m.start() for m in scanner.finditer(view)] for lead, scanner in _LEAD_AT.items()}
    two_columns = _TWO_COLUMNS.search(view) is not None
    for rule in RULES:
        for m in (_matches_at(rule.regex, view, leads[rule.lead]) if rule.lead else rule.regex.finditer(view)):
            groups = m.groupdict()
            if groups.get("num") is not None and m.start("num") in out.claimed and not rule.reuse:
                continue
            if not _year_holds(rule, m, year) or (rule.year is None and _of_another_year(view, m, year)):
                continue
            if groups.get("num") is not None and _over_years(view, m.start("num")):
                continue
            if groups.get("num") is not None and _DURATION.match(view, m.end()):
                continue                           # '接到申请15个工作日内' is a time limit
            phrase = m.group(0)
            if any(word in phrase for word in rule.forbidden):
                continue
            if rule.needs and not _needs_hold(view, m, rule):
                continue                           # '12件,通过微信公众号…' without 申请 is not about requests
            if rule.unless and rule.unless.search(view, sentence_bounds(view, m.start(), _UNLESS_REACH)[0], m.end()):
                continue
            if _other_application(view, m, rule):
                continue
            if rule.cell and two_columns:
                if not m.group("num").startswith("0"):
                    continue                       # '1818': which digits are this year's is not sure
                number = Number(0.0)
            else:
                number = from_match(m) if groups.get("num") is not None else Number(rule.value or 0.0)
            if rule.value is not None:
                number = Number(rule.value)
            metrics = rule.metrics
            if metrics == ("{OUT}",):
                metric = OUTCOME_OF[m.group("out")]
                if metric in REQUEST_ONLY and "申请" not in view[sentence_bounds(view, m.start())[0]:m.start()] \
                        and "结果" not in phrase:
                    continue
                if _in_part_note(view, m.start()) or _of_item_classes(view, m.start()):
                    continue
                metrics = (metric,)
            elif rule.cues:
                metrics = tuple(metric for metric, cue in zip(metrics, rule.cues) if any(c in phrase for c in cue))
            if groups.get("num") is not None and number.value and not _DISCLOSURE.search(
                    view, sentence_bounds(view, m.start())[0], m.end()):
                metrics = tuple(x for x in metrics if x not in _CASES)   # '接到举报投诉658件': the office's
                if not metrics:                                         # complaints, not about disclosure
                    continue
            dim = CHANNEL_OF[m.group("ch")] if rule.dim == "{CH}" else rule.dim
            for metric in metrics:
                out.add(metric, number, m.start(), m.end(), dim=dim)
            if groups.get("num") is not None:
                out.claimed.add(m.start("num"))


__all__ = ["apply_rules", "compile_pattern", "phrase_class", "Rule", "RULES", "OUTCOMES"]
