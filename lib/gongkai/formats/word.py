"""Word .docx reports: paragraphs and tables in document order, merged cells expanded.

The archive is checked from its ZIP directory before python-docx inflates anything (formats.archive).
Tables are laid out from their XML in one pass: a cell spanning columns (w:gridSpan) repeats across
them, a cell continuing a vertical merge (w:vMerge) repeats the cell above it. A gridSpan over MAX_SPAN,
or a table of more than MAX_TABLE_CELLS grid positions, refuses the file before its grid is built.
"""
from __future__ import annotations

import hashlib
import io
import logging

from gongkai.errors import ReadError
from gongkai.formats import limits
from gongkai.formats.archive import check_archive
from gongkai.formats.layout import TextBuilder
from gongkai.formats.text import simplifier
from gongkai.model import Document

log = logging.getLogger(__name__)


def _table_grid(tbl, number: int, paragraph_text, guard: limits.ReadGuard) -> tuple[list[list[object]], dict]:
    """(grid of cell keys, key -> cell text) of one <w:tbl>. A cell continuing a vertical merge takes the key
    of the cell starting at the same grid column in the row above (the first cell of the merge)."""
    texts: dict[object, str] = {}
    grid: list[list[object]] = []
    above: dict[int, tuple[int, int]] = {}    # grid column -> (key, span) of the cell starting there
    positions = 0
    for tr in tbl.tr_lst:
        guard.check_time()
        before = tr.grid_before
        starts: list[tuple[object, int, int]] = []   # (tc, its grid column, its span)
        column = before
        for tc in tr.tc_lst:
            span = tc.grid_span
            if span > limits.MAX_SPAN:
                raise limits.refusal(guard.path, f"table {number}: a cell spans", "MAX_SPAN", span, "columns")
            starts.append((tc, column, span))
            column += span
        positions += max(0, before) + sum(max(0, above[c][1] if tc.vMerge == "continue" and c in above else s)
                                          for tc, c, s in starts)
        if positions > limits.MAX_TABLE_CELLS:
            raise limits.refusal(guard.path, f"table {number} spans", "MAX_TABLE_CELLS", positions, "cells")
        keys: list[object] = [None] * before
        here: dict[int, tuple[int, int]] = {}
        for tc, c, span in starts:
            if tc.vMerge == "continue" and c in above:
                key, span = above[c]
            else:
                key = len(texts)
                texts[key] = "\n".join(paragraph_text(p) for p in tc.p_lst)
            here[c] = (key, span)
            keys.extend([key] * span)
        grid.append(keys)
        above = here
    return grid, texts


def read_docx_file(path, data: bytes) -> Document:
    """A Word .docx report: paragraphs and tables in document order, merged cells expanded."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    guard = limits.current(path)
    check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError variants for broken files
        raise ReadError(path, f"not a readable .docx ({type(exc).__name__}: {exc})") from None
    blocks = []

    def collect(container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                blocks.append(("p", Paragraph(child, document)))
            elif child.tag == qn("w:tbl"):
                blocks.append(("t", child))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    collect(content)

    collect(document.element.body)
    sample = "".join(b.text for kind, b in blocks[:200] if kind == "p")
    simplify = simplifier(sample)
    builder = TextBuilder(path, simplify)
    tables = 0
    for kind, block in blocks:
        guard.check_time()
        if kind == "p":
            builder.line(block.text)
            continue
        tables += 1
        grid, texts = _table_grid(block, tables, lambda p: Paragraph(p, document).text, guard)
        builder.table(grid, texts, "docx")
    text = builder.text()
    if not text.strip():
        raise ReadError(path, "no text in the .docx (only images?)")
    return Document(path=str(path), text=text, kind="docx", sha=hashlib.sha256(data).hexdigest(),
                    encoding="utf-8", tables=builder.tables, converted_traditional=simplify is not None)
