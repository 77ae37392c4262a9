"""HTML, DOCX and PDF reports -> Document: prose blocks and real tables, laid out as one normalized text.

A table is rendered into Document.text where it stands, one line per row, cells joined by ' | ' (each
cell written once, at its top-left position, as a flattened web copy shows it), and kept as a
model.Table whose grid has rowspan/colspan expanded: every grid position covered by a merged cell
refers to the same Cell, whose span points at that cell's text in Document.text.
Prose between tables is normalized as one run (reading.normalize), so phrases split over blocks join.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
from typing import Callable

from gongkai.errors import ReadError
from gongkai.model import Cell, Document, Table
from gongkai.reading import decode, is_traditional, normalize

log = logging.getLogger(__name__)

CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])")
_SPACES = re.compile(r"\s+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}]) (?=[{CJK}])")
MAX_SPAN = 200          # a rowspan/colspan beyond this is hostile or broken markup
MAX_PDF_PAGES = 400


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


# ---------------------------------------------------------------------------------------------- HTML

DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
             "select", "button", "input", "textarea", "nav", "footer", "aside", "map", "form")
BOILERPLATE_TOKENS = {"nav", "navbar", "navigation", "menu", "menus", "mainmenu", "submenu", "footer", "foot",
                      "breadcrumb", "breadcrumbs", "crumb", "crumbs", "sidebar", "copyright", "share", "bshare",
                      "login", "search", "searchbox", "toolbar", "topbar", "friendlink", "links", "weizhi",
                      "location", "dqwz", "skip", "print", "fontsize"}
BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "section",
              "article", "header", "main", "blockquote", "pre", "dl", "dt", "dd", "center", "hr", "table",
              "tbody", "thead", "tfoot", "caption", "title", "figure", "figcaption", "address"}
LINK_DENSE_TAGS = {"div", "ul", "ol", "section", "header", "dl"}
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.I)


def _decode_html(data: bytes, path) -> tuple[str, str]:
    """UTF-8 (BOM or not) first; otherwise the declared charset; otherwise GB18030 (reading.decode)."""
    if data.startswith(b"\xef\xbb\xbf") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode(data, path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else ""
    if declared in ("big5", "big5-hkscs"):
        try:
            return data.decode("big5hkscs"), "big5"
        except UnicodeDecodeError:
            pass
    return decode(data, path)


def _boilerplate(el) -> bool:
    tokens = set(_TOKEN_SPLIT.split(f"{el.get('class', '')} {el.get('id', '')}".lower())) - {""}
    if tokens & BOILERPLATE_TOKENS:
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None:
        return True
    if el.tag in LINK_DENSE_TAGS:
        text = flatten_inline(el.text_content())
        if text:
            linked = sum(len(flatten_inline(a.text_content())) for a in el.iter("a"))
            if linked / len(text) > 0.6:
                return True
    return False


def _is_data_table(table) -> bool:
    """A <table> holding figures, not a page layout: no nested table, ≥2 rows of ≥2 cells, short cells."""
    if table.find(".//table") is not None:
        return False
    rows = [tr for tr in table.iter("tr")]
    wide = [tr for tr in rows if len([c for c in tr if c.tag in ("td", "th")]) >= 2]
    if len(wide) < 2:
        return False
    return all(len(flatten_inline(c.text_content())) <= 400 for tr in rows for c in tr if c.tag in ("td", "th"))


def _span(value, default: int = 1) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(value).strip() or default)))
    except ValueError:
        return default


def _html_table(table, builder: TextBuilder) -> None:
    rows = []
    texts: dict[object, str] = {}
    for tr in table.iter("tr"):
        cells = []
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            for br in cell.iter("br"):
                br.tail = "\n" + (br.tail or "")
            key = len(texts)
            texts[key] = cell.text_content()
            cells.append((key, _span(cell.get("rowspan")), _span(cell.get("colspan"))))
        rows.append(cells)
    builder.table(expand_spans(rows), texts, "html")


def _walk_html(el, builder: TextBuilder, buf: list[str]) -> None:
    """Depth-first walk: inline text gathers in buf; a block boundary ends the line."""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "table" and _is_data_table(child):
            if buf:
                builder.line(flatten_inline("".join(buf)))
                buf.clear()
            _html_table(child, builder)
        elif tag == "br":
            builder.line(flatten_inline("".join(buf)))
            buf.clear()
        elif tag in BLOCK_TAGS:
            builder.line(flatten_inline("".join(buf)))
            buf.clear()
            if child.text:
                buf.append(child.text)
            _walk_html(child, builder, buf)
            builder.line(flatten_inline("".join(buf)))
            buf.clear()
        elif tag:
            if child.text:
                buf.append(child.text)
            _walk_html(child, builder, buf)
        if child.tail:
            buf.append(child.tail)


def read_html_file(path, data: bytes) -> Document:
    """An HTML page: the article text without navigation, scripts and styles; data tables kept as Tables."""
    import lxml.etree
    import lxml.html

    raw, encoding = _decode_html(data, path)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", raw, count=1))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ReadError(path, f"not parseable as HTML: {exc}") from None
    header: dict[str, str] = {}
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = [u for u in root.xpath(xpath) if str(u).startswith("http")]
        if found:
            header["url"] = str(found[0]).strip()
            break
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        header["title"] = flatten_inline(title.text_content())
    for el in list(root.iter(*DROP_TAGS, "head", lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and el.tag != "body" and _boilerplate(el):
            el.drop_tree()
    body = root.find("body")
    body = body if body is not None else root
    sample = flatten_inline(body.text_content()[:20000])
    simplify = _simplifier(sample)
    builder = TextBuilder(simplify)
    buf: list[str] = [body.text] if body.text else []
    _walk_html(body, builder, buf)
    builder.line(flatten_inline("".join(buf)))
    text = builder.text()
    if not text.strip():
        raise ReadError(path, "no text in the HTML page (only scripts, styles or navigation?)")
    return Document(path=str(path), text=text, kind="html", sha=hashlib.sha256(data).hexdigest(),
                    encoding=encoding, tables=builder.tables, header=header,
                    converted_traditional=simplify is not None)


def _simplifier(sample: str) -> Callable[[str], str] | None:
    if not is_traditional(sample):
        return None
    import opencc
    return opencc.OpenCC("t2s").convert


# ---------------------------------------------------------------------------------------------- DOCX

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
    simplify = _simplifier(sample)
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


# ----------------------------------------------------------------------------------------------- PDF

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


def read_pdf_file(path, data: bytes) -> Document:
    """A PDF with a text layer: prose lines (wrapped lines joined) and ruled tables, page by page."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)   # font-descriptor chatter, not our findings
    items: list[tuple[str, object]] = []   # ("p", paragraph) | ("t", (grid, texts))
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = pdf.pages[:MAX_PDF_PAGES]
            if len(pdf.pages) > MAX_PDF_PAGES:
                log.warning("%s: %d pages, reading the first %d", path, len(pdf.pages), MAX_PDF_PAGES)
            for page in pages:
                chars += len(page.chars)
                subtables = [s for i, t in enumerate(page.find_tables())
                             for s in _pdf_subtables(t, (page.page_number, i))]
                boxes = [s[0] for s in subtables]

                def outside(obj, boxes=boxes) -> bool:
                    cx, cy = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
                    return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

                lines = page.filter(outside).extract_text_lines() if boxes else page.extract_text_lines()
                if lines and _PAGE_NUMBER.match(lines[-1]["text"]):
                    lines = lines[:-1]
                placed = [(line["top"], "l", line) for line in lines] + [(s[0][1], "t", s) for s in subtables]
                placed.sort(key=lambda p: (p[0], p[1]))
                page_items: list[tuple[str, object]] = []
                run: list[dict] = []
                for _, kind, obj in placed:
                    if kind == "l":
                        run.append(obj)
                        continue
                    page_items += [("p", para) for para in _join_wrapped(run)]
                    run = []
                    page_items.append(("t", (obj[1], obj[2])))
                page_items += [("p", para) for para in _join_wrapped(run)]
                if (items and page_items and items[-1][0] == "t" and page_items[0][0] == "t"
                        and _width(items[-1][1][0]) == _width(page_items[0][1][0])):
                    grid, texts = page_items.pop(0)[1]   # a table continued on the next page
                    items[-1][1][0].extend(grid)
                    items[-1][1][1].update(texts)
                items += page_items
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged or encrypted files
        raise ReadError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    if chars < 20:
        raise ReadError(path, "no text layer (scanned PDF?): OCR it first")
    sample = "".join(str(obj) for kind, obj in items[:100] if kind == "p")
    simplify = _simplifier(sample)
    builder = TextBuilder(simplify)
    for kind, obj in items:
        if kind == "p":
            builder.line(obj)
        else:
            grid, texts = obj
            builder.table(grid, texts, "pdf")
    return Document(path=str(path), text=builder.text(), kind="pdf", sha=hashlib.sha256(data).hexdigest(),
                    encoding="", tables=builder.tables, converted_traditional=simplify is not None)


def _width(grid: list[list[object]]) -> int:
    return max((len(r) for r in grid), default=0)
