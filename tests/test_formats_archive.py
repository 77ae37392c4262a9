"""formats.archive: a .docx is checked from its ZIP directory before anything is inflated."""
from __future__ import annotations

import io
import struct
import zipfile

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits
from gongkai.formats.archive import check_archive, count_tags, is_markup

from conftest import FIXTURES


def archive_of(members: dict[str, bytes], zip64: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            with archive.open(name, "w", force_zip64=zip64) as member:
                member.write(data)
    return buffer.getvalue()


def test_a_real_docx_passes_and_comes_back_open():
    data = (FIXTURES / "fmt2021" / "report.docx").read_bytes()
    archive = check_archive("report.docx", data)
    assert "word/document.xml" in archive.namelist()
    tags = count_tags("report.docx", archive, archive.getinfo("word/document.xml"))
    assert tags == archive.read("word/document.xml").count(b"<") > 1000


def test_markup_entries_are_the_xml_and_rels_parts():
    assert is_markup("word/document.xml") and is_markup("_rels/.rels") and is_markup("[Content_Types].xml")
    assert not is_markup("word/media/image1.png")


def test_an_xml_part_stated_over_the_cap_is_refused_before_inflating(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XML_BYTES", 1000)
    data = archive_of({"word/document.xml": b" " * 1001, "word/media/a.png": b"x" * 5000})
    with pytest.raises(LimitError, match=r"^d.docx: word/document.xml inflates to 0.0 MB, over the 0.0 MB limit"):
        check_archive("d.docx", data)


def test_all_entries_together_over_the_cap_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ARCHIVE_BYTES", 10_000)
    data = archive_of({f"word/media/{i}.png": b"x" * 4000 for i in range(3)})
    with pytest.raises(LimitError) as err:
        check_archive("d.docx", data)
    assert err.value.limit == "MAX_ARCHIVE_BYTES" and "the archive inflates to" in err.value.problem


def test_the_entry_count_is_read_from_the_end_record_even_in_zip64(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ARCHIVE_MEMBERS", 3)
    for zip64 in (False, True):
        data = archive_of({f"{i}.xml": b"<a/>" for i in range(4)}, zip64)
        with pytest.raises(LimitError, match="the archive holds 4 entries, over the 3 limit"):
            check_archive("d.docx", data)


def test_a_directory_too_large_for_its_entries_is_refused_before_zipfile_reads_it():
    data = bytearray(archive_of({"a.xml": b"<a/>"}))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 12, 50 * 2**20)               # claims a 50 MB directory
    with pytest.raises(LimitError) as err:
        check_archive("d.docx", bytes(data))
    assert err.value.limit == "MAX_ARCHIVE_MEMBERS" and "52,428,800 bytes" in err.value.problem


def test_xml_with_more_tags_than_the_cap_is_refused_while_inflating(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MARKUP_TAGS", 100)
    data = archive_of({"word/document.xml": b"<w:p/>" * 101})
    with pytest.raises(LimitError, match="word/document.xml has more than 100 tags, the MAX_MARKUP_TAGS limit"):
        check_archive("d.docx", data)


def test_not_a_zip_is_a_read_error():
    with pytest.raises(ReadError, match=r"^d.docx: not a readable .docx \(BadZipFile"):
        check_archive("d.docx", b"PK\x03\x04 not really a zip")


def test_xml_under_another_name_is_counted_too(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MARKUP_TAGS", 100)
    assert is_markup("word/document.dat", b"  <?xml version='1.0'?><w:document") and not is_markup("a.png", b"\x89PNG")
    data = archive_of({"word/document.dat": b"<w:p/>" * 101, "word/media/a.png": b"\x89PNG" + b"<" * 200})
    with pytest.raises(LimitError, match="word/document.dat has more than 100 tags"):
        check_archive("d.docx", data)
