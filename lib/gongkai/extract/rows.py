"""The description of the standard tables, and the cells read from them: what the one table reader is driven by.

TableSpec is one row of data/tables.csv: a table (2, 3, 4 of the 2019/2021 formats, and the pre2019 统计表)
with the eras it is read in, the phrasings that anchor it in a text (regular expressions), the header that may
open it a little earlier (lead, within lead_reach characters), the table it is searched after and one it must
stand before, the markers that end it (ends, or at most reach characters after its anchor, or the next table),
its columns ('applicants': the applicant columns of table 三, taxonomy.applicant_order(); 'id:header|…' for
columns of its own, such as the 统计表's 本年 and 历年累计; empty: each row names its own),
the table-wide columns a copy may leave out and what tells (table 三 without its 总计 column: the rows, when
more of those printed one figure per cell have one figure less; a 统计表 without 历年累计: also its header),
the header words that may stand between a row label and its figures, the identity each printed row carries
(total_column: the 总计 cell is the sum of the others, T3-2; identities: the table's identities of
gongkai.identities, table 四's totals; a table with one has its blank cells, missing rows and missing column
named, since they leave its arithmetic unchecked), how many glued digits' cells form one such block (a cut of
glued digits is kept only when every block adds up), and whether figures may be signed.

RowSpec is one row of data/table_rows.csv: the table, the era it belongs to (empty: both), its id, the group
it sits under (table 三's numbered sub-rows), its printed ordinal, whether its label must match exactly, the
metric of each cell ('metric:dim' for a figure with a dimension, empty for a cell read but not kept; table
三's one metric holds for every applicant column), the column names, and the label's phrasings. A row without
metrics is a label only: it ends the row before it. Rows are listed in the template's order.

The 统计表's proactive rows (主动公开信息数, 网站公开, 政府公报公开) keep only the cumulative figure: their year
figure is the prose's to state (reports' tables and prose disagree on it, the prose's breakdown by category
is attached to the prose total), while their request rows are the request figures.

A Sighting is a row as seen in a document (its label, if any, and the figures after it), before the reader
places it; a Value is one cell's figure with its printed text and span; a Row is a row as read, with one or
(for glued digits) several candidate readings of its cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.numbers import in_range
from gongkai.taxonomy import applicant_order, labels, table


@dataclass(frozen=True)
class TableSpec:
    """One standard table (data/tables.csv): how to find it, its columns, the check each row must pass."""
    table: str
    label: str                      # how findings name it: 表二, 表三, 表四, 统计表
    name: str
    eras: tuple[str, ...]           # the report eras it is read in (empty: any)
    anchors: re.Pattern
    lead: re.Pattern | None
    lead_reach: int
    after: str                      # the table it is searched after ('' : from the report's start)
    before: str                     # a table it must stand before, or it is not this table
    ends: re.Pattern | None
    reach: int
    columns: tuple[str, ...]        # table-wide columns (table 三's applicants), () when rows name their own
    column_labels: tuple[str, ...]  # their printed headers
    optional: tuple[str, ...]       # table-wide columns a copy may leave out altogether (table 三's 总计)
    optional_by: str                # rows: left out when most rows print one figure less; header: or, when no
                                    # row tells, when the table's header does not print the column's header
    headers: tuple[str, ...]        # column header words that may stand between a label and its figures
    row_check: str                  # total_column | identities | '' (see the module docstring)
    glue_block: int | None          # cells per block of glued digits whose last cell is the sum of the others
    signed: bool

    def reads_in(self, era: str) -> bool:
        return not self.eras or era in self.eras


def _columns(cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if cell == "applicants":
        return applicant_order(), tuple(labels("applicants")[dim] for dim in applicant_order())
    pairs = [part.split(":", 1) for part in cell.split("|") if part]
    return tuple(p[0] for p in pairs), tuple(p[-1] for p in pairs)


@lru_cache(maxsize=None)
def table_specs() -> dict[str, TableSpec]:
    """The tables of data/tables.csv by id ('2', '3', '4', 'stats'), in the order they are searched."""
    specs = {}
    for r in table("tables"):
        columns, column_labels = _columns(r["columns"])
        specs[r["table"]] = TableSpec(
            table=r["table"], label=r["label"], name=r["name"], eras=tuple(e for e in r["eras"].split("|") if e),
            anchors=re.compile(r["anchors"]), lead=re.compile(r["lead"]) if r["lead"] else None,
            lead_reach=int(r["lead_reach"] or 0), after=r["after"], before=r["before"],
            ends=re.compile(r["ends"]) if r["ends"] else None, reach=int(r["reach"]),
            columns=columns, column_labels=column_labels,
            optional=tuple(c for c in r["optional"].split("|") if c), optional_by=r["optional_by"],
            headers=tuple(sorted((h for h in r["headers"].split("|") if h), key=len, reverse=True)),
            row_check=r["row_check"], glue_block=int(r["glue_block"]) if r["glue_block"] else None,
            signed=r["signed"] == "1")
    return specs


@dataclass(frozen=True)
class RowSpec:
    """One row of a standard table (data/table_rows.csv): the metric of each of its cells, its labels."""
    table: str
    era: str
    row: str
    group: str
    ordinal: int | None
    exact: bool
    metrics: tuple[str, ...]
    columns: tuple[str, ...]
    phrasings: tuple[str, ...]

    @property
    def width(self) -> int:
        """Cells in the row: the table's columns when it has table-wide ones, else one per metric."""
        return len(table_specs()[self.table].columns) or len(self.metrics)


