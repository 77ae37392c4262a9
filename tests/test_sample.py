"""sample: the Beijing reports of a corpus -> registered offices and an ingested dataset (always in tmp_path)."""
from __future__ import annotations

import shutil

import pytest

from gongkai.dataset import load
from gongkai.errors import GongkaiError
from gongkai.registry import load_registry
from gongkai.sample import beijing_reports, build_sample, is_beijing, office_id_from_name, read_header, update_registry

PAGES = ["miyun_dachengzi_2023.txt", "beijing-shihuanbaoju_2017.txt",             # Beijing: a town, a city bureau
         "chongqing-nanchuan_xicheng_2024.txt", "anhui-fengyang_zongpu_2013.txt"]  # elsewhere: left out


@pytest.fixture
def small_corpus(corpus_dir, tmp_path):
    """The two seeds and four pages of the real corpus, copied to tmp_path/corpus."""
    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir / "seeds", root / "seeds")
    (root / "pages").mkdir()
    for name in PAGES:
        shutil.copy(corpus_dir / "pages" / name, root / "pages" / name)
    return root


@pytest.mark.parametrize("stem, office_id", [("xicheng_yuetan_2017", "xicheng.yuetan"),
                                             ("beijing-shixinfangban_2009_big5", "beijing.shixinfangban"),
                                             ("miyun_dachengzi_2023", "miyun.dachengzi"),
                                             ("notes", None), ("xicheng_2017", None)])
def test_office_id_from_name(stem, office_id):
    assert office_id_from_name(stem) == office_id


@pytest.mark.parametrize("district, beijing", [("密云区", True), ("北京市 (市级部门)", True), ("北京市西城区", True),
                                               ("重庆市南川区", False), ("", False)])
def test_is_beijing(district, beijing):
    assert is_beijing(district) is beijing


def test_read_header_takes_the_provenance_lines(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("url: https://example.org/x.html\ndistrict: 密云区\noffice: 大城子镇\n\n正文: 不是表头\n",
                    encoding="utf-8")
    assert read_header(path) == {"url": "https://example.org/x.html", "district": "密云区", "office": "大城子镇"}


def test_update_registry_adds_offices_with_their_former_names_and_keeps_rows(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("office_id,name,aliases,district,kind\nmiyun.guoyuan,果园街道,,密云区,street\n", encoding="utf-8")
    entries = [(tmp_path / "a.txt", "xicheng.dashilan", "大栅栏街道", "西城区"),
               (tmp_path / "b.txt", "miyun.guoyuan", "密云区果园街道办事处", "密云区"),   # same office: no alias
               (tmp_path / "c.txt", "miyun.guoyuan", "果园地区(原)", "密云区")]             # another name: an alias
    assert update_registry(entries, path) == 1
    offices = load_registry(path).offices
    assert (offices["xicheng.dashilan"].aliases, offices["xicheng.dashilan"].kind) == (["宣武区大栅栏街道"], "street")
    assert offices["miyun.guoyuan"].aliases == ["果园地区"]


def test_beijing_reports_of_a_corpus(small_corpus):
    found = [(p.name, office_id, name, district) for p, office_id, name, district in beijing_reports(small_corpus)]
    assert found == [("miyun_guoyuan_2017.txt", "miyun.guoyuan", "果园街道", "密云区"),
                     ("xicheng_yuetan_2017.txt", "xicheng.yuetan", "月坛街道", "西城区"),
                     ("beijing-shihuanbaoju_2017.txt", "beijing.shihuanbaoju", "北京市环境保护局", "北京市"),
                     ("miyun_dachengzi_2023.txt", "miyun.dachengzi", "大城子镇", "密云区")]


def test_build_sample_registers_and_ingests_the_beijing_reports(small_corpus, tmp_path):
    data = tmp_path / "data"
    done = build_sample(small_corpus, data)
    assert (done.reports, done.offices_added, done.registry) == (4, 4, data / "offices.csv")
    assert (done.ingest.reports, done.ingest.facts, done.ingest.failed, done.ingest.new_offices) == (4, 31, [], [])
    ds = load(data)
    assert sorted(ds.offices["office_id"]) == ["beijing.shihuanbaoju", "miyun.dachengzi", "miyun.guoyuan",
                                               "xicheng.yuetan"]
    reports = ds.reports.set_index("office_id")
    assert reports.loc["miyun.dachengzi", "source"] == \
        "https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/gknb2023/202401/t20240118_273722.html"
    assert reports.loc["xicheng.yuetan", "source"].endswith("corpus/seeds/xicheng_yuetan_2017.txt")
    assert not reports.loc["xicheng.yuetan", "source"].startswith("/")          # relative to the project
    facts = ds.facts.set_index(["office_id", "year", "metric", "dim"])["value"]
    assert facts[("miyun.dachengzi", 2023, "proactive_items_total", "")] == 102
    assert facts[("miyun.dachengzi", 2023, "req_new", "total")] == 10
    assert facts[("xicheng.yuetan", 2017, "proactive_items_total", "")] == 267
    again = build_sample(small_corpus, data)
    assert (again.offices_added, again.ingest.cached) == (0, 4)


def test_build_sample_without_a_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(GongkaiError, match="no corpus at .*expected pages/ and seeds/"):
        build_sample(tmp_path / "nowhere", tmp_path / "data")
    assert not (tmp_path / "data").exists()
