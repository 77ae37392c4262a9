"""PDF reports with a text layer (pdfplumber): wrapped lines joined, page numbers dropped, ruled tables kept.

A PDF of more than MAX_PDF_PAGES pages is refused, and pdfminer runs behind formats.pdfguard (stream
inflation and page layout within the caps). Each page's layout is released once read. An encrypted PDF
that opens only with a password is refused with a message saying so.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re

from gongkai.errors import ReadError
from gongkai.formats import limits, pdfguard
from gongkai.formats.layout import TextBuilder, grid_width
from gongkai.formats.text import simplifier
from gongkai.model import Document

log = logging.getLogger(__name__)


_SENTENCE_END = re.compile(r"[。!?;:！？；：]$")
_PARAGRAPH_START = re.compile(r"^(?:[(（]?[一二三四五六七八九十]+[、)）]|\d+[.、]|第[一二三四五六七八九十\d]+[条项部章]|[（(]\d+[)）])")
_PAGE_NUMBER = re.compile(r"^[-—\s]*(?:第\s*)?\d+\s*(?:页)?(?:\s*/\s*共?\s*\d+\s*页?)?[-—\s]*$")


def _pdf_subtables(table, tag: tuple) -> list[tuple[tuple[float, float, float, float], list[list[object]], dict]]:
    """Runs of rows with ≥2 cells in a pdfplumber table: (bbox, grid of keys, texts). One-cell rows are prose."""
    extracted = table.extract()
    geometry = table.rows
    # Grid lines: row r starts at the r-th distinct cell top, column c at the c-th distinct cell x0.
    boxes = [b for row in geometry for b in row.cells if b is not None]
    xs = sorted({round(b[0], 1) for b in boxes}) + [max(b[2] for b in boxes)]
    ys = sorted({round(b[1], 1) for b in boxes}) + [max(b[3] for b in boxes)]
    col_x = [(xs[c] + xs[c + 1]) / 2 for c in range(len(xs) - 1)]
    row_y = [(ys[r] + ys[r + 1]) / 2 for r in range(len(ys) - 1)]
    runs: list[list[int]] = []
    for r, row in enumerate(extracted):
        if sum(cell is not None for cell in row) >= 2:
            if runs and runs[-1][-1] == r - 1:
                runs[-1].append(r)
            else:
                runs.append([r])
    out = []
    for run in runs:
        texts: dict[object, str] = {}
        roots: list[tuple[object, tuple]] = []
        grid: list[list[object]] = []
        for r in run:
            bboxes = geometry[r].cells
            y = row_y[r] if r < len(row_y) else (geometry[r].bbox[1] + geometry[r].bbox[3]) / 2
            keys: list[object] = []
            for c, text in enumerate(extracted[r]):
                if text is not None and c < len(bboxes) and bboxes[c] is not None:
                    key = (*tag, r, c)
                    texts[key] = text
                    roots.append((key, bboxes[c]))
                    keys.append(key)
                    continue
                x = col_x[c] if c < len(col_x) else None
                owner = None
                if x is not None:
                    for key, (x0, top, x1, bottom) in reversed(roots):
                        if x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1:
                            owner = key
                            break
                keys.append(owner)
            grid.append(keys)
        x0 = min(geometry[r].bbox[0] for r in run)
        top = min(geometry[r].bbox[1] for r in run)
        x1 = max(geometry[r].bbox[2] for r in run)
        bottom = max(geometry[r].bbox[3] for r in run)
        out.append(((x0, top, x1, bottom), grid, texts))
    return out


def _join_wrapped(lines: list[dict]) -> list[str]:
    """PDF text lines -> paragraphs: a line that runs to the right margin without ending a sentence continues."""
    if not lines:
        return []
    right = sorted(line["x1"] for line in lines)[int(0.9 * (len(lines) - 1))]
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        text = line["text"].strip()
        if not text:
            continue
        if current:
            joiner = " " if current[-1].isascii() and current[-1].isalnum() and text[0].isascii() else ""
            current += joiner + text
        else:
            current = text
        size = max(4.0, line["bottom"] - line["top"])
        nxt = lines[i + 1]["text"].strip() if i + 1 < len(lines) else ""
        wrapped = (line["x1"] >= right - 1.5 * size and not _SENTENCE_END.search(text)
                   and nxt and not _PARAGRAPH_START.match(nxt))
        if not wrapped:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer error inside pdfplumber's wrapper (PdfminerException carries it as its argument)."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def _refusal(path, exc: Exception, guard: limits.ReadGuard) -> ReadError:
    """The ReadError for an exception out of pdfplumber: the cap it hit, a password it needs, or damage."""
    if guard.refused is not None:
        return guard.refused
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    cause = _cause(exc)
    if isinstance(cause, PDFPasswordIncorrect):
        return ReadError(path, "encrypted PDF that needs a password to open: save an unprotected copy")
    if isinstance(cause, PDFEncryptionError):
        return ReadError(path, f"encrypted PDF that cannot be opened ({cause})")
    return ReadError(path, f"not a readable PDF ({type(exc).__name__}: {exc})")


def _page_items(page) -> list[tuple[str, object]]:
    """One page: ("p", paragraph) and ("t", (grid, texts)) in reading order."""
    subtables = [s for i, t in enumerate(page.find_tables()) for s in _pdf_subtables(t, (page.page_number, i))]
    boxes = [s[0] for s in subtables]

    def outside(obj, boxes=boxes) -> bool:
        cx, cy = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    lines = page.filter(outside).extract_text_lines() if boxes else page.extract_text_lines()
    if lines and _PAGE_NUMBER.match(lines[-1]["text"]):
        lines = lines[:-1]
    placed = [(line["top"], "l", line) for line in lines] + [(s[0][1], "t", s) for s in subtables]
    placed.sort(key=lambda p: (p[0], p[1]))
    items: list[tuple[str, object]] = []
    run: list[dict] = []
    for _, kind, obj in placed:
        if kind == "l":
            run.append(obj)
            continue
        items += [("p", para) for para in _join_wrapped(run)]
        run = []
        items.append(("t", (obj[1], obj[2])))
    items += [("p", para) for para in _join_wrapped(run)]
    return items


def read_pdf_file(path, data: bytes) -> Document:
    """A PDF with a text layer: prose lines (wrapped lines joined) and ruled tables, page by page."""
    import pdfplumber

    pdfguard.install()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)   # font-descriptor chatter, not our findings
    guard = limits.current(path)
    items: list[tuple[str, object]] = []   # ("p", paragraph) | ("t", (grid, texts))
    chars = 0
    try:
        # Page objects for at most one page past the cap, however many pages the file claims.
        with pdfplumber.open(io.BytesIO(data), pages=list(range(1, limits.MAX_PDF_PAGES + 2))) as pdf:
            if len(pdf.pages) > limits.MAX_PDF_PAGES:
                raise guard.refuse("the PDF has", "MAX_PDF_PAGES", unit="pages")
            for page in pdf.pages:
                guard.check_time()
                guard.reset("MAX_PDF_PAGE_OBJECTS")
                chars += len(page.chars)
                page_items = _page_items(page)
                page.close()                     # its layout is no longer needed: free it
                if (items and page_items and items[-1][0] == "t" and page_items[0][0] == "t"
                        and grid_width(items[-1][1][0]) == grid_width(page_items[0][1][0])):
                    grid, texts = page_items.pop(0)[1]   # a table continued on the next page
                    items[-1][1][0].extend(grid)
                    items[-1][1][1].update(texts)
                items += page_items
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged or encrypted files
        raise _refusal(path, exc, guard) from None
    if chars < 20:
        raise ReadError(path, "no text layer (scanned PDF?): OCR it first")
    sample = "".join(str(obj) for kind, obj in items[:100] if kind == "p")
    simplify = simplifier(sample)
    builder = TextBuilder(path, simplify)
    for kind, obj in items:
        if kind == "p":
            builder.line(obj)
        else:
            grid, texts = obj
            builder.table(grid, texts, "pdf")
    return Document(path=str(path), text=builder.text(), kind="pdf", sha=hashlib.sha256(data).hexdigest(),
                    encoding="", tables=builder.tables, converted_traditional=simplify is not None)
