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

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from gongkai.config import TAXONOMY_DIR
from gongkai.extract.flat import (Row, Value, group_sums_hold, label_matches, local_subrows, parse_value,
                                  read_run, resolve_glued, row_sum_holds, value_run)
from gongkai.model import QUOTE_MAX, Cell, Document, Fact, ReportMeta
from gongkai.taxonomy import labels, metric_unit

log = logging.getLogger(__name__)

APPLICANT_ORDER = ("natural_person", "business", "research", "social_welfare", "legal_service", "other_org", "total")
T2_ANCHOR = re.compile(r"第二十条第\s*[(（]?\s*[一五六八九]\s*[)）]?\s*项")
T3_ANCHOR = re.compile(r"勾\s*稽\s*关\s*系|本\s*年\s*新\s*收\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请")
T4_ANCHOR = re.compile(r"未\s*经\s*复\s*议\s*直\s*接\s*起\s*诉|复\s*议\s*后\s*起\s*诉")
T4_REVIEW = re.compile(r"行\s*政\s*复\s*议")
T4_RUN = re.compile(r"(?:总\s*计|审\s*结)(?=[\s|]*\d)")
SECTION_END = re.compile(r"\n\s*[五六][、.]|存在的主要问题")
ERA_SIGNS = {"fmt2021": re.compile(r"制发件数|废止件数|现行有效|本年收费金额"),
             "fmt2019": re.compile(r"新制作|新公开|对外公开总数|上一年\s*项目|项目数量|增\s*/\s*减|集中采购")}
CJK = re.compile(r"[\u4e00-\u9fff]")
ORDINAL_CELL = re.compile(r"^(\d)\s*[.、]\s*\D")
MASK = "\x00"
AMOUNT_METRICS = {"admin_fee_amount", "central_procurement_amount"}


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
        return len(APPLICANT_ORDER) if self.table == "3" else len(self.metrics)


@lru_cache(maxsize=None)
def row_specs() -> tuple[RowSpec, ...]:
    """The table rows of data/table_rows.csv."""
    with open(TAXONOMY_DIR / "table_rows.csv", encoding="utf-8", newline="") as f:
        return tuple(RowSpec(table=r["table"], era=r["era"], row=r["row"], group=r["group"],
                             ordinal=int(r["ordinal"]) if r["ordinal"] else None, exact=r["exact"] == "1",
                             metrics=tuple(m for m in r["metrics"].split(";") if m),
                             columns=tuple(c for c in r["columns"].split(";") if c),
                             phrasings=tuple(p for p in r["phrasings"].split("|") if p))
                     for r in csv.DictReader(f))


def table_facts(doc: Document, meta: ReportMeta) -> list[Fact]:
    """Facts (method 'table') from tables 二, 三 and 四 of a fmt2019/fmt2021 report; [] for other reports."""
    regions = find_regions(doc.text)
    if not regions:
        return []
    grid = grid_rows(doc)
    masked = mask_grids(doc, grid)
    facts: list[Fact] = []
    if "t2" in regions:
        era = table2_era(doc.text, regions["t2"], meta)
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


def table2_era(text: str, region: tuple[int, int], meta: ReportMeta) -> str:
    """fmt2019 or fmt2021 layout of table 二, from its column headers; the report's era when they are lost."""
    chunk = text[region[0]:region[1]]
    hits = {era: len(sign.findall(chunk)) for era, sign in ERA_SIGNS.items()}
    if hits["fmt2019"] != hits["fmt2021"]:
        return max(hits, key=hits.get)
    return meta.era if meta.era in ("fmt2019", "fmt2021") else ""


# ------------------------------------------------------------------------------------- grid reading

def grid_rows(doc: Document) -> list[list[Cell]]:
    """Rows of real tables (merged cells once per row) and of '|' grid lines outside them (Markdown copies)."""
    rows = []
    for table in doc.tables:
        for row in table.rows:
            cells: list[Cell] = []
            for cell in row:
                if not cells or cell is not cells[-1]:
                    cells.append(cell)
            rows.append(cells)
    covered = [(t.start, t.end) for t in doc.tables]
    pos = 0
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.count("|") < 2 or any(a <= start < b for a, b in covered):
            continue
        cells = pipe_cells(line, start)
        if sum(1 for c in cells if c.text) >= 2:
            rows.append(cells)
    return rows


