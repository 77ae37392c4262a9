"""Word .docx reports: paragraphs and tables in document order, merged cells expanded."""
from __future__ import annotations

import hashlib
import io
import logging

from gongkai.errors import ReadError
from gongkai.model import Document
from gongkai.formats import TextBuilder, simplifier

log = logging.getLogger(__name__)


def read_docx_file(path, data: bytes) -> Document:
    """A Word .docx report: paragraphs and tables in document order, merged cells expanded."""
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError variants for broken files
        raise ReadError(path, f"not a readable .docx ({type(exc).__name__}: {exc})") from None
    blocks = []

    def collect(container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                blocks.append(("p", docx.text.paragraph.Paragraph(child, document)))
            elif child.tag == qn("w:tbl"):
                blocks.append(("t", docx.table.Table(child, document)))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    collect(content)

    collect(document.element.body)
    sample = "".join(b.text for kind, b in blocks[:200] if kind == "p")
    simplify = simplifier(sample)
    builder = TextBuilder(simplify)
    for kind, block in blocks:
        if kind == "p":
            builder.line(block.text)
            continue
        texts: dict[object, str] = {}
        grid: list[list[object]] = []
        alive = []   # holding each <w:tc> proxy keeps its id() unique while the table is read
        for row in block.rows:
            keys: list[object] = [None] * row.grid_cols_before
            for cell in row.cells:
                alive.append(cell._tc)
                key = id(cell._tc)
                texts.setdefault(key, "\n".join(p.text for p in cell.paragraphs))
                keys.append(key)
            grid.append(keys)
        builder.table(grid, texts, "docx")
    text = builder.text()
    if not text.strip():
        raise ReadError(path, "no text in the .docx (only images?)")
    return Document(path=str(path), text=text, kind="docx", sha=hashlib.sha256(data).hexdigest(),
                    encoding="utf-8", tables=builder.tables, converted_traditional=simplify is not None)
