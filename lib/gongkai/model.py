"""The records that flow through the pipeline: Document (read), Fact, Conflict and ReportMeta (extracted),
Report (what extraction returns), Finding (what the checks make of a Report)."""
from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.wording import shorten

FACT_COLUMNS = ["report", "office_id", "office", "district", "year", "metric", "dim", "value", "unit",
                "qualifier", "method", "start", "end", "quote"]
REPORT_COLUMNS = ["report", "source", "office_id", "office", "district", "year", "title_year", "era",
                  "full_year", "facts", "errors", "warnings"]
FINDING_COLUMNS = ["report", "check", "severity", "metric", "dim", "expected", "actual", "message"]
QUOTE_MAX = 80
# Fact.qualifier: exact | approx (余/多/近/约) | derived (computed, e.g. from "比去年增加57条") | unreconciled (an item of
# a category breakdown that exceeds its total and could not be reconciled: kept, but left out of the mix)
UNRECONCILED = "unreconciled"


@dataclass
class Cell:
    """One table cell: its text and its span in Document.text."""
    text: str
    start: int
    end: int


@dataclass
class Table:
    """A table as read from HTML/DOCX/PDF (rowspan/colspan expanded), or found as '|' lines in text."""
    rows: list[list[Cell]]
    start: int
    end: int
    origin: str = "text"  # html | docx | pdf | text


@dataclass
class Document:
    """A report file read into normalized text (the coordinate system of every span) plus its tables.

    header holds provenance lines some archived copies carry before the report text (url, district,
    office); it is metadata about the copy, never part of the text.
    """
    path: str
    text: str
    kind: str                      # txt | html | docx | pdf
    sha: str                       # sha256 of the file bytes
    encoding: str = "utf-8"
    tables: list[Table] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    converted_traditional: bool = False


@dataclass
class Fact:
    """One figure a report states. year None means the report's data year; derived facts set their own."""
    metric: str
    value: float
    unit: str
    start: int
    end: int
    quote: str
    dim: str = ""
    qualifier: str = "exact"       # exact | approx | derived
    method: str = "text"           # text | table | manual
    year: int | None = None


@dataclass
class Finding:
    """A check result worth a human look. Never raised; collected."""
    check: str
    severity: str                  # error | warning
    message: str
    metric: str = ""
    dim: str = ""
    expected: float | None = None
    actual: float | None = None


@dataclass
class Conflict:
    """Two statements of one figure (metric, dim, year) with different values: the one kept among the facts
    and the other one, left out of them. Extraction records it; the checks report it."""
    kept: Fact
    other: Fact


@dataclass
class ReportMeta:
    """What a report is about. An empty office or a year None means extraction found none (checks report it)."""
    office: str = ""
    district: str = ""
    year: int | None = None        # data year
    title_year: int | None = None
    era: str = ""                  # pre2019 | fmt2019 | fmt2021
    full_year: bool = True
    period: str = ""               # the 统计期限 phrase when found
    partial: str = ""              # the phrase that shows a partial period (截至11月底, 上半年) when found
    # rows of the standard tables seen but not read, or read with cells left unknown: (metric, why)
    unread: list[tuple[str, str]] = field(default_factory=list)
    # prose figures beyond numbers.MAX_FIGURE, left out of the facts: (metric, quote)
    absurd: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """Everything extracted from one Document; findings stay empty until the checks have run."""
    report: str                    # id: content hash prefix
    source: str                    # path as given, or the URL of the original page when the copy names it
    path: str
    meta: ReportMeta
    facts: list[Fact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def quote_of(phrase: str) -> str:
    """A phrase as a fact's quote: single-line, at most QUOTE_MAX characters (cut with an ellipsis)."""
    return shorten(" ".join(phrase.split()), QUOTE_MAX)


def short_quote(text: str, start: int, end: int) -> str:
    """The phrase text[start:end] as a quote (see quote_of)."""
    return quote_of(text[start:end])
