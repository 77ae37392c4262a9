"""gongkai.build.inputs: the dataset snapshot read without pandas, and the hash that decides a rebuild."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from buildspace import DATASET, touch_fact
from gongkai.build import DataSnapshot, input_hash
from gongkai.build.inputs import file_sha256
from gongkai.errors import DatasetError, GongkaiError

XICHENG = ("xicheng.yuetan", "xicheng.jinrongjie", "xicheng.hostile1", "xicheng.hostile2", "xicheng.quzhengfu")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATASET, tmp_path / "data")
    return tmp_path / "data"


def hashes(data_dir: Path) -> dict[str, str]:
    """The input hashes of four briefs over data_dir: a district brief of two offices and three office briefs."""
    snap = DataSnapshot.read(data_dir)
    years = [2017, 2018, 2019]
    shown = ("xicheng.yuetan", "xicheng.jinrongjie")
    district = {"district": "西城区", "years": years, "offices": list(shown), "lang": "zh"}
    return {
        "district": input_hash("district", district, "nb", shown, "西城区", snap, "1"),
        **{office: input_hash("office", {"office_id": office, "years": years, "lang": "zh"}, "nb", (office,),
                              snap.offices[office]["district"], snap, "1")
           for office in ("xicheng.yuetan", "xicheng.hostile1", "miyun.guoyuan")}}


def test_snapshot_groups_the_dataset_by_district_and_year():
    snap = DataSnapshot.read(DATASET)
    assert snap.districts == {"西城区", "密云区"}
    assert tuple(snap.offices_of("西城区")) == XICHENG          # registry order
    assert snap.offices_of("东城区") == [] and snap.offices_of(None) == []
    assert snap.years_of("西城区") == [2017, 2018, 2019] and snap.years_of("密云区") == [2017]
    assert snap.known_years == {2017, 2018, 2019}
    assert snap.years_with_reports(["xicheng.hostile2"]) == [2018, 2019]
    assert snap.years_with_reports(["xicheng.hostile2", "miyun.guoyuan"]) == [2017, 2018, 2019]
    assert snap.offices["xicheng.hostile1"]["name"] == "<script>alert(1)</script>街道"
    # the rows of an office-year from every table: yuetan 2017 has 9 facts and 1 report,
    # hostile1 2018 a fact, a report and a finding
    assert len(snap.rows[("xicheng.yuetan", 2017)]) == 10
    assert sorted(r[0] for r in snap.rows[("xicheng.hostile1", 2018)]) == ["F", "N", "R"]


def test_a_registry_without_tables_is_no_dataset(tmp_path):
    shutil.copy(DATASET / "offices.csv", tmp_path / "offices.csv")
    with pytest.raises(GongkaiError, match=f"no dataset in {tmp_path}: facts.csv, reports.csv, findings.csv missing"):
        DataSnapshot.read(tmp_path)


def test_a_cut_table_is_refused_as_load_refuses_it(data):
    facts = data / "facts.csv"
    facts.write_bytes(facts.read_bytes()[:-200])
    with pytest.raises(DatasetError, match=f"^{data / 'facts.csv'}: the file ends in the middle of a row"):
        DataSnapshot.read(data)


def test_a_corrected_figure_rebuilds_the_briefs_that_show_it(data):
    before = hashes(data)
    assert hashes(data) == before                                    # deterministic
    touch_fact(data, "xicheng.hostile1")
    after = hashes(data)
    # hostile1 is not shown in the district brief, but it is in the district median of every 西城区 office brief
    assert {k for k in before if before[k] != after[k]} == {"xicheng.yuetan", "xicheng.hostile1"}
    touch_fact(data, "miyun.guoyuan")
    assert {k for k, v in hashes(data).items() if v != after[k]} == {"miyun.guoyuan"}


def test_row_order_does_not_matter_but_a_finding_does(data):
    before = hashes(data)
    for table in ("facts.csv", "reports.csv", "findings.csv"):
        header, *rows = (data / table).read_text(encoding="utf-8").splitlines()
        (data / table).write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    assert hashes(data) == before
    with (data / "findings.csv").open("a", encoding="utf-8") as f:     # a new finding on yuetan's 2018 report
        f.write("ed6e187342f1,shares_vs_counts,warning,proactive_share_by_category,,,,占比与条数不符\n")
    changed = {k for k, v in hashes(data).items() if v != before[k]}
    assert changed == {"district", "xicheng.yuetan", "xicheng.hostile1"}


def drop_rows(data: Path, office_id: str, year: int) -> None:
    """Remove the reports of an office-year with their facts and findings rows (the dataset stays consistent)."""
    with (data / "reports.csv").open(encoding="utf-8", newline="") as f:
        gone = {r["report"] for r in csv.DictReader(f) if r["office_id"] == office_id and r["year"] == str(year)}
    assert gone
    for table in ("facts.csv", "reports.csv", "findings.csv"):
        lines = (data / table).read_text(encoding="utf-8").splitlines()
        (data / table).write_text("\n".join(line for line in lines if line.split(",")[0] not in gone) + "\n",
                                  encoding="utf-8")


def test_the_year_before_counts_and_the_years_after_do_not(data):
    span = DataSnapshot.read(data).office_digest(("xicheng.yuetan",), [2019])
    assert span != DataSnapshot.read(data).office_digest(("xicheng.yuetan",), [2018, 2019])
    # the window 2019 reads 2018 (year-on-year) as well: dropping 2017 rows leaves it, dropping 2018 rows changes it
    drop_rows(data, "xicheng.yuetan", 2017)
    assert DataSnapshot.read(data).office_digest(("xicheng.yuetan",), [2019]) == span
    drop_rows(data, "xicheng.yuetan", 2018)
    assert DataSnapshot.read(data).office_digest(("xicheng.yuetan",), [2019]) != span


def test_version_notebook_and_parameters_are_inputs():
    snap = DataSnapshot.read(DATASET)
    params = {"office_id": "miyun.guoyuan", "years": [2017], "lang": "zh"}
    base = input_hash("office", params, "nb", ("miyun.guoyuan",), "密云区", snap, "1")
    assert input_hash("office", params, "nb", ("miyun.guoyuan",), "密云区", snap, "2") != base
    assert input_hash("office", params, "nb2", ("miyun.guoyuan",), "密云区", snap, "1") != base
    assert input_hash("office", dict(params, lang="en"), "nb", ("miyun.guoyuan",), "密云区", snap, "1") != base


def test_file_sha256(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"abc")
    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
