"""Table rows that keep their grid: real tables (Document.tables, read from HTML/DOCX/PDF) and '|' grid lines of
Markdown copies, read cell by cell. A peer of extract.flat, which reads tables flattened into text.

The row label is the last cell that matches a label of data/table_rows.csv (its phrasing after the printed
prefix, or its ordinal under a group row), the cells after it are the values; extra blank cells at either
end are trimmed, and a row whose cells do not fit the spec is not read. mask_grids blanks what the grid
reader covers so that the flat reader does not read it twice.
"""
from __future__ import annotations

import re

from gongkai.extract.rows import Row, RowSpec, Value, compact_label, parse_cell
from gongkai.model import Cell, Document

CJK = re.compile(r"[\u4e00-\u9fff]")
ORDINAL_CELL = re.compile(r"^(\d)\s*[.、]\s*\D")
MASK = "\x00"


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


def match_cell(text: str, specs: list[RowSpec], group: RowSpec | None) -> RowSpec | None:
    """The row a label cell names: its phrasing after the printed prefix, or its ordinal under a group."""
    body = compact_label(text)
    if not body or not CJK.search(body):
        return None
    stripped = re.sub(r"^(?:[(]?[一二三四五六七八九十]{1,2}[)、]|\d{1,2}[.、])", "", body)
    best, best_len = None, 0
    for spec in specs:
        for phrase in spec.phrasings:
            p = compact_label(phrase)
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
        value = parse_cell(cell.text, cell.start)
        if value is None and cell.text and cell.text not in "—–/":
            return None
        values.append(value)
    return values


__all__ = ["grid_rows", "pipe_cells", "mask_grids", "match_cell", "read_grid", "row_values", "MASK"]
