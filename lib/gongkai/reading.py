"""Read a report file into a Document: the extension picks the reader, the caps bound what it may cost.

Every span in gongkai refers to Document.text as the readers produce it (formats.text.normalize).
This module only dispatches: the readers live in gongkai.formats, one per file format (plain: .txt/.md,
web: HTML, word: .docx, pdf: PDF), and never import this module. Each file is read inside a
formats.limits guard: a file past a cap (size on disk, inflated size, tags, table cells, pages, text
length, READ_SECONDS of wall time) is refused with a LimitError, a ReadError naming the file and the cap,
so that one hostile file costs bounded memory and time and never stops a batch.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from gongkai.errors import ReadError
from gongkai.formats import limits, pdf, plain, web, word
from gongkai.formats.limits import MAX_BINARY_BYTES, MAX_TEXT_BYTES
from gongkai.formats.text import normalize
from gongkai.model import Document

Reader = Callable[[object, bytes], Document]

READERS: dict[str, Reader] = {
    ".txt": plain.read_text_file, ".md": plain.read_text_file,
    ".html": web.read_html_file, ".htm": web.read_html_file, ".shtml": web.read_html_file,
    ".docx": word.read_docx_file, ".pdf": pdf.read_pdf_file}
BINARY_SUFFIXES = {".docx", ".pdf"}      # capped at MAX_BINARY_BYTES on disk; text and HTML at MAX_TEXT_BYTES
KNOWN_BUT_UNSUPPORTED = {".doc": "legacy Word 97-2003 .doc is not supported: save it as .docx",
                         ".wps": "WPS .wps is not supported: save it as .docx",
                         ".xls": "spreadsheets are not reports", ".xlsx": "spreadsheets are not reports"}


def read_document(path) -> Document:
    """Read one report file into a Document; ReadError (naming the file and the problem) if it cannot.

    The extension picks the reader, the content decides the encoding. A file over its size cap is
    refused before being read, as is a binary file behind a text extension; a file that would pass a
    cap while being read is refused with a LimitError naming the cap.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        why = KNOWN_BUT_UNSUPPORTED.get(suffix)
        raise ReadError(path, why or f"unknown extension {p.suffix or '(none)'}: expected one of "
                        f"{', '.join(sorted(READERS))}")
    try:
        size = p.stat().st_size
        limit = "MAX_BINARY_BYTES" if suffix in BINARY_SUFFIXES else "MAX_TEXT_BYTES"
        if size > getattr(limits, limit):
            raise limits.refusal(path, "too large for a report:", limit, size)
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot open: {exc.strerror}") from None
    with limits.guard(path):
        return reader(path, data)


__all__ = ["read_document", "READERS", "KNOWN_BUT_UNSUPPORTED", "normalize", "MAX_TEXT_BYTES", "MAX_BINARY_BYTES"]
