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
    assert [(r["metric"], r["dim"], r["year"], r["value"], r["unit"], r["office_id"], r["source"]) for r in rows] == [
        ("proactive_items_total", "", "2018", "64", "条", "yangli.yangli", "in/yangli_2018.txt"),
        ("proactive_items_by_category", "notices", "2018", "14", "条", "yangli.yangli", "in/yangli_2018.txt")]
    assert sorted(p.name for p in (PROJECT / "data").iterdir()) == before      # data/ untouched


def test_extract_json_and_exit_1_when_a_file_cannot_be_read(report_file, tmp_path):
    missing = tmp_path / "missing.txt"
    result = gongkai("extract", "--format", "json", missing, report_file)
    assert result.returncode == 1
    assert result.stderr == f"gongkai extract: {missing}: cannot open: No such file or directory\n"
    facts = json.loads(result.stdout)
    assert [(f["metric"], f["year"], f["value"], f["source"]) for f in facts] == [
        ("proactive_items_total", 2018, 64.0, str(report_file)),
        ("proactive_items_by_category", 2018, 14.0, str(report_file))]


@pytest.mark.slow                      # seconds of subprocesses or layout: the full run has it
def test_ingest_and_check_commands(report_file, tmp_path):
    data = tmp_path / "data"
    result = gongkai("ingest", "in", "--data", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ingested 1 report(s) of 1 file(s) into data (1 extracted, 0 unchanged): 2 facts, 0 error and 1 warning "
        "finding(s)", "  new office (not in offices.csv): yangli.yangli 样例街道 (样例区)",
        "1 office(s) not in data/offices.csv yet: check these lines (kind is guessed from the name: street, town, "
        "area_office, district_government or department), then register them with `gongkai offices add` or paste "
        "them into offices.csv:", "yangli.yangli,样例街道,,样例区,street"]
    check = gongkai("check", "--data", data)
    assert check.returncode == 0
    rid = (data / "reports.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    assert check.stdout.splitlines() == [
        f"warning P-1            {rid} in/yangli_2018.txt: P-1: proactive_items_total 64, but Σ "
        "proactive_items_by_category 14", "1 report(s): 0 error(s), 1 warning(s)"]
    findings = data / "findings.csv"
    lines = findings.read_text(encoding="utf-8").splitlines()
    findings.write_text("\n".join(lines + [f"{rid},T3-1,error,req_new,total,3,4,made up for the test"]) + "\n",
                        encoding="utf-8")
    check = gongkai("check", "--data", data, "--severity", "error")
    assert check.returncode == 1
    assert check.stdout.splitlines() == [f"error   T3-1           {rid} in/yangli_2018.txt: made up for the test",
                                         "1 report(s): 1 error(s), 1 warning(s)"]
    again = gongkai("ingest", "in", "--data", "data", cwd=tmp_path)
    assert "(0 extracted, 1 unchanged)" in again.stdout.splitlines()[0]
    nothing = gongkai("ingest", tmp_path / "nothing-here", "--data", data)
    assert (nothing.returncode, nothing.stdout) == (1, "")
    assert nothing.stderr == f"gongkai ingest: {tmp_path / 'nothing-here'}: no such file or folder\n"


def test_check_without_a_dataset_exits_2(tmp_path):
    result = gongkai("check", "--data", tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"gongkai check: no dataset in {tmp_path}: facts.csv")


def test_extract_forty_corpus_files_in_one_process(corpus_dir):
    files = sorted((corpus_dir / "pages").glob("*.txt"))[:40]
    result = gongkai("extract", *files)
    assert result.returncode == 0, result.stderr
    assert len({r["source"] for r in csv.DictReader(io.StringIO(result.stdout))}) > 10
