"""ZIP containers (.docx) checked from their directory before anything is inflated.

A .docx is a ZIP archive whose directory states each entry's inflated size. check_archive() reads the
end-of-directory record first (how many entries, how large the directory), then every entry's stated
size, and refuses the file when one XML part would pass MAX_XML_BYTES, all entries MAX_ARCHIVE_BYTES, or
the entries MAX_ARCHIVE_MEMBERS, all before inflating a byte. The stated sizes bind: zipfile stops
inflating an entry at its stated size (and then fails its CRC), so an archive that lies about them
cannot inflate more. Each XML part (by name, or by its first bytes) is then inflated once, in chunks, to
count its tags against MAX_MARKUP_TAGS, since a parsed tree costs far more than its text.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits

_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_SMALLEST_ENTRY = 46          # bytes of a directory entry with an empty name
_CHUNK = 1 << 20


def _directory(data: bytes) -> tuple[int, int] | None:
    """(entries, directory bytes) as the end-of-directory record states them; None when there is none."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or at + 22 > len(data):
        return None
    entries, size = struct.unpack_from("<HI", data, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data[locator:locator + 4] == _ZIP64_LOCATOR:
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if record + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    return entries, size


def is_markup(name: str, head: bytes = b"") -> bool:
    """True for an archive entry a .docx reader may parse as XML: by its name, or by its first bytes (a part
    is parsed by its declared content type, whatever its name)."""
    return name.lower().endswith((".xml", ".rels")) or head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")) \
        or head.startswith((b"\xff\xfe<", b"\xfe\xff\x00<"))


def check_archive(path, data: bytes) -> zipfile.ZipFile:
    """The archive, opened, once its directory and every XML part are within the caps; LimitError otherwise,
    ReadError when data is not a ZIP archive."""
    directory = _directory(data)
    if directory is not None:
        entries, size = directory
        if entries > limits.MAX_ARCHIVE_MEMBERS:
            raise limits.refusal(path, "the archive holds", "MAX_ARCHIVE_MEMBERS", entries, "entries")
        if size > limits.MAX_ARCHIVE_MEMBERS * 1024:
            raise LimitError(path, f"the archive directory takes {size:,} bytes, room for more than the "
                             f"{limits.MAX_ARCHIVE_MEMBERS:,} entries of MAX_ARCHIVE_MEMBERS",
                             "MAX_ARCHIVE_MEMBERS")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, struct.error, EOFError) as exc:
        raise ReadError(path, f"not a readable .docx ({type(exc).__name__}: {exc})") from None
    members = archive.infolist()
    if len(members) > limits.MAX_ARCHIVE_MEMBERS:
        raise limits.refusal(path, "the archive holds", "MAX_ARCHIVE_MEMBERS", len(members), "entries")
    total = 0
    for info in members:
        if is_markup(info.filename) and info.file_size > limits.MAX_XML_BYTES:
            raise limits.refusal(path, f"{info.filename} inflates to", "MAX_XML_BYTES", info.file_size)
        total += info.file_size
    if total > limits.MAX_ARCHIVE_BYTES:
        raise limits.refusal(path, "the archive inflates to", "MAX_ARCHIVE_BYTES", total)
    for info in members:
        if is_markup(info.filename, _head(path, archive, info)):
            count_tags(path, archive, info)
    return archive


def _head(path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The first bytes of an entry (inflating no more than that)."""
    try:
        with archive.open(info) as member:
            return member.read(64)
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, OSError) as exc:
        raise ReadError(path, f"not a readable .docx ({info.filename}: {type(exc).__name__}: {exc})") from None


def count_tags(path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Tags ('<') of one XML entry, inflated chunk by chunk (never more than MAX_XML_BYTES); LimitError past
    MAX_MARKUP_TAGS or MAX_XML_BYTES."""
    guard = limits.current(path)
    tags = inflated = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                inflated += len(chunk)
                if inflated > limits.MAX_XML_BYTES:
                    raise limits.refusal(path, f"{info.filename} inflates to", "MAX_XML_BYTES")
                tags += chunk.count(b"<")
                if tags > limits.MAX_MARKUP_TAGS:
                    raise limits.refusal(path, f"{info.filename} has", "MAX_MARKUP_TAGS", unit="tags")
                guard.check_time()
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, OSError) as exc:
        raise ReadError(path, f"not a readable .docx ({info.filename}: {type(exc).__name__}: {exc})") from None
    return tags
