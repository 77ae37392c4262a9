"""Facts from the standard tables: 二 (第二十条), 三 (requests), 四 (review, litigation) of fmt2019/fmt2021 reports,
and the 政府信息公开情况统计表 some pre2019 reports append (指标名称 | 计量单位 | 年末统计).

Each table is found, sighted and read as data/tables.csv and data/table_rows.csv describe it (extract.rows):
its region runs from its anchor to the next table (or its end markers, or a reach), its rows are sighted in
real tables and '|' grid lines (extract.grid) and in text (extract.flat), and the one reader (extract.reader)
places and reads them. A layout or a row phrasing is a data edit plus a test, not code: a table whose rows
name one metric per column (the 统计表) needs no function of its own here (positional_facts).

Table 三's columns are the applicant types of data/applicants.csv in the template's data order
(自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计), whatever order a flattened header shows.
Group totals (不予公开, 无法提供, 不予处理, and 其他处理 when it has sub-rows) have no row of their own, so they
are no facts either: a fact is a figure the report prints. The views sum the sub-rows where they need the
group (identities.subtotals), and the checks do the same. Blank cells are unknown: no fact. Rows seen but not read, and cells left
unknown, are recorded on the report's meta (meta.unread: (metric, why)); the checks report them.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.extract.era import table2_era
from gongkai.extract.flat import flat_sightings
from gongkai.extract.grid import grid_rows, grid_sightings, mask_grids
from gongkai.extract.reader import TableGap, TableReading, read_table
from gongkai.extract.rows import TableSpec, Value, compact_label, row_specs, table_specs
from gongkai.model import QUOTE_MAX, Document, Fact, ReportMeta, quote_of
from gongkai.taxonomy import applicant_order, labels
from gongkai.taxonomy import metric_unit as _metric_unit
from gongkai.wording import shorten

log = logging.getLogger(__name__)

AMOUNT_UNITS = ("万元", "元")
WAN_HEADER = re.compile(r"金额\s*[(（]?\s*(?:单位\s*[:：]\s*)?万元")


@dataclass
class TablesRead:
    """The facts of a report's standard tables and the gaps of their reading."""
    facts: list[Fact] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)      # (metric, why) as meta.unread holds them


def table_facts(doc: Document, meta: ReportMeta) -> list[Fact]:
    """Facts (method 'table') from tables 二, 三 and 四 of a fmt2019/fmt2021 report; [] for other reports.
    The rows it saw but could not read are recorded in meta.unread."""
    found = read_tables(doc, meta)
    meta.unread = found.gaps
    return found.facts


def read_tables(doc: Document, meta: ReportMeta) -> TablesRead:
    """Facts and reading gaps of the standard tables (二, 三, 四; the pre2019 统计表), each read by the one reader."""
    out = TablesRead()
    regions = find_regions(doc.text)
    if not regions:
        return out
    grid = grid_rows(doc)
    masked = mask_grids(doc, grid)
    for key, region in regions.items():
        table = key[1:]
        tspec = table_specs()[table]
        if not tspec.reads_in(meta.era):
            continue
        specs = [s for s in row_specs() if s.table == table]
        if table == "2":
            era = table2_era(doc.text[region[0]:region[1]], meta.era)
            if not era:
                continue
            specs = [s for s in specs if s.era == era]
        sightings = (grid_sightings(grid, specs, region, tspec.column_labels)
                     + flat_sightings(masked, specs, region, tspec.headers))
        first = min((s.start for s in sightings if s.spec is not None), default=region[1])
        reading = read_table(tspec, specs, sightings, region, doc.text[region[0]:first])
        out.facts += FACTS_OF.get(table, positional_facts)(reading, doc.text[region[0]:region[1]])
        if reading.cells or any(s.source != "text" or len(s.tokens) > 1 for s in sightings):
            out.gaps += [_gap(tspec, gap) for gap in reading.gaps]   # else prose under the table's heading
    log.debug("%s: %d table facts, %d gaps", doc.path, len(out.facts), len(out.gaps))
    return out


def _gap(tspec: TableSpec, gap: TableGap) -> tuple[str, str]:
    where = tspec.label + (f" {gap.label}" if gap.label else "")
    metric = next((m.split(":")[0] for m in gap.spec.metrics if m), "") if gap.spec else ""
    return (metric, f"{where}: {gap.why}")


# ------------------------------------------------------------------------------------------ regions

def find_regions(text: str) -> dict[str, tuple[int, int]]:
    """Character ranges of the standard tables in the text ('t2', 't3', 't4', 'tstats'), found by their anchors
    (each searched after the table it follows, and dropped when it does not stand before the one it precedes):
    each runs to the next table, or to its end markers, or its reach (data/tables.csv)."""
    starts: dict[str, tuple[int, int]] = {}        # table -> (start, anchor end)
    for table, tspec in table_specs().items():
        floor = starts[tspec.after][0] if tspec.after in starts else 0
        m = tspec.anchors.search(text, floor)
        if not m:
            continue
        if m.groupdict().get("heading"):
            starts[table] = (m.end(), m.end())      # the table runs from under its section heading
            continue
        start = _row_start(text, m.start())
        if tspec.lead:
            leads = [x.start() for x in tspec.lead.finditer(text, max(floor, m.start() - tspec.lead_reach), m.start())]
            start = leads[0] if leads else start
        starts[table] = (start, m.end())
    for table, tspec in table_specs().items():
        if table in starts and tspec.before in starts and starts[tspec.before][0] <= starts[table][0]:
            del starts[table]    # a 第二十条 mentioned after the request table is not table 二
    regions: dict[str, tuple[int, int]] = {}
    ordered = sorted(starts.items(), key=lambda item: item[1][0])
    for i, (table, (start, anchor_end)) in enumerate(ordered):
        tspec = table_specs()[table]
        if i + 1 < len(ordered):
            end = ordered[i + 1][1][0]
        else:
            end = min(len(text), (anchor_end if tspec.ends else start) + tspec.reach)
            marker = tspec.ends.search(text, anchor_end) if tspec.ends else None
            if marker:
                end = min(end, marker.start())
        regions[f"t{table}"] = (start, end)
    return regions


