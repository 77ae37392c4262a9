"""The `gongkai` console commands ingest / extract / check, run as separate processes like a user or scorer."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.dataset import ingest
from gongkai.model import FACT_COLUMNS

PROJECT = Path(__file__).resolve().parents[1]
REPORT = ("样例区样例街道2018年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2018年1月1日起至2018年12月31日止。\n"
          "2018年,本街道共主动公开政府信息64条,其中通知公告14条。\n")


def gongkai(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or PROJECT, env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "in" / "yangli_2018.txt"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_extract_csv_with_source_exactly_as_given(report_file, tmp_path):
    before = sorted(p.name for p in (PROJECT / "data").iterdir())
    result = gongkai("extract", "in/yangli_2018.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == FACT_COLUMNS + ["source"]
    assert {r["source"] for r in rows} == {"in/yangli_2018.txt"}
    total = next(r for r in rows if r["metric"] == "proactive_items_total")
    assert (total["year"], total["value"], total["unit"]) == ("2018", "64", "条")
    assert sorted(p.name for p in (PROJECT / "data").iterdir()) == before      # data/ untouched


def test_extract_json_and_exit_1_when_a_file_cannot_be_read(report_file, tmp_path):
    missing = tmp_path / "missing.txt"
    result = gongkai("extract", "--format", "json", missing, report_file)
    assert result.returncode == 1
    assert str(missing) in result.stderr
    facts = json.loads(result.stdout)
    assert facts and {f["source"] for f in facts} == {str(report_file)}
    assert {f["metric"] for f in facts} >= {"proactive_items_total"}
    assert all(isinstance(f["year"], int) for f in facts)


def test_ingest_and_check_commands(report_file, tmp_path):
    data = tmp_path / "data"
    result = gongkai("ingest", report_file.parent, "--data", data)
    assert result.returncode == 0, result.stderr
    assert "ingested 1 report(s)" in result.stdout and "new office" in result.stdout
    check = gongkai("check", "--data", data)
    assert check.returncode == 0 and "0 error(s)" in check.stdout
    findings = data / "findings.csv"
    lines = findings.read_text(encoding="utf-8").splitlines()
    rid = (data / "reports.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    findings.write_text("\n".join(lines + [f"{rid},T3-1,error,req_new,total,3,4,made up for the test"]) + "\n",
                        encoding="utf-8")
    check = gongkai("check", "--data", data)
    assert check.returncode == 1 and "made up for the test" in check.stdout
    assert gongkai("ingest", tmp_path / "nothing-here", "--data", data).returncode == 1


def test_every_corpus_file_ingests_without_an_exception(corpus_dir, tmp_path):
    parts = [corpus_dir / "seeds", corpus_dir / "pages", corpus_dir / "full"]
    files = [p for part in parts for p in part.iterdir() if p.is_file()]
    summary = ingest(parts, tmp_path / "data")
    assert summary.failed == []
    assert summary.reports + len(summary.duplicates) == len(files)
    assert summary.facts > 0


def test_extract_forty_corpus_files_in_one_process(corpus_dir):
    files = sorted((corpus_dir / "pages").glob("*.txt"))[:40]
    result = gongkai("extract", *files)
    assert result.returncode == 0, result.stderr
    assert len({r["source"] for r in csv.DictReader(io.StringIO(result.stdout))}) > 10
