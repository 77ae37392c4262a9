"""store: the three tables written atomically as a set (temp files, fsync, commit marker, roll-forward), read typed."""
from __future__ import annotations

import io
import json
import os

import pytest

from gongkai import store
from gongkai.atomic import FILE_MODE
from gongkai.errors import DatasetError
from gongkai.model import FACT_COLUMNS
from gongkai.store import COMMIT_MARKER, TABLES, commit_tables, csv_value, read_table, recover, write_rows

FACT = {"report": "baa442a6c93f", "office_id": "xicheng.yuetan", "office": "月坛街道", "district": "西城区",
        "year": 2017, "metric": "proactive_items_total", "dim": "", "value": 267.0, "unit": "条",
        "qualifier": "exact", "method": "text", "start": 1338, "end": 1359, "quote": "本单位2017年共主动公开政府信息267条"}
REPORT = {"report": "baa442a6c93f", "source": "https://example.org/yuetan/2017.html", "office_id": "xicheng.yuetan",
          "office": "月坛街道", "district": "西城区", "year": 2017, "title_year": 2016, "era": "pre2019",
          "full_year": True, "facts": 1, "errors": 0, "warnings": 1}
FINDING = {"report": "baa442a6c93f", "check": "title_year", "severity": "warning", "metric": "", "dim": "",
           "expected": 2017.0, "actual": 2016.0, "message": "title says 2016 but the figures are for 2017"}


def tables(value: float = 267.0) -> dict[str, list[dict]]:
    """The three tables of one report whose one figure (and so its reports row's `facts` cell) is value."""
    return {"facts.csv": [FACT | {"value": value}], "reports.csv": [REPORT | {"facts": int(value)}],
            "findings.csv": [FINDING]}


def files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("value, cell", [(None, ""), (float("nan"), ""), (267.0, 267), (2.9, 2.9), (1e16, 1e16),
                                         ("月坛", "月坛"), (True, True)])
def test_csv_value(value, cell):
    assert csv_value(value) == cell


def test_write_rows_writes_whole_numbers_without_a_decimal_point():
    out = io.StringIO()
    write_rows(out, FACT_COLUMNS, [FACT, FACT | {"value": 2.9, "start": None, "quote": 'say "hi", 2'}])
    assert out.getvalue().splitlines() == [
        ",".join(FACT_COLUMNS),
        "baa442a6c93f,xicheng.yuetan,月坛街道,西城区,2017,proactive_items_total,,267,条,exact,text,1338,1359,"
        "本单位2017年共主动公开政府信息267条",
        'baa442a6c93f,xicheng.yuetan,月坛街道,西城区,2017,proactive_items_total,,2.9,条,exact,text,,1359,'
        '"say ""hi"", 2"']


def test_commit_then_read_gives_the_contracts_dtypes(tmp_path):
    commit_tables(tmp_path, tables())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TABLES)
    facts = read_table(tmp_path / "facts.csv", TABLES["facts.csv"])
    reports = read_table(tmp_path / "reports.csv", TABLES["reports.csv"])
    findings = read_table(tmp_path / "findings.csv", TABLES["findings.csv"])
    assert facts.iloc[0][["value", "year", "start", "dim", "quote"]].tolist() == [
        267.0, 2017, 1338, "", "本单位2017年共主动公开政府信息267条"]
    assert (str(facts["year"].dtype), str(facts["value"].dtype), str(facts["dim"].dtype)) == ("Int64", "float64", "string")
    assert (reports.iloc[0]["full_year"], str(reports["full_year"].dtype), reports.iloc[0]["title_year"]) == (True, "boolean", 2016)
    assert findings.iloc[0][["expected", "actual", "check"]].tolist() == [2017.0, 2016.0, "title_year"]


def test_read_table_refuses_a_file_that_lacks_columns(tmp_path):
    (tmp_path / "old.csv").write_text("report,metric,value\nr1,proactive_items_total,3\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=f"^{tmp_path / 'old.csv'}:1: the header lacks office_id, office, district, "
                                           f"year, dim, unit, qualifier, method, start, end, quote"):
        read_table(tmp_path / "old.csv", FACT_COLUMNS)


def test_tables_get_the_ordinary_file_mode(tmp_path):
    commit_tables(tmp_path, tables())
    assert {oct(os.stat(tmp_path / n).st_mode & 0o777) for n in TABLES} == {oct(FILE_MODE)}


def test_a_crash_before_the_marker_leaves_the_previous_tables_and_no_temp_files(tmp_path, monkeypatch):
    commit_tables(tmp_path, tables(267.0))
    before = files(tmp_path)
    real = store._write_csv
    calls = []

    def crash_on_third(path, columns, rows):
        calls.append(path)
        real(path, columns, rows)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_write_csv", crash_on_third)
    with pytest.raises(OSError, match="No space"):
        commit_tables(tmp_path, tables(999.0))
    assert files(tmp_path) == before


def test_a_crash_between_replaces_is_rolled_forward_by_the_next_reader_or_writer(tmp_path, monkeypatch):
    commit_tables(tmp_path, tables(267.0))
    real_replace = os.replace
    done = []

    def crash_after_first_table(src, dst):
        if str(dst).endswith(".csv"):
            if done:
                raise KeyboardInterrupt
            done.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", crash_after_first_table)
    with pytest.raises(KeyboardInterrupt):
        commit_tables(tmp_path, tables(999.0))
    monkeypatch.setattr(store.os, "replace", real_replace)
    marker = json.loads((tmp_path / COMMIT_MARKER).read_text(encoding="utf-8"))
    assert sorted(marker.values()) == sorted(TABLES)                  # the set to finish, named by the marker
    reports = TABLES["reports.csv"]
    assert read_table(tmp_path / "facts.csv", FACT_COLUMNS).iloc[0]["value"] == 999   # the first table moved,
    assert read_table(tmp_path / "reports.csv", reports).iloc[0]["facts"] == 267      # the second did not
    recover(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TABLES)
    assert read_table(tmp_path / "reports.csv", reports).iloc[0]["facts"] == 999
    assert read_table(tmp_path / "facts.csv", FACT_COLUMNS).iloc[0]["value"] == 999


def test_recover_drops_temp_files_of_a_commit_that_never_got_its_marker(tmp_path):
    commit_tables(tmp_path, tables())
    before = files(tmp_path)
    (tmp_path / ".facts.csv.abc123.tmp").write_text("half", encoding="utf-8")
    recover(tmp_path)
    assert files(tmp_path) == before
