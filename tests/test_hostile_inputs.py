"""Hostile and broken report files cost bounded memory and time, and end in a clear error or a correct reading.

Every hostile file is generated here in tmp_path (nothing big is committed). Each one is read and
extracted in a child process, as ingest would read it, and the child's peak memory and wall time are
asserted under PEAK_MB and SECONDS. The peak is the child's own high-water mark (VmHWM of its address
space); its ru_maxrss from os.wait4, which Linux carries over from the forking test process, bounds it
from above and is asserted too. Run with -s to see the figures:

    PYTHONPATH=lib python -m pytest -s -q tests/test_hostile_inputs.py

The property-based tests (hypothesis) throw random numerals and randomly damaged real reports at the
numeral parser, the readers and the extractor: nothing may escape but gongkai's own errors.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from gongkai.checks import check_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError, LimitError, ReadError
from gongkai.extract import extract_report
from gongkai.formats import limits
from gongkai.numbers import QUANTITY, Number, chinese_to_int, from_match, parse_percent, parse_quantity, parse_value
from gongkai.reading import read_document

from conftest import FIXTURES, PROJECT_ROOT

PEAK_MB = 1024          # one hostile file may not take more than this ...
SECONDS = 30.0          # ... nor more than this, interpreter start and imports included
MiB = 2**20

# ----------------------------------------------------------------------------------- the measuring child

CHILD = r"""
import json, sys, time
started = time.perf_counter()
from gongkai.errors import GongkaiError
from gongkai.extract import extract_report
from gongkai.reading import read_document
try:
    doc = read_document(sys.argv[1])
    report = extract_report(doc)
    result = {"read": True, "chars": len(doc.text), "tables": len(doc.tables),
              "values": [fact.value for fact in report.facts]}
except GongkaiError as exc:
    result = {"read": False, "error": str(exc), "type": type(exc).__name__, "limit": getattr(exc, "limit", None)}
result["seconds"] = time.perf_counter() - started
with open("/proc/self/status") as status:
    result["hwm_kb"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps(result))
