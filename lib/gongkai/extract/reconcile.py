"""One fact per figure: prose and table statements of a report reconciled (a table cell wins over prose, the
first statement over repeats), with request figures of prose given the whole-office dim 'total'.

Two statements of one figure that disagree are not findings here: they come back as Conflicts, which
the Report carries and gongkai.checks reports.
"""
from __future__ import annotations

import re

from gongkai.model import Conflict, Fact
from gongkai.taxonomy import additive_metrics

APPLICANT_METRIC_PREFIXES = ("req_", "out_")
APPLICANT_FREE_METRICS = {"req_by_channel"}


def whole_office_dim(fact: Fact) -> Fact:
    """Request figures stated in prose are about all applicants: their dim is 'total', as in table 三."""
    if not fact.dim and fact.metric.startswith(APPLICANT_METRIC_PREFIXES) and fact.metric not in APPLICANT_FREE_METRICS:
        fact.dim = "total"
    return fact


_LABEL_NOISE = re.compile(r"[\s“”\"'()（）]|类|信息|资讯|共|计|为|有|的|数")
_TRAILING_FIGURE = re.compile(r"\s*(?:约|近)?[\d,.]+\s*(?:余|多)?\s*(?:条|件|篇|人次|次|个)?[^\d]{0,3}$")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.、]|[(（]?[一二三四五六七八九十]+[)）、])")


def statement_label(fact: Fact) -> str:
    """The printed label of a prose figure, normalized: '机构职能类信息13条' and '机构职能类13条' -> '机构职能'."""
    head = _LIST_MARK.sub("", _TRAILING_FIGURE.sub("", fact.quote))
    return _LABEL_NOISE.sub("", head)


def reconcile(facts: list[Fact]) -> tuple[list[Fact], list[Conflict]]:
    """One fact per (metric, dim, year): a table cell wins over prose (G-3), the first statement over repeats.

    Additive metrics (categories, channels) may keep several prose facts under one key when they are
    distinct statements: other spans and other printed labels ('内设机构10条', '领导介绍3条' are both
    org_function). A restatement (same label) is dropped; a table figure still wins over all prose.
    A second statement of the same figure with another value is kept out of the facts and returned as a
    Conflict (the checks report it).
    """
    facts = [whole_office_dim(f) for f in facts]
    additive = additive_metrics()
    chosen: dict[tuple, list[Fact]] = {}
    conflicts: list[Conflict] = []
    ordered = sorted(facts, key=lambda f: (f.method != "table", f.start))
    for fact in ordered:
        key = (fact.metric, fact.dim, fact.year)
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = [fact]
            continue
        first = kept[0]
        if (fact.metric in additive and first.method == "text" and fact.method == "text"
                and all(f.start != fact.start and statement_label(f) != statement_label(fact) for f in kept)):
            kept.append(fact)
        elif abs(first.value - fact.value) > 1e-9:
            conflicts.append(Conflict(kept=first, other=fact))
    return sorted((f for group in chosen.values() for f in group), key=lambda f: f.start), conflicts


__all__ = ["reconcile", "statement_label", "whole_office_dim"]
