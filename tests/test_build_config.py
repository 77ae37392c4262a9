"""gongkai.build.config: briefs.yaml expanded into briefs, and every mistake named with its line."""
from __future__ import annotations

import textwrap

import pytest

from buildspace import PROJECT_ROOT, make_workspace
from gongkai.build import DataSnapshot, load_config
from gongkai.errors import ConfigError


def test_config_expands_offices_and_years(tmp_path):
    config = load_config(make_workspace(tmp_path, textwrap.dedent("""\
        data: data
        briefs:
          - kind: district
            district: 西城区
            years: last 2 years
          - kind: office
            district: 西城区
            offices: all
            years: 2017-2018
        """)))
    district, *offices = config.briefs
    assert district.params == {"district": "西城区", "years": [2018, 2019], "offices": [], "lang": "zh"}
    assert set(district.offices) == {"xicheng.yuetan", "xicheng.jinrongjie", "xicheng.hostile1", "xicheng.hostile2"}
    # hostile2 has no 2017 report: its brief still spans 2017-2018 (the gap shows); every office gets one,
    # the district government too (its district-wide report is left out of the district brief's comparison)
    assert {o.params["office_id"]: o.params["years"] for o in offices} == {
        "xicheng.yuetan": [2017, 2018], "xicheng.jinrongjie": [2017, 2018], "xicheng.hostile1": [2017, 2018],
        "xicheng.hostile2": [2017, 2018], "xicheng.quzhengfu": [2017, 2018]}
    assert {o.district for o in offices} == {"西城区"} and all(o.offices == (o.office_id,) for o in offices)
    # an office without any report in the window gets no brief under `offices: all`
    only_2017 = load_config(make_workspace(tmp_path, "data: data\nbriefs:\n  - kind: office\n    district: 西城区\n"
                                                     "    years: 2017\n"))
    assert {b.office_id for b in only_2017.briefs} == {"xicheng.yuetan", "xicheng.jinrongjie", "xicheng.hostile1",
                                                       "xicheng.quzhengfu"}
    assert config.output_dir == (PROJECT_ROOT / "outputs").resolve()
    assert config.data_dir == tmp_path / "data"
    assert district.notebook == PROJECT_ROOT / "notebooks" / "district_brief.ipynb"


def test_years_all_lists_and_languages(tmp_path):
    config = load_config(make_workspace(tmp_path, textwrap.dedent("""\
        data: data
        output: built
        lang: en
        notebooks:
          office: nb/brief_small.ipynb
        briefs:
          - kind: district
            district: 西城区
            offices: [xicheng.hostile2]
          - kind: office
            offices: [xicheng.yuetan]
            years: [2019, 2017]
            lang: zh
        """)))
    district, office = config.briefs
    # years: all = the years in which the brief's offices have a report (hostile2: 2018 and 2019)
    assert district.params == {"district": "西城区", "years": [2018, 2019], "offices": ["xicheng.hostile2"],
                               "lang": "en"}
    assert office.params == {"office_id": "xicheng.yuetan", "years": [2017, 2019], "lang": "zh"}
    assert office.notebook == tmp_path / "nb" / "brief_small.ipynb"
    assert district.notebook == PROJECT_ROOT / "notebooks" / "district_brief.ipynb"
    assert config.output_dir == tmp_path / "built"


def test_the_shipped_config_builds_two_districts_and_their_offices():
    config = load_config()                     # briefs.yaml at the project root, over the sample data
    districts = [b for b in config.briefs if b.kind == "district"]
    assert [(b.params["district"], b.params["years"][0], b.params["years"][-1]) for b in districts] == [
        ("平潭综合实验区", 2019, 2025), ("西城区", 2013, 2018)]
    pingtan = {b.office_id for b in config.briefs if b.kind == "office" and b.district == "平潭综合实验区"}
    assert {"pingtan.quzhengfu", "pingtan.haitanpianqu", "pingtan.jinjingpianqu", "pingtan.junshanpianqu",
            "pingtan.supingpianqu", "pingtan.touzicujinju"} <= pingtan
    assert "pingtan.nongyeju" not in pingtan          # 2011 only: no report in 2019-2025, no brief
    assert "pingtan.quzhengfu" not in districts[0].offices      # the government is not ranked against its offices
    assert sum(b.kind == "office" and b.district == "西城区" for b in config.briefs) >= 15


