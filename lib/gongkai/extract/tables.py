"""Facts from the standard tables of fmt2019/fmt2021 reports: 二 (第二十条), 三 (requests), 四 (review, litigation).

Rows come from two sources. Real tables (Document.tables, read from HTML/DOCX/PDF) and '|' grid lines
of Markdown copies are read cell by cell: the row label is the last cell that matches a label of
data/table_rows.csv, the cells after it are the values. Tables flattened into text are read by
extract.flat. A grid reading wins over a flat one. Blank cells are unknown: no fact.

Table 三's columns are the applicant types of data/applicants.csv in the template's data order
(自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计), whatever order a flattened header shows.
Group totals (不予公开, 无法提供, 不予处理, and 其他处理 when it has sub-rows) have no row of their own;
they are added as the sum of their sub-rows when every sub-row is known, so that fmt2019 and fmt2021
compare, with a quote that says so.
"""
from __future__ import annotations

import logging
import re

from gongkai.extract.era import table2_era
from gongkai.extract.flat import read_flat, read_run, resolve_glued, value_run
from gongkai.extract.grid import grid_rows, mask_grids, read_grid, row_values
from gongkai.extract.rows import Row, Value, compact_label, row_specs
from gongkai.identities import EXACT, column_total_holds, holds, identities, subtotals, table_holds
from gongkai.model import QUOTE_MAX, Document, Fact, ReportMeta, quote_of
from gongkai.taxonomy import applicant_order, labels, metric_unit
from gongkai.wording import shorten

log = logging.getLogger(__name__)

T2_ANCHOR = re.compile(r"第二十条第\s*[(（]?\s*[一五六八九]\s*[)）]?\s*项")
T3_ANCHOR = re.compile(r"勾\s*稽\s*关\s*系|本\s*年\s*新\s*收\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请")
T4_ANCHOR = re.compile(r"未\s*经\s*复\s*议\s*直\s*接\s*起\s*诉|复\s*议\s*后\s*起\s*诉")
T4_REVIEW = re.compile(r"行\s*政\s*复\s*议")
T4_RUN = re.compile(r"(?:总\s*计|审\s*结)(?=[\s|]*\d)")
SECTION_END = re.compile(r"\n\s*[五六][、.]|存在的主要问题")
AMOUNT_METRICS = {"admin_fee_amount", "central_procurement_amount"}
T4_BLOCK = 5               # 复议, 直接起诉, 复议后起诉: four outcomes and their 总计 each


def table_facts(doc: Document, meta: ReportMeta) -> list[Fact]:
    """Facts (method 'table') from tables 二, 三 and 四 of a fmt2019/fmt2021 report; [] for other reports."""
    regions = find_regions(doc.text)
    if not regions:
        return []
    grid = grid_rows(doc)
    masked = mask_grids(doc, grid)
    facts: list[Fact] = []
    if "t2" in regions:
        era = table2_era(doc.text[slice(*regions["t2"])], meta.era)
        if era:
            facts += table2_facts(doc.text, masked, regions["t2"], era, grid)
    if "t3" in regions:
        facts += table3_facts(masked, regions["t3"], grid)
    if "t4" in regions:
        facts += table4_facts(masked, regions["t4"], grid)
    log.debug("%s: %d table facts", doc.path, len(facts))
    return facts


# ------------------------------------------------------------------------------------------ regions

def find_regions(text: str) -> dict[str, tuple[int, int]]:
    """Character ranges of tables 二, 三, 四 in the text, found by their fixed labels."""
    regions: dict[str, tuple[int, int]] = {}
    m2, m3 = T2_ANCHOR.search(text), T3_ANCHOR.search(text)
    t3 = m3.start() if m3 else None
    m4 = T4_ANCHOR.search(text, t3 or 0)
    t4 = None
    if m4:
        review = [m.start() for m in T4_REVIEW.finditer(text, max(t3 or 0, m4.start() - 400), m4.start())]
        t4 = review[0] if review else m4.start()
    if m2 and (t3 is None or m2.start() < t3):
        end = t3 if t3 is not None else (t4 if t4 and t4 > m2.start() else min(len(text), m2.start() + 4000))
        regions["t2"] = (m2.start(), end)
    if t3 is not None:
        regions["t3"] = (t3, t4 if t4 else min(len(text), t3 + 8000))
    if t4 is not None:
        anchor_end = m4.end()
        end = SECTION_END.search(text, anchor_end)
        regions["t4"] = (t4, min(end.start() if end else len(text), anchor_end + 2000))
    return regions


# ------------------------------------------------------------------------------------------- tables

def table2_facts(text: str, masked: str, region: tuple[int, int], era: str, grid) -> list[Fact]:
    """Table 二: documents issued/repealed/in force, decisions, fees (and fmt2019's item counts, procurement)."""
    specs = [s for s in row_specs() if s.table == "2" and s.era == era]
    rows = read_flat(masked, specs, region, signed=True)
    rows.update(read_grid(grid, specs, region))
    amount_in_wan = bool(re.search(r"金额\s*[(（]?\s*(?:单位\s*[:：]\s*)?万元", text[region[0]:region[1]]))
    facts = []
    for row in rows.values():
        if len(row.candidates) != 1:
            continue
        for metric, column, value in zip(row.spec.metrics, row.spec.columns, row.candidates[0]):
            if value is None:
                continue
            number = table2_number(metric, value, amount_in_wan)
            if number is not None:
                facts.append(cell_fact(metric, number, value, row.label, column))
    return facts


