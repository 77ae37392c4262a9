"""The template era of a report (pre2019 | fmt2019 | fmt2021), by signature strings of the templates
(reference/report-templates.md §1.3), never by the year alone: one detector over data/era_signatures.csv.

Each row of that table is a scope ('report': anywhere in the text; 'table2': the column headers of table 二),
an era ('fmt_new' is either format of 2019 on) and its phrasings; a space in a phrasing matches any
whitespace or none ('上一年 项目' is also '上一年\\n项目'). signature_hits counts the phrasings of each era in
a text; detect_era decides for a whole report, table2_era for the layout of table 二.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from gongkai.taxonomy import table

FORMATS = ("fmt2019", "fmt2021")


def _pattern(phrase: str) -> str:
    return r"\s*".join(re.escape(part) for part in phrase.split(" "))


@lru_cache(maxsize=None)
def signatures(scope: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(era, one regex of its phrasings) per row of era_signatures.csv in the scope, in table order."""
    return tuple((row["era"], re.compile("|".join(_pattern(p) for p in row["phrasings"].split("|") if p)))
                 for row in table("era_signatures") if row["scope"] == scope)


def signature_hits(text: str, scope: str) -> Counter[str]:
    """How many signature phrasings of each era the text holds (non-overlapping occurrences)."""
    hits: Counter[str] = Counter()
    for era, regex in signatures(scope):
        hits[era] += len(regex.findall(text))
    return hits


def detect_era(text: str, year: int | None) -> str:
    """pre2019 | fmt2019 | fmt2021 by the templates' signature strings; by the data year when none is present."""
    found = {era for era, count in signature_hits(text, "report").items() if count}
    if "fmt2021" in found:
        return "fmt2021"
    if "fmt2019" in found:
        return "fmt2019"
    if "fmt_new" in found:
        return "fmt2021" if year and year >= 2021 else "fmt2019"
    if "pre2019" in found:
        return "pre2019"
    if year is None:
        return ""
    return "pre2019" if year <= 2018 else "fmt2019" if year <= 2020 else "fmt2021"


def table2_era(chunk: str, report_era: str) -> str:
    """fmt2019 or fmt2021 layout of table 二 from its column headers (the era with more of them); the report's
    era when they are lost or tie; '' when neither tells."""
    hits = signature_hits(chunk, "table2")
    if hits["fmt2019"] != hits["fmt2021"]:
        return max(FORMATS, key=lambda era: hits[era])
    return report_era if report_era in FORMATS else ""


__all__ = ["detect_era", "table2_era", "signature_hits", "signatures"]
