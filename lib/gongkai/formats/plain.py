"""Plain-text and Markdown reports: decoded by content, the provenance header of archived copies set apart.

Archived copies in the corpus start with provenance lines (`url: …`, or `原文链接: …` above a
`==== 正文 ====` rule). They describe the copy, not the report: they go to Document.header, and the
text starts after them.
"""
from __future__ import annotations

import hashlib
import re

from gongkai.errors import ReadError
from gongkai.formats import limits
from gongkai.formats.text import decode, normalize, to_simplified
from gongkai.model import Document

HEADER_KEYS = {"url": "url", "district": "district", "office": "office", "year_in_title": "year_in_title",
               "year_of_data": "year_of_data", "excerpt_complete": "excerpt_complete",
               "标题": "title", "发布时间": "published", "原文链接": "url", "发布机构": "publisher",
               "文号": "doc_no", "栏目": "column", "本地目录": "local_dir"}
HEADER_LINE = re.compile(r"^([a-z_]+|标题|发布时间|原文链接|发布机构|文号|栏目|本地目录|页面链接与图片详见.*?)(?::\s?(.*))?$")
BODY_RULE = re.compile(r"^=+\s*正文\s*=+\s*$")


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
    if len(raw) > limits.MAX_TEXT_CHARS:
        raise limits.refusal(path, "the report text has", "MAX_TEXT_CHARS", len(raw), "characters")
    header, body = split_header(raw.replace("\r\n", "\n"))
    body, converted = to_simplified(body)
    text = normalize(body)
    if not text.strip():
        raise ReadError(path, "no text after the header")
    return Document(path=str(path), text=text, kind="txt", sha=hashlib.sha256(data).hexdigest(),
                    encoding=encoding, header=header, converted_traditional=converted)