def pipe_cells(line: str, offset: int) -> list[Cell]:
    """Cells of one '|'-separated line, each with its span; the empty edges of '| a | b |' dropped."""
    cells = []
    at = 0
    for piece in line.split("|"):
        stripped = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        start = offset + at + lead
        cells.append(Cell(stripped, start, start + len(stripped)))
        at += len(piece) + 1
    if line.strip().startswith("|") and line.strip().endswith("|") and len(cells) >= 2:
        return cells[1:-1]      # Markdown row: only the two edges are empty by construction
    while cells and not cells[-1].text:
        cells = cells[:-1]      # a web copy's padding cells
    return cells


def mask_grids(doc: Document, grid: list[list[Cell]]) -> str:
    """doc.text with real tables and grid lines blanked out (same length), for the flat reader."""
    chars = list(doc.text)
    spans = [(t.start, t.end) for t in doc.tables]
    spans += [(row[0].start, row[-1].end) for row in grid if row]
    for a, b in spans:
        for i in range(max(0, a), min(len(chars), b)):
            if chars[i] != "\n":
                chars[i] = MASK
    return "".join(chars)


def compact(text: str) -> str:
    return re.sub(r"[\s\"“”'‘’]", "", text).replace("（", "(").replace("）", ")")


def match_cell(text: str, specs: list[RowSpec], group: RowSpec | None) -> RowSpec | None:
    """The row a label cell names: its phrasing after the printed prefix, or its ordinal under a group."""
    body = compact(text)
    if not body or not CJK.search(body):
        return None
    stripped = re.sub(r"^(?:[(]?[一二三四五六七八九十]{1,2}[)、]|\d{1,2}[.、])", "", body)
    best, best_len = None, 0
    for spec in specs:
        for phrase in spec.phrasings:
            p = compact(phrase)
            if spec.exact:
                ok = body == p or (spec.ordinal and re.fullmatch(rf"{spec.ordinal}[.、]{re.escape(p)}", body))
            else:
                ok = stripped.startswith(p) or body.startswith(p)
            if ok and len(p) > best_len:
                best, best_len = spec, len(p)
    if best is None and group is not None:
        m = ORDINAL_CELL.match(body)
        if m:
            best = next((s for s in specs if s.group == group.row and s.ordinal == int(m.group(1))), None)
    return best


def read_grid(grid: list[list[Cell]], specs: list[RowSpec], region: tuple[int, int]) -> dict[str, Row]:
    """Rows of the grid inside region whose label matches a spec: {spec.row: Row} (first reading wins)."""
    found: dict[str, Row] = {}
    group: RowSpec | None = None
    for cells in grid:
        if not cells or not region[0] <= cells[0].start < region[1]:
            continue
        label_at, spec = None, None
        for i, cell in enumerate(cells):
            hit = match_cell(cell.text, specs, group)
            if hit is None:
                continue
            label_at, spec = i, hit
            if not hit.group:
                group = hit if any(s.group == hit.row for s in specs) else None
        if spec is None or not spec.metrics:
            continue
        values = row_values(cells[label_at + 1:], spec.width)
        if values is not None and spec.row not in found:
            label = cells[label_at]
            found[spec.row] = Row(spec, label.text, label.start, label.end, [values])
    return found


def row_values(cells: list[Cell], width: int) -> list[Value | None] | None:
    """Cell values after the label: extra blank cells at either end trimmed; None if the row does not fit."""
    cells = list(cells)
    while len(cells) > width and not cells[0].text:
        cells.pop(0)
    while len(cells) > width and not cells[-1].text:
        cells.pop()
    if len(cells) != width or not any(c.text for c in cells):
        return None
    values = []
    for cell in cells:
        value = parse_value(cell.text, cell.start)
        if value is None and cell.text and cell.text not in "—–/":
            return None
        values.append(value)
    return values


# ------------------------------------------------------------------------------------- flat reading

def read_flat(masked: str, specs: list[RowSpec], region: tuple[int, int], signed: bool = False,
              block: int | None = None) -> dict[str, Row]:
    """Rows of a table flattened in text: each label's value run, as cells or as glued-digit candidates."""
    found: dict[str, Row] = {}
    matches = label_matches(masked, region[0], region[1], specs)
    for i, (start, end, spec) in enumerate(matches):
        stop = matches[i + 1][0] if i + 1 < len(matches) else region[1]
        if not spec.metrics or spec.row in found:
            continue
        run, at = value_run(masked, end, stop)
        candidates, glued = read_run(run, at, spec.width, signed=signed, block=block)
        label = masked[start:end]
        if not candidates and spec.table == "2" and spec.width > 1:
            invented = local_subrows(masked, end, stop, spec.width)
            if invented:    # the reference says: sum a report's own sub-rows into the template row
                label, candidates = f"{label}({'+'.join(invented[0])})", [invented[1]]
        if candidates:
            found[spec.row] = Row(spec, label, start, end, candidates, glued)
    return found


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