@lru_cache(maxsize=None)
def row_specs() -> tuple[RowSpec, ...]:
    """The table rows of data/table_rows.csv."""
    return tuple(RowSpec(table=r["table"], era=r["era"], row=r["row"], group=r["group"],
                         ordinal=int(r["ordinal"]) if r["ordinal"] else None, exact=r["exact"] == "1",
                         metrics=tuple(r["metrics"].split(";")) if r["metrics"] else (),
                         columns=tuple(c for c in r["columns"].split(";") if c),
                         phrasings=tuple(p for p in r["phrasings"].split("|") if p))
                 for r in table("table_rows"))


@lru_cache(maxsize=None)
def noise_lines() -> re.Pattern:
    """Lines that interrupt a table without belonging to it (page footers, data/table_noise.csv), one regex."""
    return re.compile("|".join(f"(?:{r['pattern']})" for r in table("table_noise")), re.MULTILINE)


@dataclass
class Value:
    """One cell's figure: number, the text as printed, its span in Document.text."""
    number: float
    text: str
    start: int
    end: int


@dataclass
class Row:
    """A table row read from a document: its spec, the label as printed, and candidate cell readings.

    candidates holds one list of cells (None = blank/unknown) when the cells were separable, or
    several when glued digits admit several splits that pass the row's own identity.
    """
    spec: RowSpec
    label: str
    start: int                         # span of the label in Document.text
    end: int
    candidates: list[list[Value | None]] = field(default_factory=list)
    glued: bool = False


@dataclass
class Sighting:
    """A row as seen in a document, before the reader places it: the row its label names (None: a line of
    figures without a label), the label as printed and its span, and the figures that follow it as printed
    tokens with their offsets ('' for a blank grid cell). separable: the tokens are the cells (a grid row, or
    figures apart from each other); otherwise they may be digits of several cells run together. chain: rows
    named just before this label with no figures of their own, which a header-then-values layout fills from
    this run (table 四: 行政复议 … 复议后起诉, then fifteen figures)."""
    spec: RowSpec | None
    label: str
    start: int
    end: int
    tokens: list[tuple[str, int]]
    separable: bool
    glue_ok: bool = True               # no '|' or printed blank in the run: its digits may be cut
    apart: bool = False                # one figure per cell for sure: a grid row, or one figure per line
    chain: tuple[RowSpec, ...] = ()
    source: str = "text"               # text | grid


def parse_cell(token: str, start: int) -> Value | None:
    """A cell token -> Value; dashes and slashes are printed blanks (None). Amounts keep their unit word."""
    text = token.strip()
    if not text or text in "—–/":
        return None
    digits = text.replace(",", "")
    unit_free = digits.removesuffix("万元").removesuffix("元")
    try:
        number = float(unit_free)
    except ValueError:
        return None
    if not in_range(number):    # beyond numbers.MAX_FIGURE (or inf): no figure a report states
        return None
    return Value(number, text, start, start + len(text))


def compact_label(text: str) -> str:
    """A printed label without whitespace and quotes, with ASCII parentheses: the form labels are compared in."""
    return re.sub(r"[\s\"“”'‘’]", "", text).replace("（", "(").replace("）", ")")


__all__ = ["TableSpec", "table_specs", "RowSpec", "row_specs", "noise_lines", "Value", "Row", "Sighting", "parse_cell",
           "compact_label"]
