"""The arithmetic a report must satisfy (reference/report-templates.md §4), in one place for the extractor,
which uses it to choose between readings of a table, and for the checks, which report where it fails.

data/identities.csv holds one identity per row: check id, severity (H of the reference is 'error', S is
'warning'), the table it belongs to ('3', '4', or empty for prose figures), the eras it applies to (empty:
any), left and right terms ('+'-separated metrics), and whether it holds per applicant column of table 三.
A right-hand term 'rows:<total>' stands for the sub-rows of a table 三 group (from the group column of
data/table_rows.csv); 'dim:<metric>' (the sum over a metric's stated dims) is evaluated by the checks.

A group total that a table leaves implicit (fmt2021 has no （六） subtotal row) is the sum of its rows
(subtotal). The 总计 column of table 三 is the sum of the applicant columns (column_total_holds). A term
that is unknown leaves an identity unknown (None), never false.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from gongkai.taxonomy import applicant_order, table

TOTAL = "total"               # the 总计 column of table 三
COUNT_TOLERANCE = 0.5         # counts are whole: a difference under one half is no difference
EXACT = 1e-9                  # for choosing between readings of printed cells

ValueOf = Callable[[str], "float | None"]


@dataclass(frozen=True)
class Identity:
    """Sum of the left terms = sum of the right terms."""
    check: str
    severity: str
    table: str
    eras: tuple[str, ...]
    left: tuple[str, ...]
    right: tuple[str, ...]
    per_column: bool

    def applies_to(self, era: str) -> bool:
        return not self.eras or era in self.eras


@lru_cache(maxsize=None)
def subtotals() -> dict[str, tuple[str, ...]]:
    """Group total metric -> the metrics of its sub-rows, in table order ('out_denied_total' -> the eight
    不予公开 reasons), from data/table_rows.csv."""
    rows = [r for r in table("table_rows") if r["table"] == "3"]
    total_of = {r["row"]: r["metrics"] for r in rows}
    groups: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["group"]:
            groups[total_of[r["group"]]].append(r["metrics"])
    return {total: tuple(members) for total, members in groups.items()}


def _terms(cell: str) -> tuple[str, ...]:
    terms: list[str] = []
    for term in cell.split("+"):
        terms += subtotals()[term[5:]] if term.startswith("rows:") else [term]
    return tuple(terms)


@lru_cache(maxsize=None)
def identities(of_table: str | None = None) -> tuple[Identity, ...]:
    """The identities of data/identities.csv, all of them or those of one table ('3', '4', '' for prose)."""
    found = tuple(Identity(check=r["check"], severity=r["severity"], table=r["table"],
                           eras=tuple(e for e in r["eras"].split("|") if e), left=_terms(r["left"]),
                           right=_terms(r["right"]), per_column=r["per_column"] == "1")
                  for r in table("identities"))
    return found if of_table is None else tuple(i for i in found if i.table == of_table)


def applicant_columns() -> tuple[str, ...]:
    """The applicant columns of table 三 whose sum is the 总计 column."""
    return tuple(dim for dim in applicant_order() if dim != TOTAL)


def subtotal(metric: str, value_of: ValueOf) -> float | None:
    """A group total as the sum of its sub-rows when all are known; None for other metrics or unknown rows."""
    rows = subtotals().get(metric)
    if not rows:
        return None
    values = [value_of(m) for m in rows]
    return None if any(v is None for v in values) else sum(values)


def sides(identity: Identity, value_of: ValueOf) -> tuple[list[float], list[float]] | None:
    """The values of both sides' terms, or None when any term is unknown."""
    left = [value_of(m) for m in identity.left]
    right = [value_of(m) for m in identity.right]
    if any(v is None for v in left + right):
        return None
    return left, right


def holds(identity: Identity, value_of: ValueOf, tolerance: float = COUNT_TOLERANCE) -> bool | None:
    """Whether the identity holds for these values; None when a term is unknown."""
    found = sides(identity, value_of)
    if found is None:
        return None
    return abs(sum(found[0]) - sum(found[1])) <= tolerance


def column_total_holds(row: Mapping[str, float | None], tolerance: float = COUNT_TOLERANCE) -> bool | None:
    """One row of table 三 by applicant dim: its 总计 equals the sum of the applicant columns (T3-2);
    None when a cell is unknown."""
    values = [row.get(dim) for dim in (*applicant_columns(), TOTAL)]
    if any(v is None for v in values):
        return None
    return abs(sum(values[:-1]) - values[-1]) <= tolerance


def table_failures(of_table: str, rows: Mapping[str, Sequence[float | None]], tolerance: float = EXACT) -> int:
    """Rows of one table read from a report (metric -> cells, one per column), group totals implicit where
    absent: how many (identity, column) pairs of the table's per-column identities are known and fail."""
    width = len(next(iter(rows.values()), ()))
    failed = 0
    for column in range(width):
        def value_of(metric: str) -> float | None:
            cells = rows.get(metric)
            if cells is None or cells[column] is None:
                return subtotal(metric, value_of)
            return cells[column]
        failed += sum(1 for i in identities(of_table) if i.per_column and holds(i, value_of, tolerance) is False)
    return failed


def table_holds(of_table: str, rows: Mapping[str, Sequence[float | None]], tolerance: float = EXACT) -> bool:
    """False when any per-column identity of the table is known and fails in some column (table_failures)."""
    return table_failures(of_table, rows, tolerance) == 0


def row_holds(of_table: str, metrics: Sequence[str], cells: Sequence[float | None],
              tolerance: float = EXACT) -> bool | None:
    """One printed row checked on its own: the identities of the table whose terms are all cells of this row
    (table 四: each 总计 the sum of its four outcomes); None when no such identity is known for it."""
    value_of = dict(zip(metrics, cells)).get
    found = [holds(i, value_of, tolerance) for i in identities(of_table)
             if not i.per_column and all(m in metrics for m in i.left + i.right)]
    known = [f for f in found if f is not None]
    return all(known) if known else None


__all__ = ["Identity", "identities", "subtotals", "subtotal", "applicant_columns", "sides", "holds",
           "column_total_holds", "table_holds", "table_failures", "row_holds", "TOTAL", "COUNT_TOLERANCE", "EXACT"]