def table2_number(metric: str, value: Value, amount_in_wan: bool) -> float | None:
    """A table 二 cell as stored: amounts in 万元 (converted from 元 when the cell says 元); counts integral."""
    if metric in AMOUNT_METRICS:
        if value.text.endswith("万元"):
            return value.number
        if value.text.endswith("元"):
            return value.number / 10000
        if amount_in_wan or value.number == 0:
            return value.number
        return None
    if value.number != int(value.number):
        return None
    if value.number < 0 and not metric.endswith("_delta"):
        return None
    return value.number


def table3_facts(masked: str, region: tuple[int, int], grid) -> list[Fact]:
    """Table 三: every outcome row × applicant column, plus group totals summed from complete sub-rows.

    A glued row keeps the splits whose 总计 is the sum of the applicant cells; rows with several such
    splits are resolved jointly by the identities of table 三 (gongkai.identities)."""
    specs = [s for s in row_specs() if s.table == "3"]
    rows = read_flat(masked, specs, region, block=len(applicant_order()))
    for row in rows.values():
        if row.glued:
            row.candidates = [c for c in row.candidates if column_total_holds(_by_applicant(c), EXACT)]
    rows = {k: r for k, r in rows.items() if r.candidates}
    rows.update(read_grid(grid, specs, region))
    rows = {row.spec.metrics[0]: row for row in rows.values()}      # table 三 rows hold one metric each
    cells = resolve_glued(rows, lambda chosen: table_holds("3", _numbers(chosen)))
    facts = []
    for metric, values in cells.items():
        for dim, value in zip(applicant_order(), values):
            if value is not None and value.number >= 0 and value.number == int(value.number):
                facts.append(cell_fact(metric, value.number, value, rows[metric].label,
                                       labels("applicants")[dim], dim))
    facts += group_totals(cells, rows)
    return facts


def _by_applicant(cells: list[Value | None]) -> dict[str, float | None]:
    return {dim: cell.number if cell else None for dim, cell in zip(applicant_order(), cells)}


def _numbers(rows: dict[str, list[Value | None]]) -> dict[str, list[float | None]]:
    return {metric: [cell.number if cell else None for cell in cells] for metric, cells in rows.items()}


def group_totals(cells: dict[str, list[Value | None]], rows: dict[str, Row]) -> list[Fact]:
    """(三)(四)(五)(六) totals per applicant column as the sum of their sub-rows, when all are known."""
    facts = []
    for metric, members in subtotals().items():
        if metric in cells or not all(m in cells for m in members):
            continue
        for c, dim in enumerate(applicant_order()):
            values = [cells[m][c] for m in members]
            if any(v is None for v in values):
                continue
            total = sum(v.number for v in values)
            first, last = values[0], values[-1]
            name = compact_label(rows[members[0]].spec.phrasings[0])
            quote = quote_of(f"{labels('metrics')[metric]}({len(members)}项之和) {labels('applicants')[dim]} {total:g}")
            facts.append(Fact(metric=metric, value=total, unit=metric_unit(metric), start=first.start,
                              end=last.end, quote=quote, dim=dim, qualifier="exact", method="table"))
            log.debug("derived %s[%s] = %g from %s…", metric, dim, total, name)
    return facts


def _table4_holds(metrics: tuple[str, ...], cells: list[Value | None]) -> bool:
    """Every cell known and every total of table 四 the sum of its four outcomes (identities T4-*)."""
    if not all(cells):
        return False
    value_of = dict(zip(metrics, (cell.number for cell in cells))).get
    return all(holds(identity, value_of, EXACT) for identity in identities("4"))


def table4_facts(masked: str, region: tuple[int, int], grid) -> list[Fact]:
    """Table 四: the single row of 15 numbers (复议 ×5, 直接起诉 ×5, 复议后起诉 ×5)."""
    spec = next(s for s in row_specs() if s.table == "4")
    values = None
    for cells in grid:
        if cells and region[0] <= cells[0].start < region[1]:
            values = row_values(cells, spec.width)
            if values is not None:
                break
    if values is None:
        for m in T4_RUN.finditer(masked, region[0], region[1]):
            run, at = value_run(masked, m.end(), region[1])
            candidates, glued = read_run(run, at, spec.width, block=T4_BLOCK)
            if glued:
                candidates = [c for c in candidates if _table4_holds(spec.metrics, c)]
            if candidates:
                values = candidates[0] if len(candidates) == 1 else None
                break
    if values is None:
        return []
    return [cell_fact(metric, value.number, value, "", column)
            for metric, column, value in zip(spec.metrics, spec.columns, values)
            if value is not None and value.number >= 0 and value.number == int(value.number)]


# ------------------------------------------------------------------------------------------- facts

def cell_fact(metric: str, number: float, value: Value, label: str, column: str, dim: str = "") -> Fact:
    """A table cell as a Fact: span of the cell, quote = row label (trimmed) + column + value as printed."""
    tail = f" {column} {value.text}".rstrip()
    room = QUOTE_MAX - len(tail)
    label = compact_label(label)
    label = shorten(label, room)
    return Fact(metric=metric, value=number, unit=metric_unit(metric), start=value.start, end=value.end,
                quote=quote_of(label + tail), dim=dim, qualifier="exact", method="table")
