"""Table rows that keep their grid: real tables (Document.tables, read from HTML/DOCX/PDF) and '|' grid lines of
Markdown copies, read cell by cell. A peer of extract.flat, which reads tables flattened into text.

The row label is the last cell that matches a label of data/table_rows.csv (its phrasing after the printed
prefix, or its ordinal under a group row), the cells after it are its figures. A row of figures whose label
cell names no row (a PDF conversion tore label and figures apart) is sighted without a label: the reader
places it by the template's order. mask_grids blanks what the grid reader covers so that the flat reader does
not read it twice, and blanks the lines that interrupt a table (page footers, data/table_noise.csv).
"""
from __future__ import annotations

import re

from gongkai.extract.rows import RowSpec, Sighting, Value, compact_label, noise_lines, parse_cell
from gongkai.model import Cell, Document

CJK = re.compile(r"[\u4e00-\u9fff]")
ORDINAL_CELL = re.compile(r"^(\d)\s*[.、]\s*\D")
MASK = "\x00"
BLANK_MARKS = ("—", "–", "/", "-")


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
    """doc.text with real tables and grid lines blanked out and page footers turned to spaces (same length),
    for the flat reader: a run of figures goes on across a footer, never into it."""
    chars = list(doc.text)
    spans = [(t.start, t.end) for t in doc.tables]
    spans += [(row[0].start, row[-1].end) for row in grid if row]
    for a, b in spans:
        for i in range(max(0, a), min(len(chars), b)):
            if chars[i] != "\n":
                chars[i] = MASK
    for m in noise_lines().finditer(doc.text):
        for i in range(m.start(), m.end()):
            if chars[i] != "\n":
                chars[i] = " "
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


def grid_sightings(grid: list[list[Cell]], specs: list[RowSpec], region: tuple[int, int],
                   columns: tuple[str, ...] = ()) -> list[Sighting]:
    """Every grid row inside region that names a row of specs or holds figures: a Sighting whose tokens are
    the cells after the label (all cells after the last one that is not a figure, for a row whose label
    names no row). A row of the table's column headers (columns: '商业企业 | … | 其他', no figure) names no
    row even when a header is worded like one."""
    found: list[Sighting] = []
    group: RowSpec | None = None
    heads = {compact_label(c) for c in columns}
    for cells in grid:
        if not cells or not region[0] <= cells[0].start < region[1]:
            continue
        if heads and sum(compact_label(c.text) in heads for c in cells) >= 2 and not any(
                c.text and is_figure(c.text) for c in cells):
            continue
        label_at, spec = None, None
        for i, cell in enumerate(cells):
            hit = match_cell(cell.text, specs, group)
            if hit is None:
                continue
            label_at, spec = i, hit
            if not hit.group:
                group = hit if any(s.group == hit.row for s in specs) else None
        words = [i for i, c in enumerate(cells) if c.text and not is_figure(c.text)]
        if spec is not None:        # figures after the label and after any cell continuing its wording
            label = cells[label_at]
            after = max([label_at] + words) + 1
            found.append(Sighting(spec, label.text, label.start, label.end,
                                  [(c.text, c.start) for c in cells[after:]], separable=True, apart=True,
                                  source="grid"))
            continue
        figures = cells[words[-1] + 1:] if words else cells
        if any(c.text for c in figures):
            label = cells[words[-1]] if words else figures[0]
            found.append(Sighting(None, label.text if words else "", label.start, label.end,
                                  [(c.text, c.start) for c in figures], separable=True, apart=True,
                                  source="grid"))
    return found


def is_figure(text: str) -> bool:
    """A cell holding a figure or a printed blank (—, /)."""
    return text in BLANK_MARKS or parse_cell(text, 0) is not None


def row_values(cells: list[tuple[str, int]], width: int) -> tuple[list[Value | None] | None, str]:
    """The figures of a grid row's cells (text, offset) after its label: (values, '') when they fit width
    (extra blank cells at either end trimmed; a blank or printed blank is None), (None, why) otherwise."""
    cells = list(cells)
    while len(cells) > width and not cells[0][0]:
        cells.pop(0)
    while len(cells) > width and not cells[-1][0]:
        cells.pop()
    shown = " | ".join(text for text, _ in cells)
    if not any(text for text, _ in cells):
        return None, "no figures"
    if len(cells) != width:
        return None, f"{sum(1 for t, _ in cells if t)} figures for {width} columns ({shown})"
    values = []
    for text, start in cells:
        value = parse_cell(text, start)
        if value is None and text and text not in BLANK_MARKS:
            return None, f"not a figure: '{text}'"
        values.append(value)
    return values, ""


__all__ = ["grid_rows", "pipe_cells", "mask_grids", "match_cell", "grid_sightings", "row_values", "is_figure",
           "MASK"]
