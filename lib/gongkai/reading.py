"""Read a report file into a Document: decode, strip archive headers, normalize once.

Every span in gongkai refers to Document.text as produced here.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from gongkai.errors import ReadError
from gongkai.model import Document

# Archived copies in the corpus start with provenance lines (`url: …`, or `原文链接: …` above a
# `==== 正文 ====` rule). They describe the copy, not the report.
HEADER_KEYS = {"url": "url", "district": "district", "office": "office", "year_in_title": "year_in_title",
               "year_of_data": "year_of_data", "excerpt_complete": "excerpt_complete",
               "标题": "title", "发布时间": "published", "原文链接": "url", "发布机构": "publisher",
               "文号": "doc_no", "栏目": "column", "本地目录": "local_dir"}
HEADER_LINE = re.compile(r"^([a-z_]+|标题|发布时间|原文链接|发布机构|文号|栏目|本地目录|页面链接与图片详见.*?)(?::\s?(.*))?$")
BODY_RULE = re.compile(r"^=+\s*正文\s*=+\s*$")

TRADITIONAL_MARKERS = set("報開與資訊條機關專門產業務會範圍進處於當從區項類給總計們發佈這還應實經營體")
UNIT_AFTER_NUMBER = "条件篇项人次%％元万个份起宗"


BINARY_MAGIC = {b"%PDF-": "a PDF file", b"PK\x03\x04": "a ZIP/DOCX file", b"\xd0\xcf\x11\xe0": "an OLE/.doc file",
                b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
                b"\x1f\x8b": "a gzip archive", b"\x7fELF": "an executable"}


def _fullwidth_to_ascii(text: str) -> str:
    return text.translate(_FULLWIDTH)


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0xA0] = 0x20    # no-break space
# PDF fonts often map ideographs to look-alike Kangxi radicals (⼯ U+2F2F for 工) or compatibility
# ideographs; NFKC maps each to its unified ideograph, one character for one.
_FULLWIDTH.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in [*range(0x2F00, 0x2FD6),
                   *range(0xF900, 0xFADA)] if len(unicodedata.normalize("NFKC", chr(cp))) == 1})

# A number set on a line of its own between a phrase and its unit ("信息\n5928\n条"), or a line break
# between a phrase and a number that carries its unit ("达\n90.3%"), is one phrase split by the layout.
_SPLIT_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\n[ \t]*(\d[\d,.]*)[ \t]*\n[ \t]*(?=[条件篇项人次%元个份起宗])")
_BREAK_BEFORE_NUMBER_UNIT = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\n[ \t]*(?=\d[\d,.]*[ \t]*[条件篇项%元个份起宗])")
_BREAK_AFTER_NUMBER = re.compile(r"(?<=\d)[ \t]*\n[ \t]*(?=(?:条|件|篇|人次|%|元|万元)(?![\u4e00-\u9fff]*\n))")


def normalize(text: str) -> str:
    """Full-width digits/letters/punctuation to ASCII, CRLF to LF, layout line breaks inside phrases joined."""
    text = _fullwidth_to_ascii(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = _SPLIT_NUMBER.sub(lambda m: m.group(1), text)
    text = _BREAK_BEFORE_NUMBER_UNIT.sub("", text)
    return text


def is_traditional(sample: str) -> bool:
    """True when a sample of the text is written in traditional characters (big5 gate copies)."""
    return sum(1 for ch in sample[:4000] if ch in TRADITIONAL_MARKERS) >= 5


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert traditional characters to simplified when the text is written in them (big5 gate copies)."""
    if not is_traditional(text):
        return text, False
    import opencc
    converted = opencc.OpenCC("t2s").convert(text)
    return converted, True


def decode(data: bytes, path) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312)."""
    if not data.strip():
        raise ReadError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"UTF-8 BOM but undecodable bytes at offset {exc.start + 3}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ReadError(path, f"binary content ({what}), not a text report: give the file its real extension")
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary content (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        where = "at the end: truncated file?" if exc.start >= len(data) - 4 else "(corrupted or not text?)"
        raise ReadError(path, f"neither UTF-8 nor GB18030/GBK: undecodable bytes at offset {exc.start} "
                        f"of {len(data)} {where}") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 8192):
        raise ReadError(path, "binary content (control bytes), not a text report")
    return text, "gb18030"


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Separate the provenance header of an archived copy from the report text."""
    lines = text.split("\n")
    header: dict[str, str] = {}
    for i, line in enumerate(lines[:14]):
        if BODY_RULE.match(line.strip()):
            return header, "\n".join(lines[i + 1:])
        if not line.strip():
            if header and i + 1 < len(lines):
                return header, "\n".join(lines[i + 1:])
            continue
        m = HEADER_LINE.match(line.strip())
        if not m or (m.group(2) is None and not m.group(1).startswith("页面链接")):
            break
        key = HEADER_KEYS.get(m.group(1))
        if key and m.group(2):
            header[key] = m.group(2).strip()
    if header and any(k in header for k in ("url",)):
        return header, "\n".join(lines[len(header):])
    return {}, text


def read_text_file(path, data: bytes) -> Document:
    """A plain-text or Markdown report: decode by content, strip the provenance header, normalize."""
    raw, encoding = decode(data, path)
    header, body = split_header(raw.replace("\r\n", "\n"))
    body, converted = to_simplified(body)
    text = normalize(body)
    if not text.strip():
        raise ReadError(path, "no text after the header")
    return Document(path=str(path), text=text, kind="txt", sha=hashlib.sha256(data).hexdigest(),
                    encoding=encoding, header=header, converted_traditional=converted)


def _format_reader(module: str, name: str):
    """A reader living in gongkai.formats.<module>, imported on first use (lxml, python-docx and pdfplumber
    are heavy, and most reports are text)."""
    def reader(path, data: bytes) -> Document:
        import importlib
        return getattr(importlib.import_module(f"gongkai.formats.{module}"), name)(path, data)
    reader.__name__ = name
    return reader


_HTML = _format_reader("web", "read_html_file")
READERS = {".txt": read_text_file, ".md": read_text_file, ".html": _HTML, ".htm": _HTML, ".shtml": _HTML,
           ".docx": _format_reader("word", "read_docx_file"), ".pdf": _format_reader("pdf", "read_pdf_file")}
# Bytes a text or HTML report may have. The largest real report seen is well under 1 MB; a file 16 times
# that is not an annual report, and reading it whole would only cost memory and time.
MAX_TEXT_BYTES = 16 * 1024 * 1024
# Bytes any report file may have: docx/pdf carry images that make them large (their pages are bounded in
# formats/). Ingest hashes no file larger than this; read_document refuses it.
MAX_REPORT_BYTES = 200 * 1024 * 1024
KNOWN_BUT_UNSUPPORTED = {".doc": "legacy Word 97-2003 .doc is not supported: save it as .docx",
                         ".wps": "WPS .wps is not supported: save it as .docx",
                         ".xls": "spreadsheets are not reports", ".xlsx": "spreadsheets are not reports"}


def read_document(path) -> Document:
    """Read one report file into a Document; ReadError (naming the file and the problem) if it cannot.

    The extension picks the reader, the content decides the encoding. Text and HTML files over
    MAX_TEXT_BYTES are refused before being read (bounded memory and time), as is a binary file
    behind a text extension.
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
        limit = MAX_REPORT_BYTES if suffix in (".docx", ".pdf") else MAX_TEXT_BYTES
        if size > limit:
            raise ReadError(path, f"too large for a report: {size / 2**20:.1f} MB (limit {limit / 2**20:.0f} MB)")
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot open: {exc.strerror}") from None
    return reader(path, data)
