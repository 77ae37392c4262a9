"""Short display forms shared by messages, quotes and pages: a cut with an ellipsis, a span of years."""
from __future__ import annotations

from collections.abc import Iterable

ELLIPSIS = "…"


def shorten(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """text cut to at most width characters, the last one an ellipsis when anything was cut."""
    text = str(text)
    if len(text) <= width:
        return text
    return text[: max(0, width - len(ellipsis))] + ellipsis


def year_span(years: Iterable[int], dash: str = "–") -> str:
    """'2015–2017' for a run of years or any list (first–last), '2017' for one year, '' for none."""
    years = sorted(int(y) for y in years)
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}{dash}{years[-1]}"
