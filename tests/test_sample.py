"""sample: the corpus's complete district and its Beijing reports -> registered offices and an ingested dataset
(always in tmp_path, from a few real corpus files)."""
from __future__ import annotations

import shutil

import pytest

from gongkai.dataset import load
from gongkai.errors import GongkaiError
from gongkai.registry import load_registry
from gongkai.sample import (beijing_reports, build_sample, district_reports, header_office_name, is_beijing,
                            office_id_from_name, read_header, sample_district_offices, update_registry)

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


# the sample district: an area office, the government, a department across its 2024 rename, the county's police
DISTRICT_FILES = ["htp_2023", "ptzhsyq_2024", "gyz_2023", "tcj_2024", "gaj_2010"]


@pytest.fixture
def district_corpus(small_corpus, corpus_dir):
    """small_corpus plus five reports of the corpus's complete district and their index.csv lines."""
    lines = (corpus_dir / "district" / "index.csv").read_text(encoding="utf-8").splitlines()
    (small_corpus / "district" / "reports").mkdir(parents=True)
    keep = [lines[0]] + [line for line in lines[1:] if line.split(",")[0][len("reports/"):-4] in DISTRICT_FILES]
    (small_corpus / "district" / "index.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    for stem in DISTRICT_FILES:
        shutil.copy(corpus_dir / "district" / "reports" / f"{stem}.txt", small_corpus / "district" / "reports")
    return small_corpus


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


@pytest.mark.parametrize("printed, name", [("大栅栏街道(原)", "大栅栏街道"), ("北京市 (市级部门)", "北京市"),
                                           ("镇(名称未见于摘录;据“永乐月报”推断为永乐店镇)", "永乐店镇")])
def test_header_office_name(printed, name):
    assert header_office_name(printed) == name


def test_the_sample_districts_offices_are_registry_rows():
    offices = {o.office_id: o for o in sample_district_offices()}
    assert {o.district for o in offices.values()} == {"平潭综合实验区"}
    assert (offices["pingtan.touzicujinju"].aliases, offices["pingtan.haitanpianqu"].kind) == (["国有资产管理局"],
                                                                                                "area_office")
    assert [o for o, office in offices.items() if office.kind == "district_government"] == [
        "pingtan.quzhengfu", "pingtan.xianzhengfu"]     # the area's 管委会 and the county's own government


def test_district_reports_take_their_office_from_the_index(district_corpus):
    found = [(p.name, office_id, printed) for p, office_id, printed, _ in
             district_reports(district_corpus, sample_district_offices())]
    assert found == [("htp_2023.txt", "pingtan.haitanpianqu", "平潭综合实验区海坛片区管理局"),
                     ("ptzhsyq_2024.txt", "pingtan.quzhengfu", "平潭综合实验区"),
                     ("gaj_2010.txt", "pingtan.gonganju", "平潭县公安局"),
                     ("gyz_2023.txt", "pingtan.touzicujinju", "平潭综合实验区国有资产管理局"),
                     ("tcj_2024.txt", "pingtan.touzicujinju", "平潭综合实验区投资促进局")]
    assert district_reports(district_corpus.parent / "nowhere", sample_district_offices()) == []


def test_an_index_office_the_table_lacks_is_a_clear_error(district_corpus):
    index = district_corpus / "district" / "index.csv"
    index.write_text(index.read_text(encoding="utf-8") + "reports/x_2024.txt,平潭综合实验区气象局,department,2024,u\n",
                     encoding="utf-8")
    with pytest.raises(GongkaiError, match="index.csv:7: office '平潭综合实验区气象局' is not in "
                                           "gongkai/data/sample_district_offices.csv"):
        district_reports(district_corpus, sample_district_offices())


def test_build_sample_ingests_the_district_with_its_urls(district_corpus, tmp_path):
    data = tmp_path / "data"
    done = build_sample(district_corpus, data)
    assert (done.district_reports, done.district, done.reports) == (5, "平潭综合实验区", 4)
    assert (done.offices_added, done.ingest.reports, done.ingest.failed, done.ingest.new_offices) == (8, 9, [], [])
    ds = load(data)
    offices = ds.offices.set_index("office_id")
    assert offices.loc["pingtan.haitanpianqu", ["name", "district", "kind"]].tolist() == [
        "海坛片区管理局", "平潭综合实验区", "area_office"]
    assert "pingtan.nongyeju" not in offices.index            # no report in this corpus: not registered
    reports = ds.reports[ds.reports.district == "平潭综合实验区"].set_index(["office_id", "year"])
    assert reports.loc[("pingtan.touzicujinju", 2023), "source"] == \
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqgyz/zfxxgknb/202401/t20240126_86550.htm"
    assert sorted(reports.index) == [("pingtan.gonganju", 2010), ("pingtan.haitanpianqu", 2023),
                                     ("pingtan.quzhengfu", 2024), ("pingtan.touzicujinju", 2023),
                                     ("pingtan.touzicujinju", 2024)]
    facts = ds.facts.set_index(["office_id", "year", "metric", "dim"])["value"]
    assert facts[("pingtan.haitanpianqu", 2023, "proactive_items_total", "")] == 159
    assert facts[("pingtan.gonganju", 2010, "proactive_items_total", "")] == 8
