"""pdfminer held to the caps of the file being read: bounded stream inflation, a bounded page layout.

pdfminer inflates each PDF stream whole (zlib.decompress), so a 400 KB stream can become gigabytes
before anything else runs, and it lays out every glyph of a page as an object, so a page drawing one
form a million times fills memory. install() puts stand-ins in front of pdfminer's inflaters and layout
device (once per process): while a gongkai read is under way (formats.limits.active()), a stream stops
inflating at MAX_PDF_STREAM_BYTES, all streams of the file count against MAX_PDF_INFLATED_BYTES, the
objects of a page against MAX_PDF_PAGE_OBJECTS, and the clock against READ_SECONDS. Outside a read the
stand-ins behave exactly as pdfminer's own functions.

pdfplumber wraps errors raised while a page is laid out in its own exception; the guard remembers the
LimitError it raised (ReadGuard.refused), so the reader reports the cap, not the wrapper.
"""
from __future__ import annotations

import logging
import zlib

from gongkai.errors import LimitError
from gongkai.formats import limits

log = logging.getLogger(__name__)

_installed = False
_pdfminer: dict[str, object] = {}       # pdfminer's own functions, called by the stand-ins


def _stream_cap(guard: limits.ReadGuard, size: int | None = None) -> LimitError:
    return guard.refuse("a PDF stream inflates to", "MAX_PDF_STREAM_BYTES", size)


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: decompress() stops at MAX_PDF_STREAM_BYTES."""
    error = zlib.error

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        guard = limits.active()
        if guard is None:
            return zlib.decompress(data)
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, limits.MAX_PDF_STREAM_BYTES + 1)
        if len(out) > limits.MAX_PDF_STREAM_BYTES or inflater.unconsumed_tail:
            raise _stream_cap(guard)
        if not inflater.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's recovery of a stream with a damaged end (byte by byte, keeping what inflated), in linear
    time and within MAX_PDF_STREAM_BYTES."""
    guard = limits.active()
    if guard is None:
        return _pdfminer["decompress_corrupted"](data)
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    for i in range(len(data)):
        try:
            out = inflater.decompress(data[i:i + 1])
        except zlib.error:
            if i < len(data) - 3:      # not in the checksum: the stream is broken, as pdfminer decides
                raise
            log.debug("%s: data lost while inflating a damaged stream", guard.path)
            break
        if out:
            parts.append(out)
            size += len(out)
            if size > limits.MAX_PDF_STREAM_BYTES:
                raise _stream_cap(guard)
        if not i & 0xFFFF:
            guard.check_time()
    return b"".join(parts)


def _lzwdecode(data: bytes) -> bytes:
    guard = limits.active()
    if guard is None:
        return _pdfminer["lzwdecode"](data)
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder
    parts: list[bytes] = []
    size = 0
    for chunk in LZWDecoder(BytesIO(data)).run():
        size += len(chunk)
        if size > limits.MAX_PDF_STREAM_BYTES:
            raise _stream_cap(guard)
        parts.append(chunk)
    return b"".join(parts)


def _decode(stream) -> None:
    """PDFStream.decode, then the inflated size counted against the stream and file caps."""
    _pdfminer["decode"](stream)
    guard = limits.active()
    if guard is None:
        return
    guard.check_time()
    size = len(stream.data or b"")
    if size > limits.MAX_PDF_STREAM_BYTES:        # filters other than Flate and LZW, checked once inflated
        raise _stream_cap(guard, size)
    guard.spend("MAX_PDF_INFLATED_BYTES", size, "the streams of the PDF inflate to")


def _counted(method_name: str):
    original = _pdfminer[method_name]

    def laid_out(self, *args, **kwargs):
        guard = limits.active()
        if guard is not None:
            count = guard.spend("MAX_PDF_PAGE_OBJECTS", 1, "a page lays out", "objects")
            if not count & 0x3FF:
                guard.check_time()
        return original(self, *args, **kwargs)
    laid_out.__name__ = method_name
    return laid_out


def install() -> None:
    """Put the stand-ins in front of pdfminer (idempotent)."""
    global _installed
    if _installed:
        return
    from pdfminer import converter, pdftypes

    _pdfminer.update(decompress_corrupted=pdftypes.decompress_corrupted, lzwdecode=pdftypes.lzwdecode,
                     decode=pdftypes.PDFStream.decode)
    pdftypes.zlib = _BoundedZlib()
    pdftypes.decompress_corrupted = _decompress_corrupted
    pdftypes.lzwdecode = _lzwdecode
    pdftypes.PDFStream.decode = _decode
    for name in ("render_char", "paint_path", "render_image"):
        _pdfminer[name] = getattr(converter.PDFLayoutAnalyzer, name)
        setattr(converter.PDFLayoutAnalyzer, name, _counted(name))
    _installed = True
