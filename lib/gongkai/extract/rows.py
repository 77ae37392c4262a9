"""The rows of the standard tables and the cells read from them, shared by the grid and the flat reader.

RowSpec is one row of data/table_rows.csv: the table (2, 3, 4), the era it belongs to (empty: both), its
id, the group it sits under (table 三's numbered sub-rows), its printed ordinal, whether its label must
match exactly, the metric of each cell, the column names, and the label's phrasings. Table 三 rows have
one metric and one cell per applicant column (taxonomy.applicant_order()).

A Value is one cell's figure with its printed text and span; a Row is a row as read from a document, with
one or (for glued digits) several candidate readings of its cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.numbers import in_range
from gongkai.taxonomy import applicant_order, table


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
        return len(applicant_order()) if self.table == "3" else len(self.metrics)


@lru_cache(maxsize=None)
def row_specs() -> tuple[RowSpec, ...]:
    """The table rows of data/table_rows.csv."""
    return tuple(RowSpec(table=r["table"], era=r["era"], row=r["row"], group=r["group"],
                         ordinal=int(r["ordinal"]) if r["ordinal"] else None, exact=r["exact"] == "1",
                         metrics=tuple(m for m in r["metrics"].split(";") if m),
                         columns=tuple(c for c in r["columns"].split(";") if c),
                         phrasings=tuple(p for p in r["phrasings"].split("|") if p))
                 for r in table("table_rows"))


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


__all__ = ["RowSpec", "row_specs", "Value", "Row", "parse_cell", "compact_label"]
