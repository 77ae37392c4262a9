"""HTML reports: the article body (navigation, scripts, styles dropped) and its real <table>s.

A page of more than MAX_MARKUP_TAGS tags is refused before it is parsed; a rowspan or colspan over
MAX_SPAN is clamped to it (as browsers clamp theirs), and a table whose spans expand past
MAX_TABLE_CELLS grid positions is refused (formats.layout).
"""
from __future__ import annotations

import hashlib
import logging
import re

from gongkai.errors import ReadError
from gongkai.formats import limits
from gongkai.formats.layout import TextBuilder
from gongkai.formats.text import decode, flatten_inline, simplifier
from gongkai.model import Document

log = logging.getLogger(__name__)


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
        return max(1, min(limits.MAX_SPAN, int(str(value).strip() or default)))
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
    builder.spanned_table(rows, texts, "html")


def _walk_html(el, builder: TextBuilder, buf: list[str]) -> None:
    """Depth-first walk: inline text gathers in buf; a block boundary ends the line."""
    builder.guard.check_time()
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
    tags = raw.count("<")
    if tags > limits.MAX_MARKUP_TAGS:
        raise limits.refusal(path, "the page has", "MAX_MARKUP_TAGS", tags, "tags")
    try:
        # huge_tree stays off: libxml2 keeps its own depth and text-node limits
        root = lxml.html.document_fromstring(_XML_DECL.sub("", raw, count=1),
                                             parser=lxml.html.HTMLParser(huge_tree=False))
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
    simplify = simplifier(sample)
    builder = TextBuilder(path, simplify)
    buf: list[str] = [body.text] if body.text else []
    _walk_html(body, builder, buf)
    builder.line(flatten_inline("".join(buf)))
    text = builder.text()
    if not text.strip():
        raise ReadError(path, "no text in the HTML page (only scripts, styles or navigation?)")
    return Document(path=str(path), text=text, kind="html", sha=hashlib.sha256(data).hexdigest(),
                    encoding=encoding, tables=builder.tables, header=header,
                    converted_traditional=simplify is not None)
