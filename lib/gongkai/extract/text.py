"""Facts stated in a report's prose: publication totals and categories, requests, outcomes, consultations,
fees, reconsideration, litigation and complaints (method 'text').

Readers over the prose view (extract.prose: table rows blanked, spans unchanged), in this order, sharing one
collector so that a figure claimed by one is not read again by the next: extract.total (the year's proactive
total and last year's derived from a stated change), extract.phrasing (one rule per phrasing, from
data/prose_patterns.csv), then what the phrasing rules' figures imply: extract.each (one figure for each label
of a list, '当面和网上申请各1件'), extract.cases (the outcomes and manners stated after a count of cases),
extract.single (a single request's outcome stated without a figure), extract.restated (a figure of another year
printed for comparison); last extract.categories (the category and channel lists). Every pass is linear in
the text.
"""
from __future__ import annotations

import logging

from gongkai.extract.cases import case_outcomes
from gongkai.extract.categories import category_facts
from gongkai.extract.each import each_of
from gongkai.extract.phrasing import apply_rules
from gongkai.extract.prose import Collector, prose_view
from gongkai.extract.restated import other_year_figures
from gongkai.extract.single import single_request_outcome
from gongkai.extract.total import derive_change, proactive_total
from gongkai.model import Document, Fact, ReportMeta

log = logging.getLogger(__name__)


def text_facts(doc: Document, meta: ReportMeta) -> list[Fact]:
    """Every prose metric the report states, with spans in doc.text (method 'text')."""
    view = prose_view(doc.text)
    out = Collector(doc.text)
    total_at = proactive_total(view, meta, out)
    apply_rules(view, out, meta.year)
    each_of(view, out)
    case_outcomes(view, out)
    single_request_outcome(view, out)
    other_year_figures(view, out, meta.year)
    for fact in [f for f in out.facts if f.metric == "req_new" and f.year is None][:1]:
        derive_change(view, fact, meta, out)      # '共受理申请1件,较上年增加1件'
    category_facts(view, total_at, meta, out)
    meta.absurd = out.absurd
    log.debug("%s: %d prose facts", doc.path, len(out.facts))
    return out.facts


__all__ = ["text_facts"]
