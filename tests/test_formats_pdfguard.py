"""formats.pdfguard: pdfminer's inflaters bounded during a read, and exactly pdfminer's outside one."""
from __future__ import annotations

import zlib

import pytest

from gongkai.errors import LimitError
from gongkai.formats import limits, pdfguard


@pytest.fixture(scope="module")
def pdftypes():
    pdfguard.install()
    pdfguard.install()                       # idempotent
    from pdfminer import pdftypes
    return pdftypes


def flate_stream(pdftypes, data: bytes):
    return pdftypes.PDFStream({"Filter": pdftypes.LITERALS_FLATE_DECODE[0], "Length": len(data)}, data)


def test_the_stand_ins_are_in_place(pdftypes):
    from pdfminer.converter import PDFLayoutAnalyzer
    assert pdftypes.decompress_corrupted is pdfguard._decompress_corrupted
    assert pdftypes.PDFStream.decode is pdfguard._decode
    assert PDFLayoutAnalyzer.render_char.__name__ == "render_char" and PDFLayoutAnalyzer.render_char is not \
        pdfguard._pdfminer["render_char"]


@pytest.mark.parametrize("within_a_read", [False, True])
def test_streams_inflate_as_pdfminer_inflates_them(pdftypes, within_a_read):
    content = b"BT /F1 12 Tf (abc) Tj ET\n" * 1000
    whole = zlib.compress(content)
    cases = {"whole": whole, "truncated": whole[:len(whole) // 2], "bad checksum": whole[:-2] + b"\0\0"}
    results = {}
    for name, raw in cases.items():
        if within_a_read:
            with limits.guard("r.pdf"):
                results[name] = flate_stream(pdftypes, raw).get_data()
        else:
            results[name] = flate_stream(pdftypes, raw).get_data()
    assert results["whole"] == content and results["bad checksum"] == content
    assert 0 < len(results["truncated"]) < len(content) and content.startswith(results["truncated"])
    corrupted_within = pdfguard._pdfminer["decompress_corrupted"](cases["truncated"])
    assert results["truncated"] == corrupted_within                      # the same recovery as pdfminer's


def test_a_stream_past_the_cap_stops_inflating(pdftypes, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_STREAM_BYTES", 10_000)
    raw = zlib.compress(bytes(10_001))
    assert len(flate_stream(pdftypes, raw).get_data()) == 10_001       # outside a read: untouched
    for data in (raw, raw[:-4] + b"\xff" * 4):                          # whole, and a bad checksum (the recovery path)
        with limits.guard("r.pdf") as guard:
            with pytest.raises(LimitError, match="a PDF stream inflates to more than 0.0 MB"):
                flate_stream(pdftypes, data).get_data()
            assert guard.refused.limit == "MAX_PDF_STREAM_BYTES"


def test_all_streams_of_a_file_count_against_one_cap(pdftypes, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_INFLATED_BYTES", 25_000)
    with limits.guard("r.pdf"):
        for _ in range(2):
            flate_stream(pdftypes, zlib.compress(bytes(10_000))).get_data()
        with pytest.raises(LimitError) as err:
            flate_stream(pdftypes, zlib.compress(bytes(10_000))).get_data()
    assert err.value.limit == "MAX_PDF_INFLATED_BYTES" and "30,000" not in err.value.problem


def test_lzw_streams_are_bounded_too(pdftypes, monkeypatch):
    lzw = bytes.fromhex("800b6050220c0c8501")                          # the PDF reference's example: 45 45 45 ...
    expected = pdfguard._pdfminer["lzwdecode"](lzw)
    with limits.guard("r.pdf"):
        assert pdftypes.lzwdecode(lzw) == expected
    monkeypatch.setattr(limits, "MAX_PDF_STREAM_BYTES", len(expected) - 1)
    with limits.guard("r.pdf"), pytest.raises(LimitError):
        pdftypes.lzwdecode(lzw)
