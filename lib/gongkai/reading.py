"""Read a report file into a Document: decode, strip archive headers, normalize once.

Every span in gongkai refers to Document.text as produced here.
"""
from __future__ import annotations

import hashlib
import re
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


def _fullwidth_to_ascii(text: str) -> str:
    return text.translate(_FULLWIDTH)


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0xA0] = 0x20    # no-break space

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


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert traditional characters to simplified when the text is written in them (big5 gate copies)."""
    hits = sum(1 for ch in text[:4000] if ch in TRADITIONAL_MARKERS)
    if hits < 5:
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
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary content (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"neither UTF-8 nor GB18030/GBK: undecodable bytes at offset {exc.start}"
                        " (truncated or corrupted file?)") from None


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
    raw, encoding = decode(data, path)
    header, body = split_header(raw.replace("\r\n", "\n"))
    body, converted = to_simplified(body)
    text = normalize(body)
    if not text.strip():
        raise ReadError(path, "no text after the header")
    return Document(path=str(path), text=text, kind="txt", sha=hashlib.sha256(data).hexdigest(),
                    encoding=encoding, header=header, converted_traditional=converted)


READERS = {".txt": read_text_file, ".md": read_text_file}


def read_document(path) -> Document:
    """Read one report file (by its content, then its extension) into a Document; ReadError if it cannot."""
    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise ReadError(path, f"unknown extension {p.suffix or '(none)'}: expected one of {', '.join(sorted(READERS))}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot open: {exc.strerror}") from None
    return reader(path, data)