@pytest.mark.parametrize("body, line, words", [
    ("briefs:\n  - kind: district\n    district: 西城区\n    colour: red\n", 4, "unknown key 'colour'"),
    ("outputs: out\nbriefs:\n  - kind: district\n    district: 西城区\n", 1, "unknown key 'outputs'"),
    ("briefs:\n  - kind: office\n    offices:\n      - xicheng.yuetan\n      - xicheng.nowhere\n", 5,
     "unknown office 'xicheng.nowhere'"),
    ("briefs:\n  - kind: district\n    district: 西城区\n  - kind: office\n    offices: [miyun.guoyuan]\n"
     "    notebook: nb/missing.ipynb\n", 6, "notebook not found"),
    ("briefs:\n  - kind: district\n    district: 东城区\n", 3,
     "unknown district '东城区'; did you mean 西城区? (districts with reports: 密云区, 西城区)"),
    ("briefs:\n  - kind: office\n    offices: [xicheng.yuetna]\n", 3,
     "unknown office 'xicheng.yuetna'; did you mean xicheng.yuetan? (offices with reports: "),
    ("briefs:\n  - kind: office\n    district: 西城区\n    offices: [月坛街道]\n", 4,
     "unknown office '月坛街道'; did you mean xicheng.yuetan? (offices of 西城区 with reports: xicheng.yuetan, "),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: 2019-2017\n", 4, "runs backwards"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: 2001-2005\n", 4,
     "no report of 西城区 in 2001–2005 (years with reports: 2017–2019)"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: [2001, 2003]\n", 4, "in 2001, 2003"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: last 0 years\n", 4, "needs N >= 1"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: [twenty]\n", 4, "a list must hold years"),
    ("briefs:\n  - kind: office\n    offices: [miyun.guoyuan]\n    years: 2018\n", 4,
     "office miyun.guoyuan has no report in 2018 (years with reports: 2017)"),
    ("briefs:\n  - kind: street\n", 2, "kind must be one of"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    lang: fr\n", 4, "lang must be one of zh, en"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    district: 密云区\n", 4, "duplicate key"),
    ("briefs:\n  - kind: office\n    district: 西城区\n    offices: [miyun.guoyuan]\n", 4, "is in 密云区"),
    ("briefs:\n  - kind: district\n", 2, "a district brief needs 'district'"),
    ("briefs:\n  - kind: office\n    offices: all\n", 2, "offices: 'all' needs a district"),
])
def test_config_errors_name_the_line(tmp_path, body, line, words):
    with pytest.raises(ConfigError) as caught:
        load_config(make_workspace(tmp_path, "data: data\n" + body))
    assert caught.value.line == line + 1, str(caught.value)      # +1: the data: line above
    assert words in str(caught.value)
    assert f"briefs.yaml:{line + 1}:" in str(caught.value)


def test_a_district_whose_only_report_is_its_governments_gets_one_sentence(tmp_path):
    config_path = make_workspace(tmp_path, "data: data\nbriefs:\n  - kind: district\n    district: 西城区\n"
                                           "  - kind: office\n    district: 西城区\n    offices: all\n")
    reports = tmp_path / "data" / "reports.csv"
    header, *rows = reports.read_text(encoding="utf-8").splitlines()
    kept = [r for r in rows if "quzhengfu" in r]
    reports.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    ids = {r.split(",")[0] for r in kept}
    for name in ("facts.csv", "findings.csv"):          # the tables stay one consistent dataset
        table = tmp_path / "data" / name
        head, *lines = table.read_text(encoding="utf-8").splitlines()
        table.write_text("\n".join([head, *(r for r in lines if r.split(",")[0] in ids)]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert caught.value.line == 4
    assert caught.value.message == (
        "西城区 has no report from an office under it, only the district government's own report (西城区人民政府 "
        "(xicheng.quzhengfu)), which covers the whole district and so is not compared with offices under it: its "
        "office brief shows it (kind: office, district: 西城区, offices: [xicheng.quzhengfu])")
    config_path.write_text("data: data\nbriefs:\n  - kind: office\n    district: 西城区\n    offices: all\n",
                           encoding="utf-8")
    assert [b.office_id for b in load_config(config_path).briefs] == ["xicheng.quzhengfu"]


@pytest.mark.parametrize("text, words", [
    ("", "the config is empty"),
    ("briefs: [\n", "not valid YAML"),
    ("data: data\nbriefs: []\n", "'briefs' must be a non-empty list"),
    ("data: nowhere\nbriefs:\n  - kind: district\n    district: 西城区\n", "no dataset at"),
])
def test_config_errors_without_an_entry(tmp_path, text, words):
    with pytest.raises(ConfigError) as caught:
        load_config(make_workspace(tmp_path, text))
    assert words in str(caught.value) and str(tmp_path / "briefs.yaml") in str(caught.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nothing.yaml")
    assert "cannot read the config" in str(caught.value)


def test_a_given_snapshot_is_used_instead_of_the_data_folder(tmp_path):
    config_path = make_workspace(tmp_path, "data: elsewhere\nbriefs:\n  - kind: office\n    district: 密云区\n")
    snapshot = DataSnapshot.read(tmp_path / "data")
    config = load_config(config_path, data=snapshot)
    assert config.data is snapshot and [b.office_id for b in config.briefs] == ["miyun.guoyuan"]