"""


def _child_limits() -> None:
    import resource
    # a safety net for the shared test machine, well above what is asserted
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))


def ingest_one(path: Path) -> tuple[dict, float, float]:
    """Read and extract path in a child process: (its result, its ru_maxrss in MB, wall seconds)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT / "lib"),
                                                                      os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=out, stderr=err, env=env,
                                 preexec_fn=_child_limits)
        killer = threading.Timer(4 * SECONDS, child.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    assert child.returncode == 0, f"the child failed ({child.returncode}):\n{stderr[-3000:]}"
    peak_mb = usage.ru_maxrss / 1024          # Linux: kilobytes
    return json.loads(stdout.strip().splitlines()[-1]), peak_mb, seconds


def measured(path: Path) -> dict:
    """ingest_one with the figures printed (-s) and the memory and time caps asserted."""
    result, maxrss_mb, seconds = ingest_one(path)
    peak_mb = result["hwm_kb"] / 1024
    outcome = (f"read: {result['chars']:,} chars, {result['tables']} tables, {len(result['values'])} facts"
               if result["read"] else f"{result['type']}: {result['error'].split(': ', 1)[1]}")
    print(f"\n[hostile] {path.name:<26} {path.stat().st_size:>11,} B  peak {peak_mb:5.0f} MB  "
          f"{seconds:5.2f} s  {outcome}")
    assert peak_mb <= maxrss_mb + 1 and maxrss_mb < PEAK_MB, f"{path.name}: peak RSS {maxrss_mb:.0f} MB"
    assert seconds < SECONDS, f"{path.name}: {seconds:.1f} s"
    return result


def refused(path: Path, limit: str) -> str:
    result = measured(path)
    assert not result["read"], result
    assert result["type"] == "LimitError" and result["limit"] == limit, result
    assert result["error"].startswith(f"{path}: ") and limit in result["error"], result
    return result["error"]


# ----------------------------------------------------------------------------------------- file builders

def deflate_zeros(megabytes: int) -> bytes:
    """A zlib stream inflating to megabytes MiB of zeros, built from one compressed MiB repeated."""
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = block.compress(bytes(MiB)) + block.flush(zlib.Z_FULL_FLUSH)   # byte-aligned, history reset
    adler = 1
    zero = bytes(MiB)
    for _ in range(megabytes):
        adler = zlib.adler32(zero, adler)
    return b"\x78\xda" + chunk * megabytes + b"\x03\x00" + struct.pack(">I", adler)


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(data: bytes, flate: bool = False) -> bytes:
    return (b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
            + data + b"\nendstream")


def page_objects(content: bytes, flate: bool = False, pages: int = 1) -> list[bytes]:
    """Catalog, page tree, content stream (object 3), Helvetica as /F1, and `pages` pages sharing the stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               stream(content, flate),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return objects + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                      b"/Resources << /Font << /F1 4 0 R >> >> >>"] * pages


def one_page_pdf(content: bytes, flate: bool = False, pages: int = 1) -> bytes:
    return pdf_file(page_objects(content, flate, pages))


TEXT_PAGE = b"BT /F1 12 Tf 72 720 Td (Annual report 2021: 123 items published, 4 requests received.) Tj ET"


def rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def encrypted_pdf(user_password: bytes, owner_password: bytes = b"owner") -> bytes:
    """TEXT_PAGE in a PDF encrypted with the standard security handler, revision 2 (RC4, 40-bit key)."""
    def pad(password: bytes) -> bytes:
        return (password + PASSWORD_PAD)[:32]
    file_id, permissions = b"0123456789abcdef", -4
    owner_entry = rc4(hashlib.md5(pad(owner_password)).digest()[:5], pad(user_password))
    key = hashlib.md5(pad(user_password) + owner_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    user_entry = rc4(key, PASSWORD_PAD)

    content_key = hashlib.md5(key + struct.pack("<i", 3)[:3] + b"\0\0").digest()[:10]   # object 3, generation 0
    objects = page_objects(rc4(content_key, TEXT_PAGE))
    objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                   % (owner_entry.hex().encode(), user_entry.hex().encode(), permissions))
    trailer = b"/Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), file_id.hex().encode(), file_id.hex().encode())
    return pdf_file(objects, trailer)


def template_docx() -> dict[str, bytes]:
    """The members of an empty python-docx document."""
    import docx
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_file(path: Path, body, level: int = 6) -> Path:
    """A .docx whose word/document.xml is <w:body> + body (bytes, or an iterable of byte chunks) + </w:body>."""
    chunks = [body] if isinstance(body, bytes) else body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in template_docx().items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w") as document:
            document.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document %s><w:body>' % W)
            for chunk in chunks:
                document.write(chunk)
            document.write(b"</w:body></w:document>")
    return path


def paragraph(text: str) -> bytes:
    return b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % text.encode()


def cell(text: str, properties: bytes = b"") -> bytes:
    return b"<w:tc><w:tcPr>%s</w:tcPr>%s</w:tc>" % (properties, paragraph(text))


PROSE = "样例街道2021年政府信息公开工作年度报告。本年度主动公开政府信息123条。"

# ------------------------------------------------------------------------------------- .docx archives


def test_docx_whose_document_xml_inflates_to_315_mb_is_refused_from_the_zip_directory(tmp_path):
    spaces = b" " * (5 * MiB)
    path = docx_file(tmp_path / "bomb.docx", [paragraph(PROSE)] + [spaces] * 63, level=1)
    assert path.stat().st_size < 2 * MiB
    error = refused(path, "MAX_XML_BYTES")
    assert "word/document.xml inflates to 315 MB, over the 64 MB limit (MAX_XML_BYTES)" in error


def test_docx_that_lies_about_inflated_sizes_cannot_inflate_more(tmp_path):
    path = docx_file(tmp_path / "liar.docx", [paragraph(PROSE)] + [b" " * (5 * MiB)] * 20, level=1)
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")                                # the directory entry of document.xml
    while data[entry + 46:entry + 46 + struct.unpack_from("<H", data, entry + 28)[0]] != b"word/document.xml":
        entry = data.find(b"PK\x01\x02", entry + 46)
    struct.pack_into("<I", data, entry + 24, 4096)                   # claims 4 KB inflated, not 100 MB
    path.write_bytes(bytes(data))
    result = measured(path)
    assert not result["read"] and result["type"] == "ReadError" and "not a readable .docx" in result["error"]


def test_docx_with_a_cell_spanning_3000000_columns_is_refused(tmp_path):
    table = (b"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>%s%s</w:tr></w:tbl>"
             % (cell("信息内容"), cell("123", b'<w:gridSpan w:val="3000000"/>')))
    path = docx_file(tmp_path / "gridspan.docx", paragraph(PROSE) + table)
    assert path.stat().st_size < 40_000
    error = refused(path, "MAX_SPAN")
    assert "table 1: a cell spans 3,000,000 columns, over the 200 limit (MAX_SPAN)" in error


def test_docx_table_of_too_many_spanned_cells_is_refused(tmp_path):
    row = b"<w:tr>%s</w:tr>" % (cell("1", b'<w:gridSpan w:val="200"/>') * 20)
    path = docx_file(tmp_path / "wide.docx", paragraph(PROSE) + b"<w:tbl>%s</w:tbl>" % (row * 20))
    assert "table 1 spans 52,000 cells, over the 50,000 limit (MAX_TABLE_CELLS)" in refused(path, "MAX_TABLE_CELLS")


def test_docx_vertical_merge_over_2000_rows_reads_in_one_pass(tmp_path):
    """python-docx resolves each continued cell by recursion through the rows above (RecursionError, and
    quadratic time); the reader follows the merge row by row."""
    first = b"<w:tr>%s%s</w:tr>" % (cell("信息内容", b'<w:vMerge w:val="restart"/>'), cell("0"))
    rows = [b"<w:tr>%s%s</w:tr>" % (cell("", b"<w:vMerge/>"), cell(str(i))) for i in range(1, 2000)]
    path = docx_file(tmp_path / "vmerge.docx", paragraph(PROSE) + b"<w:tbl>" + first + b"".join(rows) + b"</w:tbl>")
    result = measured(path)
    assert result["read"] and result["tables"] == 1
    doc = read_document(path)
    table = doc.tables[0]
    assert len(table.rows) == 2000 and all(row[0] is table.rows[0][0] for row in table.rows)
    assert [row[1].text for row in table.rows[:3]] == ["0", "1", "2"] and table.rows[0][0].text == "信息内容"


def test_docx_continuing_a_merge_in_its_first_row_reads_the_cell_as_its_own(tmp_path):
    table = b"<w:tbl><w:tr>%s%s</w:tr></w:tbl>" % (cell("行政许可", b"<w:vMerge/>"), cell("126"))
    doc = read_document(docx_file(tmp_path / "orphan.docx", paragraph(PROSE) + table))
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["行政许可", "126"]]


def test_docx_archive_of_6000_entries_is_refused(tmp_path):
    path = docx_file(tmp_path / "entries.docx", paragraph(PROSE))
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(6000):
            archive.writestr(f"word/media/e{i}.bin", b"")
    assert "the archive holds 6,0" in refused(path, "MAX_ARCHIVE_MEMBERS")


# ------------------------------------------------------------------------------------------------ HTML

@pytest.mark.parametrize("size", [20, 50])
def test_html_table_whose_spans_multiply_is_refused_before_expansion(tmp_path, size):
    row = "<tr>" + '<td rowspan="200" colspan="200">1</td>' * size + "</tr>"
    path = tmp_path / f"spans{size}.html"
    path.write_text(f"<html><body><p>{PROSE}</p><table>{row * size}</table></body></html>", encoding="utf-8")
    error = refused(path, "MAX_TABLE_CELLS")
    assert re.search(r"table 1 spans [\d,]+ cells, over the 50,000 limit \(MAX_TABLE_CELLS\)", error)


def test_html_of_a_million_tags_is_refused_before_parsing(tmp_path):
    path = tmp_path / "tags.html"
    path.write_text(f"<html><body><p>{PROSE}</p>" + "<b>1</b>" * 600_000 + "</body></html>", encoding="utf-8")
    assert "the page has 1,200,00" in refused(path, "MAX_MARKUP_TAGS")


def test_text_beyond_the_length_cap_is_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(PROSE * 60_000, encoding="utf-8")      # 2.4 M characters in 7 MB, under MAX_TEXT_BYTES
    assert path.stat().st_size < limits.MAX_TEXT_BYTES
    error = refused(path, "MAX_TEXT_CHARS")
    assert f"the report text has {len(PROSE) * 60_000:,} characters, over the 2,000,000 limit (MAX_TEXT_CHARS)" in error


# ------------------------------------------------------------------------------------------------- PDF

def test_pdf_with_a_compressed_stream_of_856_mb_is_refused(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(one_page_pdf(deflate_zeros(856), flate=True))
    assert path.stat().st_size < MiB
    error = refused(path, "MAX_PDF_STREAM_BYTES")
    assert "a PDF stream inflates to more than 64 MB, the MAX_PDF_STREAM_BYTES limit" in error


def test_pdf_of_401_pages_is_refused(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(one_page_pdf(TEXT_PAGE, pages=401))
    assert "the PDF has more than 400 pages, the MAX_PDF_PAGES limit" in refused(path, "MAX_PDF_PAGES")


@pytest.mark.slow                      # seconds of subprocesses or layout: the full run has it
def test_pdf_page_of_300000_glyphs_is_refused(tmp_path):
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(one_page_pdf(zlib.compress(b"BT /F1 1 Tf (" + b"a" * 300_000 + b") Tj ET"), flate=True))
    assert path.stat().st_size < 10_000
    assert "a page lays out 200,001 objects" in refused(path, "MAX_PDF_PAGE_OBJECTS")


def test_pdf_encrypted_with_a_user_password_needs_a_password(tmp_path):
    import pdfplumber
    data = encrypted_pdf(b"secret")
    with pdfplumber.open(io.BytesIO(data), password="secret") as pdf:     # a real encrypted PDF
        assert "123 items published" in pdf.pages[0].extract_text()
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    result = measured(path)
    assert not result["read"] and result["type"] == "ReadError"
    assert result["error"] == f"{path}: encrypted PDF that needs a password to open: save an unprotected copy"


def test_pdf_encrypted_for_its_owner_only_is_read(tmp_path):
    path = tmp_path / "owner_only.pdf"
    path.write_bytes(encrypted_pdf(b""))
    assert "123 items published" in read_document(path).text


# ------------------------------------------------------------------------------------ text and numerals

def test_utf8_file_cut_in_a_character_is_read_without_it(tmp_path, caplog):
    data = ("样例街道2021年政府信息公开工作年度报告\n本年度主动公开政府信息123条。全年收到申请4件" * 20).encode()
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1])                         # the last 件 loses its third byte
    result = measured(path)
    assert result["read"]
    with caplog.at_level(logging.WARNING, logger="gongkai"):
        doc = read_document(path)
    assert doc.encoding == "utf-8" and doc.text.endswith("全年收到申请4")
    assert f"{path}: UTF-8 text cut in the middle of a character" in caplog.text


def test_numerals_beyond_range_are_neither_an_exception_nor_inf(tmp_path):
    path = tmp_path / "numerals.txt"
    path.write_text("样例街道2021年政府信息公开工作年度报告\n"
                    f"本年度主动公开政府信息{'九' * 309}条。\n全年收到政府信息公开申请{'9' * 400}件。\n"
                    "其中同意公开4件。\n", encoding="utf-8")
    result = measured(path)
    assert result["read"]
    assert not any(math.isinf(value) for value in result["values"])
    assert 4.0 in result["values"]


def test_numerals_beyond_range_give_no_fact_but_a_finding(tmp_path):
    path = tmp_path / "numerals.txt"
    path.write_text(f"样例街道2021年政府信息公开工作年度报告\n本年度主动公开政府信息{'九' * 309}条。\n", encoding="utf-8")
    report = extract_report(read_document(path))
    assert all(math.isfinite(f.value) and abs(f.value) <= 1e12 for f in report.facts), [(f.metric, f.value) for f in report.facts]
    assert "proactive_items_total" not in {f.metric for f in report.facts}
    assert [(f.check, f.metric) for f in check_report(report) if f.check == "absurd"] == [("absurd", "proactive_items_total")]


def test_baseline_a_real_report(tmp_path):
    """The same measurement on a well-formed report, for comparison with the hostile ones."""
    result = measured(FIXTURES / "fmt2021" / "report.docx")
    assert result["read"] and result["tables"] == 6


# ------------------------------------------------------------------------------------- the time budget

def test_a_file_past_its_time_budget_is_refused_in_the_main_thread(monkeypatch):
    monkeypatch.setattr(limits, "READ_SECONDS", 0.05)
    started = time.monotonic()
    with pytest.raises(LimitError) as err:
        with limits.guard("slow.txt"):
            while True:                 # a reader that never checks the clock: SIGALRM stops it
                sum(range(1000))
    assert err.value.limit == "READ_SECONDS" and time.monotonic() - started < 2
    assert str(err.value).startswith("slow.txt: reading took longer than 0.05 s, the READ_SECONDS limit")


def test_a_file_past_its_time_budget_is_refused_in_a_worker_thread(monkeypatch):
    monkeypatch.setattr(limits, "READ_SECONDS", 0.0)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            read_document(FIXTURES / "fmt2021" / "report.html")
        except ReadError as exc:
            errors.append(exc)
    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert len(errors) == 1 and isinstance(errors[0], LimitError) and errors[0].limit == "READ_SECONDS"


# ---------------------------------------------------------------------------------- property-based tests

NUMERAL_CHARACTERS = "0123456789,.零〇一二两三四五六七八九十百千万余多约近逾%％ "


@settings(max_examples=50, deadline=None, database=None, derandomize=True)
@given(st.text(alphabet=NUMERAL_CHARACTERS, max_size=400) | st.sampled_from(["九" * 309, "9" * 400, "九" * 5000]))
def test_numerals_parse_or_raise_value_error_never_inf(text):
    for parse in (parse_value, parse_percent, lambda t: parse_quantity(t).value):
        try:
            value = parse(text)
        except ValueError:
            continue
        assert not math.isinf(value)
        assert Number(value).in_range or math.isnan(value)
    for m in re.finditer(QUANTITY, text):
        number = from_match(m)
        assert not math.isinf(number.value) and (number.in_range or math.isnan(number.value))
    try:
        chinese_to_int(text)
    except (ValueError, OverflowError):
        pass
    report = f"样例街道2021年政府信息公开工作年度报告\n本年度主动公开政府信息{text}条,其中机构职能类{text}条。收到申请{text}件。"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.txt"
        path.write_text(report, encoding="utf-8")
        facts = extract_report(read_document(path)).facts
    assert not any(math.isinf(f.value) for f in facts)


def _sources() -> list[tuple[Path, str]]:
    """(report file, what to damage): its bytes, or for a .docx also the XML of its text."""
    corpus_seeds = PROJECT_ROOT.parent / "shared" / "corpus" / "seeds"
    seeds = sorted(corpus_seeds.glob("*.txt")) if corpus_seeds.is_dir() else []
    fixtures = [FIXTURES / era / name for era in ("fmt2021", "fmt2019")
                for name in ("report.txt", "report.html", "report.docx")]
    return [(path, "bytes") for path in seeds + fixtures] + [
        (path, "document.xml") for path in fixtures if path.suffix == ".docx"]


SOURCES = _sources()
PAYLOADS = [b"9" * 400, "九".encode() * 309, b'<td rowspan="200" colspan="200">', b"\xff\xfe", b"\xe4\xb8",
            b"\x00" * 16, b"PK\x03\x04", b'<w:gridSpan w:val="3000000"/>', b"<w:vMerge/>", b"</w:tc>",
            "（一）予以公开".encode(), b"|" * 50, b"<table><tr><td>"]
mutation = st.tuples(st.sampled_from(["cut", "insert", "flip"]), st.floats(0, 1), st.integers(1, 4096),
                     st.sampled_from(PAYLOADS) | st.binary(min_size=1, max_size=64))


def mutate(data: bytes, mutations) -> bytes:
    for kind, where, length, payload in mutations:
        at = int(where * len(data))
        if kind == "cut":
            data = data[:at] + data[at + length:]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        elif data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << (length % 8))]) + data[at + 1:]
    return data


def damaged(source: Path, part: str, mutations) -> bytes:
    if part == "bytes":
        return mutate(source.read_bytes(), mutations)
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = original.read(name)
            copy.writestr(name, mutate(data, mutations) if name == "word/document.xml" else data)
    return buffer.getvalue()


@settings(max_examples=50, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.lists(mutation, min_size=1, max_size=6))
def test_damaged_real_reports_raise_nothing_but_gongkai_errors(source, mutations):
    path, part = source
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"damaged{path.suffix}"
        copy.write_bytes(damaged(path, part, mutations))
        try:
            extract_report(read_document(copy))
        except GongkaiError:
            pass


@pytest.mark.parametrize("body", ["1" * 200_000, pytest.param("1 " * 100_000, marks=pytest.mark.slow), "信息1条" * 50_000, "“" * 200_000,
                                  pytest.param("信访举报各1件、" * 70_000, marks=pytest.mark.slow)],
                         ids=["digit-run", "spaced-digits", "items", "quotes", "each-run"])
def test_extraction_of_a_long_hostile_text_stays_within_the_per_file_budget(body):
    """Reading is capped (MAX_TEXT_CHARS) and so must extraction be linear: a 200,000-character run of digits took
    about 9 minutes while a figure's pattern could start anywhere inside the run, and 100,000 spaced figures
    walked back over the whole sentence each; 'A、B各N条' lists without a full stop walked back over the clause."""
    from gongkai.model import Document
    text = "某街道2021年政府信息公开工作年度报告\n本年度主动公开政府信息" + body + "条。\n"
    started = time.monotonic()
    extract_report(Document(path="x.txt", text=text, kind="txt", sha="0" * 64))
    assert time.monotonic() - started < limits.READ_SECONDS
