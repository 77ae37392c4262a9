"""reading: the extension picks the reader, each file is read inside its guard, a bad file is a ReadError naming it."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits, pdf, plain, web, word
from gongkai.reading import MAX_TEXT_BYTES, READERS, read_document

from conftest import PROJECT_ROOT

@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"  \n", "empty file"),
    ("binary.txt", bytes(range(256)) * 40, "binary content"),
    ("renamed.txt", b"%PDF-1.7\n" + bytes(range(256)) * 4, "a PDF file"),
    ("truncated.txt", "政府信息公开工作年度报告".encode("gbk")[:-1], "truncated"),
    ("report.xyz", b"text", "unknown extension .xyz"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "save it as .docx"),
])
def test_bad_files_raise_read_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert message in err.value.problem
    assert err.value.path == str(path) and str(path) in str(err.value)


def test_a_50_mb_text_file_is_refused_quickly_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.write(("主动公开政府信息1条。\n" * 1000).encode("utf-8") * (50 * 2**20 // 31000))
    assert path.stat().st_size > MAX_TEXT_BYTES
    started = time.perf_counter()
    with pytest.raises(LimitError, match=r"too large for a report: \d+ MB, over the 16 MB limit \(MAX_TEXT_BYTES\)$") as err:
        read_document(path)
    assert time.perf_counter() - started < 1.0 and err.value.limit == "MAX_TEXT_BYTES"


def test_a_docx_or_pdf_over_the_binary_cap_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BINARY_BYTES", 1000)
    for name in ("big.docx", "big.pdf"):
        (tmp_path / name).write_bytes(b"x" * 1001)
        with pytest.raises(LimitError) as err:
            read_document(tmp_path / name)
        assert err.value.limit == "MAX_BINARY_BYTES"


def test_each_extension_has_the_reader_of_its_format():
    assert READERS[".txt"] is READERS[".md"] is plain.read_text_file
    assert READERS[".html"] is READERS[".htm"] is READERS[".shtml"] is web.read_html_file
    assert READERS[".docx"] is word.read_docx_file and READERS[".pdf"] is pdf.read_pdf_file


def test_a_reader_runs_inside_the_guard_of_its_file(tmp_path, monkeypatch):
    seen = []

    def reader(path, data):
        seen.append(limits.active())
        return plain.read_text_file(path, data)
    monkeypatch.setitem(READERS, ".txt", reader)
    path = tmp_path / "r.txt"
    path.write_text("本年度主动公开政府信息12条。", encoding="utf-8")
    read_document(path)
    assert seen[0] is not None and seen[0].path == str(path)
    assert limits.active() is None                          # and the guard ends with the read


def test_the_readers_never_import_reading():
    """One way only: reading dispatches to gongkai.formats, no module of gongkai.formats imports reading."""
    code = ("import pkgutil, importlib, sys, gongkai.formats as f\n"
            "for m in pkgutil.iter_modules(f.__path__): importlib.import_module('gongkai.formats.' + m.name)\n"
            "assert 'gongkai.reading' not in sys.modules, 'gongkai.reading was imported'\n"
            "print(len(list(pkgutil.iter_modules(f.__path__))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(PROJECT_ROOT / "lib"), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 9
