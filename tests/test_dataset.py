"""dataset: load() gives the contract's tables with their dtypes, completes an interrupted commit, fails clearly."""
from __future__ import annotations

import json
import shutil

import pytest

import gongkai
from gongkai import config
from gongkai.dataset import Dataset, load
from gongkai.errors import GongkaiError
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS
from gongkai.registry import OFFICE_COLUMNS
from gongkai.store import COMMIT_MARKER, TABLES


@pytest.fixture(scope="module")
def sample() -> Dataset:
    """The committed sample dataset (data/)."""
    return load()


def test_the_committed_sample_has_the_contracts_columns_and_dtypes(sample):
    assert list(sample.facts.columns) == FACT_COLUMNS and list(sample.reports.columns) == REPORT_COLUMNS
    assert list(sample.findings.columns) == FINDING_COLUMNS and list(sample.offices.columns) == OFFICE_COLUMNS
    dtypes = {c: str(sample.facts[c].dtype) for c in ("year", "value", "start", "metric", "dim")}
    assert dtypes == {"year": "Int64", "value": "float64", "start": "Int64", "metric": "string", "dim": "string"}
    assert str(sample.reports["full_year"].dtype) == "boolean" and str(sample.findings["expected"].dtype) == "float64"
    assert sample.data_dir == config.DATA_DIR


def test_the_committed_sample_holds_the_seed_figures_with_their_quotes(sample):
    f = sample.facts
    yuetan = f[(f.office_id == "xicheng.yuetan") & (f.metric == "proactive_items_total")].sort_values("year")
    assert yuetan[["year", "value", "qualifier", "quote"]].values.tolist() == [
        [2016, 210, "derived", "比去年增加57条"], [2017, 267, "exact", "本单位2017年共主动公开政府信息267条"]]
    report = sample.reports.set_index("report").loc[yuetan.iloc[0]["report"]]
    assert (report.source, report.title_year, report.era) == ("../shared/corpus/seeds/xicheng_yuetan_2017.txt",
                                                              2016, "pre2019")


def test_the_committed_sample_follows_the_contract(sample):
    assert set(sample.facts["report"]) <= set(sample.reports["report"])
    assert set(sample.findings["report"]) <= set(sample.reports["report"])
    assert set(sample.reports["office_id"]) <= set(sample.offices["office_id"])
    assert sample.reports["source"].str.startswith("http").mean() > 0.9       # the original pages, not our copies
    assert sample.facts["quote"].str.len().max() <= 80
    counts = sample.facts.groupby("report").size()
    assert (sample.reports.set_index("report")["facts"] == counts.reindex(sample.reports["report"]).fillna(0)
            .astype(int).values).all()
    # one office id across the 2010 merger: 大栅栏 reported as 宣武区 in 2009 and as 西城区 in 2016
    assert sorted(sample.reports.query("office_id == 'xicheng.dashilan'")["year"]) == [2009, 2016]


def test_gongkai_load_is_dataset_load(tmp_path):
    shutil.copytree(config.PROJECT_ROOT / "tests" / "fixtures" / "dataset_small", tmp_path / "d")
    ds = gongkai.load(tmp_path / "d")
    assert isinstance(ds, Dataset) and ds.data_dir == tmp_path / "d"
    assert (len(ds.facts), len(ds.reports), len(ds.findings), len(ds.offices)) == (51, 13, 4, 6)
    assert ds.facts.iloc[0][["office_id", "year", "value", "quote"]].tolist() == [
        "xicheng.yuetan", 2017, 267, "本年度共主动公开政府信息267条"]


def test_load_without_dataset_names_the_folder_and_what_is_missing(tmp_path):
    with pytest.raises(GongkaiError, match=f"no dataset in {tmp_path}: facts.csv, reports.csv, findings.csv missing"):
        load(tmp_path)
    (tmp_path / "facts.csv").write_text(",".join(FACT_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(GongkaiError, match="reports.csv, findings.csv missing"):
        load(tmp_path)


def test_load_without_a_registry_gives_an_empty_offices_frame(tmp_path):
    for name, columns in TABLES.items():
        (tmp_path / name).write_text(",".join(columns) + "\n", encoding="utf-8")
    ds = load(tmp_path)
    assert ds.offices.empty and list(ds.offices.columns) == OFFICE_COLUMNS
    assert ds.facts.empty and list(ds.facts.columns) == FACT_COLUMNS


def test_load_completes_an_interrupted_commit_first(tmp_path):
    for name, columns in TABLES.items():
        (tmp_path / name).write_text(",".join(columns) + "\n", encoding="utf-8")
    # the state a crash leaves after the marker: facts.csv already replaced, reports.csv still to move
    (tmp_path / ".reports.csv.x1.tmp").write_text(
        ",".join(REPORT_COLUMNS) + "\nr1,a.txt,yangli.a,甲街道,样例区,2017,2017,pre2019,True,1,0,0\n", encoding="utf-8")
    (tmp_path / "facts.csv").write_text(
        ",".join(FACT_COLUMNS) + "\nr1,yangli.a,甲街道,样例区,2017,proactive_items_total,,64,条,exact,text,1,9,共64条\n",
        encoding="utf-8")
    (tmp_path / COMMIT_MARKER).write_text(json.dumps({".reports.csv.x1.tmp": "reports.csv"}), encoding="utf-8")
    ds = load(tmp_path)
    assert ds.reports[["report", "office_id", "year", "facts"]].values.tolist() == [["r1", "yangli.a", 2017, 1]]
    assert ds.facts.iloc[0]["value"] == 64
    assert not (tmp_path / COMMIT_MARKER).exists() and not (tmp_path / ".reports.csv.x1.tmp").exists()
