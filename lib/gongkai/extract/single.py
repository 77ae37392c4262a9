"""The outcome of a single request stated without a figure: '收到申请1件,……。经查,该信息属于已主动公开范围'.

When the prose counts one request in all (one req_new of 1, nothing carried in) and states no outcome with a
figure, an outcome phrase (outcome_phrasings.csv) in the request's sentence or the next ones of its paragraph
(up to SPAN characters, never past a heading) is that request's outcome: 1. A negated phrase ('未有不予公开')
or one of a list ('公开和不予公开部分') is no outcome, and two different outcomes leave both unsaid (which one is the request's is not sure).
"""
from __future__ import annotations

import re

from gongkai.extract.phrasing import OUTCOME_OF, OUTCOMES, phrase_class
from gongkai.extract.prose import Collector
from gongkai.numbers import Number

SPAN = 160
_OUTCOME = re.compile("|".join(re.escape(p) for p, _ in OUTCOMES))
_NEGATED = re.compile(phrase_class("NEG") + r"[^。；;,，、\n\d]{0,4}$")
_FIGURE_AFTER = re.compile(r"[^。；;,，、\n\d]{0,8}\d")
_HEADING = re.compile(r"[\n。；;]\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、])|\n\s*\n")
_OUTCOME_METRICS = frozenset(OUTCOME_OF.values())


def single_request_outcome(view: str, out: Collector) -> None:
    requests = [f for f in out.facts if f.metric == "req_new" and f.year is None]
    if len(requests) != 1 or requests[0].value != 1 or any(
            f.metric in _OUTCOME_METRICS or (f.metric == "req_carried_in" and f.value) for f in out.facts):
        return
    start = requests[0].end
    heading = _HEADING.search(view, start, start + SPAN)
    end = heading.start() if heading else min(len(view), start + SPAN)
    found = []
    for m in _OUTCOME.finditer(view, start, end):
        if _NEGATED.search(view, max(start, m.start() - 6), m.start()) or _FIGURE_AFTER.match(view, m.end()) \
                or view[m.start() - 1] in "和与及或、":
            continue                                  # '可以公开和不予公开部分': one of several, no outcome
        found.append((OUTCOME_OF[m.group(0)], m))
    if len({metric for metric, _ in found}) == 1:
        metric, m = found[0]
        out.add(metric, Number(1.0), m.start(), m.end())


__all__ = ["single_request_outcome"]
