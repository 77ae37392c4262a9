"""Prose and tables laid out as one normalized text: the Document.text and Document.tables every reader returns.

A table is rendered into the text where it stands, one line per row, cells joined by ' | ' (each cell
written once, at its top-left position, as a flattened web copy shows it), and kept as a model.Table
whose grid has rowspan/colspan expanded: every grid position covered by a merged cell refers to the same
Cell, whose span points at that cell's text in Document.text. Prose between tables is normalized as one
run (text.normalize), so phrases split over blocks join.

The builder holds a file to its caps (limits): the text to MAX_TEXT_CHARS, each table to MAX_TABLE_CELLS
and all tables together to MAX_DOCUMENT_CELLS grid positions, checked before a grid is expanded.
"""
from __future__ import annotations

import re
from typing import Callable

from gongkai.formats import limits
from gongkai.formats.text import CJK, flatten_inline, normalize
from gongkai.model import Cell, Table

_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}]) (?=[{CJK}])")


class TextBuilder:
    """Accumulates prose lines and tables in reading order, producing Document.text and Document.tables."""

    def __init__(self, path, simplify: Callable[[str], str] | None = None):
        self.guard = limits.current(path)
        self.parts: list[str] = []
        self.length = 0
        self.pending: list[str] = []
        self.tables: list[Table] = []
        self.simplify = simplify or (lambda s: s)

    def _append(self, piece: str) -> None:
        if not piece:
            return
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1
        self.parts.append(piece)
        self.length += len(piece)
        self._check_length()

    def _check_length(self) -> None:
        if self.length > limits.MAX_TEXT_CHARS:
            raise limits.refusal(self.guard.path, "the report text has", "MAX_TEXT_CHARS",
                                 unit="characters")

    def line(self, text: str) -> None:
        """One prose line (a paragraph, a heading, a list item)."""
        text = text.strip()
        if text:
            self.pending.append(text)

    def flush(self) -> None:
        if self.pending:
            self._append(normalize(self.simplify("\n".join(self.pending))).strip("\n"))
            self.pending = []

    def spanned_table(self, rows: list[list[tuple[object, int, int]]], texts: dict[object, str], origin: str) -> None:
        """A table given as rows of (key, rowspan, colspan): merged cells expanded, then laid out (table())."""
        self.table(expand_spans(rows, self.guard.path, len(self.tables) + 1), texts, origin)

    def table(self, grid: list[list[object]], texts: dict[object, str], origin: str) -> None:
        """A table as a grid of cell keys (a merged cell's key repeats); texts maps a key to its raw text."""
        self.flush()
        width = grid_width(grid)
        if not width:
            return
        size = width * len(grid)
        if size > limits.MAX_TABLE_CELLS:
            raise limits.refusal(self.guard.path, f"table {len(self.tables) + 1} has", "MAX_TABLE_CELLS", size,
                                 "cells")
        self.guard.spend("MAX_DOCUMENT_CELLS", size, "the tables of the report have", unit="cells")
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1
        start = self.length
        cells: dict[object, Cell] = {}
        rows: list[list[Cell]] = []
        lines: list[str] = []
        pos = start
        for keys in grid:
            keys = list(keys) + [None] * (width - len(keys))
            row: list[Cell] = []
            pieces: list[str] = []
            line_start = pos
            for key in keys:
                if key is None or key in cells:
                    row.append(cells[key] if key is not None else Cell("", line_start, line_start))
                    continue
                text = flatten_inline(normalize(self.simplify(texts.get(key, "") or "")))
                text = _SPACE_BETWEEN_CJK.sub("", text).replace("|", "/")
                if pieces:
                    pos += 3
                cell = Cell(text, pos, pos + len(text))
                cells[key] = cell
                pieces.append(text)
                pos += len(text)
                row.append(cell)
            rows.append(row)
            lines.append(" | ".join(pieces))
            pos += 1  # the newline ending the row
        body = "\n".join(lines)
        self.parts.append(body)
        self.length += len(body)
        self._check_length()
        self.tables.append(Table(rows=rows, start=start, end=self.length, origin=origin))

    def text(self) -> str:
        self.flush()
        return "".join(self.parts)


def expand_spans(rows: list[list[tuple[object, int, int]]], path="", number: int = 1) -> list[list[object]]:
    """Grid of cell keys from rows of (key, rowspan, colspan): merged cells repeat their key.

    A rowspan reaching past the last row stops there (as browsers draw it). A table whose expanded grid
    would pass MAX_TABLE_CELLS positions is refused (LimitError naming path and the table's number)
    before anything is expanded.
    """
    positions = sum(min(rowspan, len(rows) - r) * colspan for r, cells in enumerate(rows)
                    for _, rowspan, colspan in cells)
    if positions > limits.MAX_TABLE_CELLS:
        raise limits.refusal(path, f"table {number} spans", "MAX_TABLE_CELLS", positions, "cells")
    grid: list[list[object]] = []
    taken: dict[tuple[int, int], object] = {}
    for r, cells in enumerate(rows):
        c = 0
        out: list[object] = []
        for key, rowspan, colspan in cells:
            while (r, c) in taken:
                out.append(taken[(r, c)])
                c += 1
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = key
            out.extend([key] * colspan)
            c += colspan
        while (r, c) in taken:
            out.append(taken[(r, c)])
            c += 1
        grid.append(out)
    return grid


def grid_width(grid: list[list[object]]) -> int:
    """The number of columns of a grid (its longest row)."""
    return max((len(r) for r in grid), default=0)