T3_GROUPS = {"out_denied": "out_denied_total", "out_unable": "out_unable_total",
             "out_not_processed": "out_not_processed_total", "out_other": "out_other_total"}


def table3_facts(masked: str, region: tuple[int, int], grid) -> list[Fact]:
    """Table 三: every outcome row × applicant column, plus group totals summed from complete sub-rows."""
    specs = [s for s in row_specs() if s.table == "3"]
    rows = read_flat(masked, specs, region, block=len(APPLICANT_ORDER))
    for key, row in rows.items():
        if row.glued:
            row.candidates = [c for c in row.candidates if row_sum_holds(c)]
    rows = {k: r for k, r in rows.items() if r.candidates}
    rows.update(read_grid(grid, specs, region))
    subs = {g: [s.row for s in specs if s.group == g] for g in T3_GROUPS}
    outcome_rows = ["out_granted", "out_partially_granted"] + subs["out_denied"] + subs["out_unable"] \
        + subs["out_not_processed"]
    identities = [(["req_new", "req_carried_in"], ["out_total", "req_carried_out"]),
                  (["out_total"], outcome_rows + ["out_other"]),
                  (["out_total"], outcome_rows + subs["out_other"])]
    cells = resolve_glued(rows, identities)
    facts = []
    for key, values in cells.items():
        spec = rows[key].spec
        for dim, value in zip(APPLICANT_ORDER, values):
            if value is not None and value.number >= 0 and value.number == int(value.number):
                facts.append(cell_fact(spec.metrics[0], value.number, value, rows[key].label,
                                       labels("applicants")[dim], dim))
    facts += group_totals(cells, rows, subs)
    return facts


def group_totals(cells: dict[str, list], rows: dict[str, Row], subs: dict[str, list[str]]) -> list[Fact]:
    """(三)(四)(五)(六) totals per applicant column as the sum of their sub-rows, when all are known."""
    facts = []
    for group, metric in T3_GROUPS.items():
        members = subs[group]
        if group in cells or not members or not all(m in cells for m in members):
            continue
        for c, dim in enumerate(APPLICANT_ORDER):
            values = [cells[m][c] for m in members]
            if any(v is None for v in values):
                continue
            total = sum(v.number for v in values)
            first, last = values[0], values[-1]
            name = compact(rows[members[0]].spec.phrasings[0])
            quote = clip(f"{labels('metrics')[metric]}({len(members)}项之和) {labels('applicants')[dim]} {total:g}")
            facts.append(Fact(metric=metric, value=total, unit=metric_unit(metric), start=first.start,
                              end=last.end, quote=quote, dim=dim, qualifier="exact", method="table"))
            log.debug("derived %s[%s] = %g from %s…", metric, dim, total, name)
    return facts


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
            candidates, glued = read_run(run, at, spec.width, block=5)
            if glued:
                candidates = [c for c in candidates if group_sums_hold(c)]
            if candidates:
                values = candidates[0] if len(candidates) == 1 else None
                break
    if values is None:
        return []
    return [cell_fact(metric, value.number, value, "", column)
            for metric, column, value in zip(spec.metrics, spec.columns, values)
            if value is not None and value.number >= 0 and value.number == int(value.number)]


# ------------------------------------------------------------------------------------------- facts

def clip(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= QUOTE_MAX else quote[: QUOTE_MAX - 1] + "…"


def cell_fact(metric: str, number: float, value: Value, label: str, column: str, dim: str = "") -> Fact:
    """A table cell as a Fact: span of the cell, quote = row label (trimmed) + column + value as printed."""
    tail = f" {column} {value.text}".rstrip()
    room = QUOTE_MAX - len(tail)
    label = compact(label)
    if len(label) > room:
        label = label[: max(0, room - 1)] + "…"
    return Fact(metric=metric, value=number, unit=metric_unit(metric), start=value.start, end=value.end,
                quote=clip(label + tail), dim=dim, qualifier="exact", method="table")
