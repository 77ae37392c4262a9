"""HTML, DOCX and PDF reports -> Document: prose blocks and real tables, laid out as one normalized text.

A table is rendered into Document.text where it stands, one line per row, cells joined by ' | ' (each
cell written once, at its top-left position, as a flattened web copy shows it), and kept as a
model.Table whose grid has rowspan/colspan expanded: every grid position covered by a merged cell
refers to the same Cell, whose span points at that cell's text in Document.text.
Prose between tables is normalized as one run (reading.normalize), so phrases split over blocks join.

The readers live one per format (web: HTML, word: DOCX, pdf: PDF) and are imported on first use;
this module holds what they share: the text builder that lays prose and tables out as one text, the
rowspan/colspan expansion, and the traditional-to-simplified switch.
"""
from __future__ import annotations

import logging
import re
from typing import Callable

from gongkai.model import Cell, Table
from gongkai.reading import is_traditional, normalize

log = logging.getLogger(__name__)


CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])")
_SPACES = re.compile(r"\s+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}]) (?=[{CJK}])")
MAX_SPAN = 200          # a rowspan/colspan beyond this is hostile or broken markup


def flatten_inline(text: str) -> str:
    """Whitespace of one layout block collapsed; a line break between two CJK characters disappears."""
    return _SPACES.sub(" ", _BREAK_BETWEEN_CJK.sub("", text)).strip()


class TextBuilder:
    """Accumulates prose lines and tables in reading order, producing Document.text and Document.tables."""

    def __init__(self, simplify: Callable[[str], str] | None = None):
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

    def line(self, text: str) -> None:
        """One prose line (a paragraph, a heading, a list item)."""
        text = text.strip()
        if text:
            self.pending.append(text)

    def flush(self) -> None:
        if self.pending:
            self._append(normalize(self.simplify("\n".join(self.pending))).strip("\n"))
            self.pending = []

    def table(self, grid: list[list[object]], texts: dict[object, str], origin: str) -> None:
        """A table as a grid of cell keys (a merged cell's key repeats); texts maps a key to its raw text."""
        self.flush()
        width = max((len(r) for r in grid), default=0)
        if not width:
            return
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1
        start = self.length
        cells: dict[object, Cell] = {}
        rows: list[list[Cell]] = []
        lines: list[str] = []
        pos = start
        for r, keys in enumerate(grid):
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
        self.tables.append(Table(rows=rows, start=start, end=self.length, origin=origin))

    def text(self) -> str:
        self.flush()
        return "".join(self.parts)


def expand_spans(rows: list[list[tuple[object, int, int]]]) -> list[list[object]]:
    """Grid of cell keys from rows of (key, rowspan, colspan): merged cells repeat their key."""
    grid: list[list[object]] = []
    taken: dict[tuple[int, int], object] = {}
    for r, cells in enumerate(rows):
        c = 0
        out: list[object] = []
        for key, rowspan, colspan in cells:
            while (r, c) in taken:
                out.append(taken[(r, c)])
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = key
            out.extend([key] * colspan)
            c += colspan
        while (r, c) in taken:
            out.append(taken[(r, c)])
            c += 1
        grid.append(out)
    return grid


def simplifier(sample: str) -> Callable[[str], str] | None:
    """opencc's traditional-to-simplified converter when sample is written in traditional characters."""
    if not is_traditional(sample):
        return None
    import opencc
    return opencc.OpenCC("t2s").convert


def grid_width(grid: list[list[object]]) -> int:
    """The number of columns of a grid (its longest row)."""
    return max((len(r) for r in grid), default=0)
