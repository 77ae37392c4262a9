"""Text as every reader needs it: bytes decoded by content, one normalized form, traditional -> simplified.

normalize() defines the coordinate system of every span in gongkai: full-width forms to ASCII, CRLF to
LF, and the line breaks a layout puts inside one phrase ('信息\\n5928\\n条') joined. decode() decides the
encoding from the bytes (UTF-8 with or without BOM, UTF-16 by BOM, else GB18030, which covers GBK and
GB2312), refuses binary content behind a text extension, and reads a UTF-8 file cut in the middle of a
character with the partial character dropped (and a warning logged), rather than as GB18030 garbage.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Callable

from gongkai.errors import ReadError

log = logging.getLogger(__name__)

TRADITIONAL_MARKERS = set("報開與資訊條機關專門產業務會範圍進處於當從區項類給總計們發佈這還應實經營體")
BINARY_MAGIC = {b"%PDF-": "a PDF file", b"PK\x03\x04": "a ZIP/DOCX file", b"\xd0\xcf\x11\xe0": "an OLE/.doc file",
                b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
                b"\x1f\x8b": "a gzip archive", b"\x7fELF": "an executable"}
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"

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
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Full-width digits/letters/punctuation to ASCII, CRLF to LF, layout line breaks inside phrases joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULLWIDTH)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = _SPLIT_NUMBER.sub(lambda m: m.group(1), text)
    text = _BREAK_BEFORE_NUMBER_UNIT.sub("", text)
    return text


def flatten_inline(text: str) -> str:
    """Whitespace of one layout block collapsed; a line break between two CJK characters disappears."""
    return _SPACES.sub(" ", _BREAK_BETWEEN_CJK.sub("", text)).strip()


def is_traditional(sample: str) -> bool:
    """True when a sample of the text is written in traditional characters (big5 gate copies)."""
    return sum(1 for ch in sample[:4000] if ch in TRADITIONAL_MARKERS) >= 5


def simplifier(sample: str) -> Callable[[str], str] | None:
    """opencc's traditional-to-simplified converter when sample is written in traditional characters."""
    if not is_traditional(sample):
        return None
    import opencc
    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> tuple[str, bool]:
    """Text converted to simplified characters when it is written in traditional ones; (text, converted)."""
    convert = simplifier(text)
    return (convert(text), True) if convert else (text, False)


def _utf8(data: bytes, path, skipped: int = 0) -> str | None:
    """data as UTF-8; a multi-byte character cut by the end of the file is dropped with a warning.
    None when the bytes are not UTF-8 elsewhere."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or exc.end != len(data):
            return None
        log.warning("%s: UTF-8 text cut in the middle of a character at byte %d: the last %d byte(s) dropped",
                    path, exc.start + skipped, len(data) - exc.start)
        return data[:exc.start].decode("utf-8")


def decode(data: bytes, path) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312)."""
    if not data.strip():
        raise ReadError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _utf8(data[3:], path, skipped=3)
        if text is None:
            try:
                data[3:].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ReadError(path, f"UTF-8 BOM but undecodable bytes at offset {exc.start + 3}") from None
        return text, "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"UTF-16 BOM but undecodable bytes at offset {exc.start}") from None
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ReadError(path, f"binary content ({what}), not a text report: give the file its real extension")
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary content (NUL bytes), not a text report")
    text = _utf8(data, path)
    if text is not None:
        return text, "utf-8"
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


__all__ = ["normalize", "flatten_inline", "is_traditional", "simplifier", "to_simplified", "decode",
           "TRADITIONAL_MARKERS", "BINARY_MAGIC", "CJK"]