ROW_PREFIX = re.compile(r"[^\n。；;！？!?，,]{0,40}$")     # a row's label cells and ordinals, no sentence


def _row_start(text: str, at: int) -> int:
    """An anchor that is a row label starts its row with what is printed before it on its line ('一、本年新收…',
    '（四）无法提供 | 1.本机关不掌握…'): the region takes them in (not a sentence before it)."""
    line = text.rfind("\n", 0, at) + 1
    return line if ROW_PREFIX.fullmatch(text, line, at) else at


# ------------------------------------------------------------------------------------------- tables

def table2_facts(reading: TableReading, chunk: str) -> list[Fact]:
    """Table 二: documents issued/repealed/in force, decisions, fees (and fmt2019's item counts, procurement). An
    amount is in 万元 when its cell or its header says so; the template gives 采购总金额 no unit, and a bare
    figure there is left unread (a gap) rather than guessed in 元 or in 万元."""
    amount_in_wan = bool(WAN_HEADER.search(chunk))
    facts = []
    for key, cells in reading.cells.items():
        row = reading.rows[key]
        for metric, column, value in zip(row.spec.metrics, row.spec.columns, cells):
            if value is None:
                continue
            number = table2_number(metric, value, amount_in_wan)
            if number is not None:
                facts.append(cell_fact(metric, number, value, row.label, column))
            elif metric_unit(metric) in AMOUNT_UNITS:
                reading.gaps.append(TableGap(row.spec, compact_label(row.label),
                                             f"{column} {value.text} printed without a unit (元 or 万元): not read"))
    return facts


def table2_number(metric: str, value: Value, amount_in_wan: bool) -> float | None:
    """A table 二 cell as stored: amounts in 万元 (converted from 元 when the cell says 元); counts integral."""
    if metric_unit(metric) in AMOUNT_UNITS:
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


def table3_facts(reading: TableReading, chunk: str) -> list[Fact]:
    """Table 三: every printed outcome row × applicant column."""
    cells = {reading.rows[key].spec.metrics[0]: values for key, values in reading.cells.items()}
    rows = {reading.rows[key].spec.metrics[0]: reading.rows[key] for key in reading.cells}
    facts = []
    for metric, values in cells.items():
        for dim, value in zip(applicant_order(), values):
            if _count(value):
                facts.append(cell_fact(metric, value.number, value, rows[metric].label,
                                       labels("applicants")[dim], dim))
    return facts


def table4_facts(reading: TableReading, chunk: str) -> list[Fact]:
    """Table 四: 行政复议, 未经复议直接起诉, 复议后起诉, five figures each (four outcomes and their 总计)."""
    facts = []
    for key, cells in reading.cells.items():
        row = reading.rows[key]
        facts += [cell_fact(metric, value.number, value, row.spec.phrasings[0], column)
                  for metric, column, value in zip(row.spec.metrics, row.spec.columns, cells) if _count(value)]
    return facts


def positional_facts(reading: TableReading, chunk: str) -> list[Fact]:
    """A table whose rows name a metric per column ('metric:dim' where the figure has a dimension; the pre2019
    统计表's 本年 column): one fact per cell that has a metric; columns without one are read, not kept."""
    facts = []
    for key, cells in reading.cells.items():
        row = reading.rows[key]
        for target, column, value in zip(row.spec.metrics, row.spec.columns, cells):
            metric, _, dim = target.partition(":")
            if metric and _count(value):
                facts.append(cell_fact(metric, value.number, value, row.label, column, dim))
    return facts


FACTS_OF = {"2": table2_facts, "3": table3_facts, "4": table4_facts}


@lru_cache(maxsize=None)
def metric_unit(metric: str) -> str:
    """taxonomy.metric_unit, once per metric (a table gives hundreds of cells)."""
    return _metric_unit(metric)


def _count(value: Value | None) -> bool:
    return value is not None and value.number >= 0 and value.number == int(value.number)


# ------------------------------------------------------------------------------------------- facts

def cell_fact(metric: str, number: float, value: Value, label: str, column: str, dim: str = "") -> Fact:
    """A table cell as a Fact: span of the cell, quote = row label (trimmed) + column + value as printed."""
    tail = f" {column} {value.text}".rstrip()
    room = QUOTE_MAX - len(tail)
    label = shorten(compact_label(label), room)
    return Fact(metric=metric, value=number, unit=metric_unit(metric), start=value.start, end=value.end,
                quote=quote_of(label + tail), dim=dim, qualifier="exact", method="table")


__all__ = ["table_facts", "read_tables", "find_regions", "cell_fact", "TablesRead"]
