"""extraction_cache: entries hold extraction only, keyed by content hash and the extraction code (not the checks)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai import config, extraction_cache
from gongkai.dataset import load
from gongkai.extraction_cache import (EXTRACTION_CODE, code_fingerprint, extract_cached, extraction_fingerprint,
                                      report_from_json, report_to_json)
from gongkai import ingest as ingest_module
from gongkai.ingest import ingest
from gongkai.model import Finding
from report_texts import report_text, write_reports

from conftest import FIXTURES


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the gongkai package that the fingerprint is computed from (edits stay in tmp_path)."""
    copy = tmp_path / "gongkai"
    shutil.copytree(config.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", copy)
    extraction_fingerprint.cache_clear()
    yield copy
    extraction_fingerprint.cache_clear()


def edit(package: Path, module: str) -> None:
    """Change the source of a module (module.py, or every file of the package module/) by a comment line."""
    files = [package / f"{module}.py"] if (package / f"{module}.py").is_file() else list((package / module).glob("*.py"))
    assert files, module
    for path in files:
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited: a new message wording\n", encoding="utf-8")


def test_fingerprint_follows_the_extraction_code_and_not_the_checks(package_copy):
    before = code_fingerprint(package_copy, EXTRACTION_CODE, "0.1.0")
    edit(package_copy, "checks")
    assert code_fingerprint(package_copy, EXTRACTION_CODE, "0.1.0") == before
    assert code_fingerprint(package_copy, EXTRACTION_CODE, "0.1.1") != before
    edit(package_copy, "extract")
    assert code_fingerprint(package_copy, EXTRACTION_CODE, "0.1.0") != before


def test_editing_a_check_keeps_cached_extractions_and_its_new_message_shows(tmp_path, package_copy, monkeypatch):
    reports = write_reports(tmp_path)
    data = tmp_path / "data"
    first = ingest([reports], data)
    assert (first.extracted, first.cached) == (3, 0)
    edit(package_copy, "checks")
    extraction_fingerprint.cache_clear()
    second = ingest([reports], data)
    assert (second.extracted, second.cached) == (0, 3)
    # the checks run on every report, cached or not: a changed check speaks in the next ingest
    monkeypatch.setattr(ingest_module, "check_report", lambda report: [Finding("T0", "warning", "edited check")])
    ingest([reports], data)
    assert list(load(data).findings["message"]) == ["edited check"] * 3
    edit(package_copy, "extract")
    extraction_fingerprint.cache_clear()
    assert ingest([reports], data).extracted == 3


def test_an_entry_holds_what_extraction_found_and_no_check_results(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(report_text(total=130), encoding="utf-8")    # categories 100 + 20 < 130: a P-1 check finding
    report, cached = extract_cached(path, "f" * 64, tmp_path / "cache")
    assert not cached
    entry = json.loads(extraction_cache.entry_path(tmp_path / "cache", "f" * 64).read_text(encoding="utf-8"))
    assert entry["meta"]["office"] == "样例街道" and entry["meta"]["year"] == 2017
    assert {(f["metric"], f["value"]) for f in entry["facts"]} >= {("proactive_items_total", 130)}
    assert "findings" not in entry and entry["conflicts"] == []
    again, cached = extract_cached(path, "f" * 64, tmp_path / "cache")
    assert cached and again == report


def test_an_unreadable_entry_is_extracted_again(tmp_path, caplog):
    path = tmp_path / "r.txt"
    path.write_text(report_text(), encoding="utf-8")
    extract_cached(path, "a" * 64, tmp_path / "cache")
    extraction_cache.entry_path(tmp_path / "cache", "a" * 64).write_text("{not json", encoding="utf-8")
    report, cached = extract_cached(path, "a" * 64, tmp_path / "cache")
    assert not cached and report.meta.year == 2017
    assert "unreadable cache entry" in caplog.text


def test_json_round_trip_keeps_the_original_url_as_source(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("url: https://example.org/r.html\n\n" + report_text(), encoding="utf-8")
    report, _ = extract_cached(path, "b" * 64, None)
    assert report.source == "https://example.org/r.html"
    back = report_from_json(json.loads(json.dumps(report_to_json(report))), str(path))
    assert back == report


def test_every_module_extraction_runs_is_in_the_fingerprint():
    """Extraction of a text, an HTML and a Word report imports only files that EXTRACTION_CODE covers."""
    files = [FIXTURES / "fmt2021" / name for name in ("report.txt", "report.html", "report.docx")]
    script = ("import sys; from gongkai.extract import extract_file\n"
              f"for f in {[str(f) for f in files]!r}: extract_file(f)\n"
              "print('\\n'.join(m.__file__ for n, m in list(sys.modules.items()) "
              "if n.startswith('gongkai') and getattr(m, '__file__', None)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    package = Path(gongkai.__file__).parent
    used = {Path(f).resolve().relative_to(package.resolve()) for f in out.split()}
    covered = {p.relative_to(package) for pattern in EXTRACTION_CODE for p in package.glob(pattern)}
    assert {Path("reading.py"), Path("extract/__init__.py")} <= used
    assert used - covered <= {Path("__init__.py"), Path("config.py")}, used - covered
