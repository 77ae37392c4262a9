"""ingest: report files -> facts/reports/findings; checks after extraction, cache, duplicates, bad input, offices."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from gongkai import ingest as ingest_module
from gongkai import store
from gongkai.formats import limits
from gongkai.dataset import load
from gongkai.errors import GongkaiError
from gongkai.ingest import ingest, report_files
from gongkai.model import Finding
from report_texts import report_text, write_reports


@pytest.fixture
def reports_dir(tmp_path):
    return write_reports(tmp_path)


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    return d


def value(ds, office, year, metric, dim=""):
    f = ds.facts
    row = f[(f["office"] == office) & (f["year"] == year) & (f["metric"] == metric) & (f["dim"] == dim)]
    assert len(row) == 1, row
    return row.iloc[0]


def test_the_seed_reports_give_their_facts_findings_and_offices(corpus_dir, data_dir):
    summary = ingest([corpus_dir / "seeds"], data_dir)
    assert (summary.files, summary.reports, summary.facts, summary.errors, summary.warnings) == (2, 2, 25, 0, 3)
    assert summary.failed == [] and summary.new_offices == []      # both offices are in data/offices.csv
    ds = load(data_dir)
    reports = ds.reports.set_index("office_id")
    yuetan, guoyuan = reports.loc["xicheng.yuetan"], reports.loc["miyun.guoyuan"]
    assert (yuetan.year, yuetan.title_year, yuetan.era, yuetan.full_year, yuetan.facts) == (2017, 2016, "pre2019", True, 22)
    assert (guoyuan.year, guoyuan.full_year, guoyuan.facts, guoyuan.district) == (2017, False, 3, "密云区")
    assert value(ds, "月坛街道", 2017, "proactive_items_total")["quote"] == "本单位2017年共主动公开政府信息267条"
    derived = value(ds, "月坛街道", 2016, "proactive_items_total")
    assert (derived["value"], derived["qualifier"], derived["quote"]) == (210, "derived", "比去年增加57条")
    assert value(ds, "月坛街道", 2017, "consultations_by_channel", "phone")["value"] == 3054
    assert value(ds, "果园街道", 2017, "proactive_items_by_category", "work_updates")["value"] == 92
    found = ds.findings.merge(ds.reports[["report", "office_id"]], on="report")
    assert sorted(zip(found["office_id"], found["check"], found["severity"])) == [
        ("miyun.guoyuan", "partial_period", "warning"), ("xicheng.yuetan", "P-1", "warning"),
        ("xicheng.yuetan", "title_year", "warning")]
    by_check = found.set_index("check")
    assert (by_check.loc["P-1", "expected"], by_check.loc["P-1", "actual"]) == (244, 267)   # Σ categories, total
    assert (by_check.loc["title_year", "expected"], by_check.loc["title_year", "actual"]) == (2017, 2016)


def test_ingest_writes_the_three_tables_with_contract_columns(reports_dir, data_dir):
    summary = ingest([reports_dir], data_dir)
    assert (summary.files, summary.reports, summary.failed) == (3, 3, [])
    for name, columns in store.TABLES.items():
        assert pd.read_csv(data_dir / name, nrows=0).columns.tolist() == columns
    ds = load(data_dir)
    assert value(ds, "样例街道", 2017, "proactive_items_total")["value"] == 120
    assert value(ds, "示范街道", 2017, "proactive_items_by_category", "notices")["value"] == 2
    assert value(ds, "示范街道", 2017, "req_new", "total")["value"] == 0          # "0件" is a figure, not a gap
    assert set(ds.reports["district"]) == {"样例区"}
    assert len(set(ds.reports["office_id"])) == 2
    assert {oid for oid, *_ in summary.new_offices} == set(ds.reports["office_id"])
    fact = value(ds, "样例街道", 2017, "proactive_items_total")
    assert fact["quote"] == "本街道共主动公开政府信息120条" and fact["method"] == "text"
    assert ds.reports.set_index("report").loc[fact["report"], "source"].endswith("yangli_2017.txt")


def test_unchanged_files_are_taken_from_the_cache(reports_dir, data_dir):
    first = ingest([reports_dir], data_dir)
    tables = {n: (data_dir / n).read_bytes() for n in store.TABLES}
    assert (first.extracted, first.cached) == (3, 0)
    second = ingest([reports_dir], data_dir)
    assert (second.extracted, second.cached) == (0, 3)
    assert {n: (data_dir / n).read_bytes() for n in store.TABLES} == tables     # the cache gives the same tables
    (reports_dir / "样例区" / "yangli_2017.txt").write_text(report_text(total=121, work=101), encoding="utf-8")
    third = ingest([reports_dir], data_dir)
    assert (third.extracted, third.cached) == (1, 2)
    assert value(load(data_dir), "样例街道", 2017, "proactive_items_total")["value"] == 121
    assert ingest([reports_dir], data_dir, force=True).extracted == 3


def test_checks_run_after_extraction_on_cached_reports_too(reports_dir, data_dir, monkeypatch):
    ingest([reports_dir], data_dir)
    before = load(data_dir).findings
    assert "made_up" not in set(before["check"])
    monkeypatch.setattr(ingest_module, "check_report", lambda report: [
        Finding(check="made_up", severity="error", message=f"{report.meta.office} {report.meta.year}")])
    summary = ingest([reports_dir], data_dir)
    assert summary.cached == 3 and summary.errors == 3
    made_up = load(data_dir).findings.query("check == 'made_up'")
    assert sorted(made_up["message"]) == ["样例街道 2016", "样例街道 2017", "示范街道 2017"]


def test_a_report_without_year_or_office_gets_each_finding_once(tmp_path, data_dir, monkeypatch):
    # given as a bare file name, the file has no folder to name an office either
    (tmp_path / "x.txt").write_text("全年共主动公开政府信息12条,其中通知公告12条。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    summary = ingest(["x.txt"], data_dir)
    ds = load(data_dir)
    assert sorted(ds.findings["check"]) == ["no_office", "no_year"]
    assert (summary.errors, ds.reports.iloc[0]["errors"], ds.reports.iloc[0]["office_id"]) == (2, 2, "")
    assert sorted(ds.facts["value"]) == [12, 12] and ds.facts["year"].isna().all()     # kept, year unknown


def test_a_report_without_figures_is_kept_and_flagged(tmp_path, data_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nofigures.txt").write_text("样例区样例街道2017年政府信息公开工作年度报告\n本年度工作平稳有序。\n",
                                          encoding="utf-8")
    summary = ingest([folder], data_dir)
    ds = load(data_dir)
    assert summary.reports == 1 and ds.reports.iloc[0]["facts"] == 0 and ds.facts.empty
    flagged = ds.findings.set_index("check").loc["no_figures"]
    assert (flagged.severity, flagged.message.startswith(str(folder / "nofigures.txt"))) == ("warning", True)


def test_conflicting_reports_for_one_office_year_are_both_kept(reports_dir, data_dir):
    (reports_dir / "样例区" / "yangli_2017_copy.txt").write_text(report_text(total=130, work=110), encoding="utf-8")
    ingest([reports_dir], data_dir)
    ds = load(data_dir)
    f = ds.facts
    totals = f[(f["office"] == "样例街道") & (f["year"] == 2017) & (f["metric"] == "proactive_items_total")]
    assert sorted(totals["value"]) == [120, 130]
    conflicts = ds.findings[ds.findings["check"] == "conflict"]
    assert len(conflicts) == 1 and conflicts.iloc[0]["report"] in set(totals["report"])    # one per office-year
    assert all("yangli_2017.txt" in m and "yangli_2017_copy.txt" in m for m in conflicts["message"])


def test_identical_copies_are_read_once(reports_dir, data_dir):
    src = reports_dir / "样例区" / "yangli_2017.txt"
    (reports_dir / "copy.txt").write_bytes(src.read_bytes())
    summary = ingest([reports_dir], data_dir)
    assert summary.reports == 3
    assert summary.duplicates == [(str(src), str(reports_dir / "copy.txt"))]   # copy.txt is found first


@pytest.mark.parametrize("change, last_year, g2", [(30, 90, False), (20, 100, True)])
def test_last_years_figure_is_derived_and_checked_against_last_years_report(tmp_path, data_dir, change,
                                                                          last_year, g2):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(report_text(year=2016, total=90, work=80, notices=10), encoding="utf-8")
    text = report_text(year=2017, total=120).replace("政府信息120条,", f"政府信息120条,比去年增加{change}条,")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    ingest([folder], data_dir)
    ds = load(data_dir)
    derived = ds.facts[ds.facts["qualifier"] == "derived"]
    assert derived[["year", "metric", "value", "quote"]].values.tolist() == [
        [2016, "proactive_items_total", last_year, f"比去年增加{change}条"]]
    g2_rows = ds.findings[ds.findings["check"] == "G-2"]
    if g2:
        assert (len(g2_rows), g2_rows.iloc[0].expected, g2_rows.iloc[0].actual) == (1, 90, 100)
    else:
        assert g2_rows.empty


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_bad_input_each_gets_a_message_and_the_batch_goes_on(tmp_path, data_dir):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "truncated_gbk.txt").write_bytes(report_text().rstrip().encode("gbk")[:-1])
    (folder / "table.xyz").write_bytes(b"a,b\n1,2\n")
    with open(folder / "huge.txt", "wb") as f:
        f.seek(50 * 2**20)
        f.write(b"x")
    (folder / "scripts.html").write_text("<html><body>" + "<script>var n = '主动公开信息9条';</script>" * 500
                                         + "</body></html>", encoding="utf-8")
    (folder / "hostile<script>.txt").write_text(report_text(office="<script>alert(1)</script>街道"),
                                               encoding="utf-8")
    before = _snapshot(folder)
    summary = ingest([folder], data_dir)
    failed = dict(summary.failed)
    expected = {"empty.txt": "empty file", "binary.txt": "binary content", "truncated_gbk.txt": "truncated",
                "table.xyz": "unknown extension .xyz", "huge.txt": "too large for a report",
                "scripts.html": "no text in the HTML page"}
    assert {Path(p).name: next(e for e in expected.values() if e in problem) for p, problem in failed.items()} \
        == expected
    ds = load(data_dir)
    assert summary.reports == 2
    assert all(oid.replace(".", "").isalnum() for oid in ds.reports["office_id"] if oid)   # ids stay safe
    assert _snapshot(folder) == before                              # inputs untouched, bytes and mtimes


def test_files_over_the_size_limit_are_neither_read_nor_hashed(tmp_path, data_dir, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BINARY_BYTES", 4096)       # the one limit, shared by ingest and reading
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text(), encoding="utf-8")
    (folder / "big.docx").write_bytes(b"PK\x03\x04" + b"\0" * 5000)
    real, hashes = ingest_module.extract_cached, {}

    def spy(path, sha, *args):
        hashes[path.name] = sha
        return real(path, sha, *args)

    monkeypatch.setattr(ingest_module, "extract_cached", spy)
    summary = ingest([folder], data_dir)
    assert hashes["big.docx"] == hashlib.sha256(b"").hexdigest()
    assert hashes["good.txt"] == hashlib.sha256(report_text().encode()).hexdigest()
    assert [(Path(p).name, problem) for p, problem in summary.failed] == [
        ("big.docx", "too large for a report: 0.0 MB, over the 0.0 MB limit (MAX_BINARY_BYTES)")]


def test_an_extractor_bug_is_reported_with_its_file(reports_dir, data_dir, monkeypatch):
    real = ingest_module.extract_cached

    def broken_for_one(path, *args):
        if path.name == "other_2017.txt":
            raise ZeroDivisionError("division by zero")
        return real(path, *args)

    monkeypatch.setattr(ingest_module, "extract_cached", broken_for_one)
    summary = ingest([reports_dir], data_dir)
    assert summary.reports == 2
    assert [(Path(p).name, problem) for p, problem in summary.failed] == [
        ("other_2017.txt", "extraction failed: ZeroDivisionError: division by zero")]


def test_no_report_found_leaves_the_dataset_alone(reports_dir, data_dir, tmp_path):
    ingest([reports_dir], data_dir)
    before = _snapshot(data_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("nothing", encoding="utf-8")
    with pytest.raises(GongkaiError, match="no report could be read under .*empty \\(0 file"):
        ingest([empty], data_dir)
    assert {k: v for k, v in _snapshot(data_dir).items() if "/.cache/" not in k} == \
        {k: v for k, v in before.items() if "/.cache/" not in k}


def test_crash_while_writing_leaves_the_previous_tables(reports_dir, data_dir, monkeypatch):
    ingest([reports_dir], data_dir)
    before = {n: (data_dir / n).read_bytes() for n in store.TABLES}
    (reports_dir / "样例区" / "yangli_2017.txt").write_text(report_text(total=999, work=979), encoding="utf-8")
    real = store._write_csv
    calls = []

    def crash_on_second(path, columns, rows):
        calls.append(path)
        if len(calls) == 2:
            real(path, columns, rows[: len(rows) // 2])     # half a file written, then the power goes
            raise KeyboardInterrupt
        real(path, columns, rows)

    monkeypatch.setattr(store, "_write_csv", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        ingest([reports_dir], data_dir)
    assert {n: (data_dir / n).read_bytes() for n in store.TABLES} == before
    assert sorted(p.name for p in data_dir.iterdir()) == sorted([*store.TABLES, store.SOURCES, ".cache"])  # no temp
    # files left, and no lock: it went with the ingest


def test_registry_aliases_give_one_office_id_across_renames(tmp_path, data_dir):
    (data_dir / "offices.csv").write_text("office_id,name,aliases,district,kind\n"
                                          "yangli.shifan,示范街道,旧区示范街道,样例区,street\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "new.txt").write_text(report_text(office="示范街道", year=2017), encoding="utf-8")
    (folder / "old.txt").write_text(report_text(office="示范街道", year=2009).replace("样例区示范街道", "旧区示范街道"),
                                    encoding="utf-8")
    summary = ingest([folder], data_dir)
    ds = load(data_dir)
    assert sorted(zip(ds.reports["year"], ds.reports["office_id"])) == [(2009, "yangli.shifan"),
                                                                          (2017, "yangli.shifan")]
    assert summary.new_offices == []


def test_office_hints_win_over_the_name_in_the_text(reports_dir, data_dir):
    (data_dir / "offices.csv").write_text("office_id,name,aliases,district,kind\n"
                                          "yangli.hinted,提示街道,,样例区,street\n", encoding="utf-8")
    path = reports_dir / "样例区" / "other_2017.txt"
    ingest([reports_dir], data_dir, office_hints={str(path): "yangli.hinted"})
    reports = load(data_dir).reports
    hinted = reports[reports["source"] == str(path)].iloc[0]
    assert (hinted.office_id, hinted.office, hinted.district) == ("yangli.hinted", "提示街道", "样例区")


def test_report_files_skips_hidden_files_and_readmes(reports_dir, tmp_path):
    names = [p.name for p in report_files([reports_dir])]
    assert names == ["other_2017.txt", "yangli_2016.txt", "yangli_2017.txt"]
    with pytest.raises(GongkaiError, match="no such file or folder"):
        report_files([tmp_path / "nowhere"])


def test_every_corpus_file_ingests_without_an_exception(corpus_dir, tmp_path):
    parts = [corpus_dir / "seeds", corpus_dir / "pages", corpus_dir / "full"]
    files = [p for part in parts for p in part.iterdir() if p.is_file()]
    summary = ingest(parts, tmp_path / "data")
    assert summary.failed == []
    assert summary.reports + len(summary.duplicates) == len(files)
    assert summary.facts > 0
