"""registry: office ids stable across renames, names without their prefixes, new offices, placing a report,
the offices.csv lines of unregistered offices and adding them."""
from __future__ import annotations

import re

import pytest

from gongkai import config
from gongkai.errors import RegistryError
from gongkai.registry import (OFFICE_COLUMNS, Office, Placement, Registry, add_offices, canonical_district,
                              canonical_name, display_name, load_registry, looks_like_office, office_kind, office_kinds,
                              office_line, parse_office_lines, save_registry, unregistered_in, unregistered_offices)


@pytest.fixture(scope="module")
def beijing() -> Registry:
    """The committed registry of the sample dataset."""
    return load_registry(config.DATA_DIR / "offices.csv")


@pytest.mark.parametrize("given, district", [("北京市西城区", "西城区"), ("北京市 (市级部门)", "北京市"),
                                             ("福建省平潭综合实验区", "平潭综合实验区"), ("安徽省安庆市", "安庆市"),
                                             ("", "")])
def test_canonical_district(given, district):
    assert canonical_district(given) == district


@pytest.mark.parametrize("name, district, key", [("北京市西城区月坛街道办事处", "西城区", "月坛街道"),
                                                 ("西城区人民政府", "西城区", "西城区人民政府"),
                                                 ("东城区审计局", "", "审计局"), ("月坛 街道", "", "月坛街道")])
def test_canonical_name(name, district, key):
    assert canonical_name(name, district) == key


@pytest.mark.parametrize("name, kind", [("月坛街道办事处", "street"), ("西集镇", "town"), ("南口地区", "town"),
                                        ("东城区人民政府", "district_government"), ("区政府", "district_government"),
                                        ("东城区审计局", "department")])
def test_office_kind(name, kind):
    assert office_kind(name) == kind


def test_a_former_name_resolves_to_todays_office(beijing):
    assert beijing.resolve("宣武区大栅栏街道", "宣武区").office_id == "xicheng.dashilan"     # before the 2010 merger
    assert beijing.resolve("大栅栏街道", "西城区").office_id == "xicheng.dashilan"
    assert beijing.resolve("北京市西城区月坛街道办事处").office_id == "xicheng.yuetan"
    assert beijing.resolve("大栅栏街道", "密云区") is None         # a district with offices of its own: not there
    assert beijing.resolve("") is None


def test_a_name_in_two_districts_needs_its_district():
    registry = Registry([Office("jia.shifan", "示范街道", "甲区", "street"), Office("yi.shifan", "示范街道", "乙区", "street")])
    assert registry.resolve("示范街道") is None
    assert registry.resolve("示范街道", "乙区").office_id == "yi.shifan"


def test_a_new_office_gets_a_pinyin_id_and_a_kind():
    registry = load_registry(config.DATA_DIR / "offices.csv")
    made = [registry.new_office(name, district) for name, district in
            [("样例街道办事处", "样例区"), ("平谷区人民政府", "平谷区"), ("西城区气象局", "西城区")]]
    assert [(o.office_id, o.name, o.district, o.kind) for o in made] == [
        ("yangli.yangli", "样例街道办事处", "样例区", "street"),
        ("pinggu.quzhengfu", "平谷区人民政府", "平谷区", "district_government"),
        ("xicheng.qixiangju", "西城区气象局", "西城区", "department")]
    assert registry.resolve("西城区气象局", "西城区").office_id == "xicheng.qixiangju"   # known from now on


def test_another_office_with_the_same_pinyin_gets_a_numbered_id():
    registry = Registry([Office("jia.shifan", "示范街道", "甲区", "street")])
    assert registry.new_office("示範街道", "甲区").office_id == "jia.shifan2"


def test_place_takes_the_district_from_a_district_folder():
    registry = load_registry(config.DATA_DIR / "offices.csv")
    assert registry.place("月坛街道", "", "reports") == Placement("xicheng.yuetan", "月坛街道", "西城区", False)
    assert registry.place("", "", "西城区") == Placement("", "", "西城区", False)
    assert registry.place("新街道", "", "北京市") == Placement("beijing.xin", "新街道", "北京市", True)
    assert registry.place("新街道", "北京市朝阳区", "北京市") == Placement("chaoyang.xin", "新街道", "朝阳区", True)
    assert registry.place("", "", "reports") == Placement("", "", "", False)


def test_save_and_load_round_trip(tmp_path, beijing):
    path = tmp_path / "offices.csv"
    save_registry(beijing, path)
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    assert header.split(",") == OFFICE_COLUMNS and len(rows) == len(beijing.offices) == 107
    assert "xicheng.dashilan,大栅栏街道,宣武区大栅栏街道,西城区,street" in rows
    assert "pingtan.touzicujinju,投资促进局,国有资产管理局,平潭综合实验区,department" in rows
    again = load_registry(path)
    assert again.rows() == beijing.rows()
    assert load_registry(tmp_path / "missing.csv").offices == {}


def test_a_row_without_kind_gets_one_from_its_name(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("office_id,name,aliases,district,kind\njia.xiji,西集镇,西集乡| ,甲区,\n,无编号街道,,甲区,\n",
                    encoding="utf-8")
    registry = load_registry(path)
    assert list(registry.offices) == ["jia.xiji"]
    office = registry.offices["jia.xiji"]
    assert (office.kind, office.aliases) == ("town", ["西集乡"])
    assert registry.resolve("西集乡", "甲区").office_id == "jia.xiji"


@pytest.mark.parametrize("name, kind", [("平潭综合实验区海坛片区管理局", "area_office"), ("金井片区", "area_office"),
                                        ("平潭综合实验区人民政府", "district_government"),    # a long district name
                                        ("上海市人民政府办公厅", "department"), ("平潭综合实验区管委会办公室", "department")])
def test_kinds_come_from_the_kinds_table(name, kind):
    assert office_kind(name) == kind
    assert kind in office_kinds()


@pytest.mark.parametrize("name, district, shown", [("上海市科委", "上海市", "上海市科学技术委员会"),
                                                   ("上海市人民政府办公厅", "上海市", "上海市人民政府办公厅"),
                                                   ("北京市西城区月坛街道", "西城区", "西城区月坛街道"),
                                                   ("财金局", "平潭综合实验区", "财政金融局")])
def test_display_name_spells_out_short_forms_and_keeps_a_citys_own_city(name, district, shown):
    assert display_name(name, district) == shown


def test_a_short_form_and_the_full_name_are_one_office():
    registry = Registry([Office("shanghai.kexuejishuweiyuanhui", "上海市科学技术委员会", "上海市", "department")])
    assert registry.resolve("上海市科委", "上海市").office_id == "shanghai.kexuejishuweiyuanhui"
    made = Registry().new_office("上海市科委", "上海市")
    assert (made.office_id, made.name, made.district) == ("shanghai.kexuejishuweiyuanhui", "上海市科学技术委员会", "上海市")


def test_the_sample_districts_renames_resolve(beijing):
    for office_id, name in [("pingtan.haitanpianqu", "海坛片区管理局"), ("pingtan.jinjingpianqu", "金井片区管理局")]:
        assert beijing.resolve(f"平潭综合实验区{name}", "平潭综合实验区").office_id == office_id   # 片区 is no district
    assert beijing.resolve("平潭综合实验区国有资产管理局", "平潭综合实验区").office_id == "pingtan.touzicujinju"
    assert beijing.resolve("公安局", "平潭县").office_id == "pingtan.gonganju"            # 平潭县公安局, 2009–2010
    assert beijing.resolve("经济发展局", "平潭县").office_id == "pingtan.xianjingjifazhanju"  # the county's own
    assert beijing.resolve("经济发展局", "平潭综合实验区").office_id == "pingtan.jingjifazhanju"


@pytest.mark.parametrize("name, office", [("月坛街道", True), ("上海市科委", True), ("平潭县财政局", True),
                                          ("新街道", True), ("reports", False), ("2019", False),
                                          ("平潭综合实验区", False), ("西城区", False), ("", False)])
def test_looks_like_office(name, office):
    assert looks_like_office(name) is office


def test_a_folder_name_that_is_no_office_never_becomes_one():
    registry = Registry()
    assert registry.place("reports", "", "reports") == Placement("", "", "", False)
    assert registry.place("平潭综合实验区", "", "平潭综合实验区") == Placement("", "", "平潭综合实验区", False)
    assert registry.offices == {}


def test_unregistered_offices_get_a_line_ready_to_paste(beijing):
    filed = [("xicheng.yuetan", "月坛街道", "西城区"), ("shanghai.kexuejishuweiyuanhui", "上海市科学技术委员会", "上海市"),
             ("pingtan.quzhengfu2", "平潭综合实验区人民政府", "平潭综合实验区"), ("", "", ""),
             ("shanghai.kexuejishuweiyuanhui", "上海市科学技术委员会", "上海市"), ("x.y", "旧名,某镇", "某区")]
    new = unregistered_offices(filed, beijing)
    assert [office_line(o) for o in new] == [
        "pingtan.quzhengfu2,平潭综合实验区人民政府,,平潭综合实验区,district_government",
        "shanghai.kexuejishuweiyuanhui,上海市科学技术委员会,,上海市,department",
        'x.y,"旧名,某镇",,某区,town']
    assert parse_office_lines("\n".join([",".join(OFFICE_COLUMNS), *(office_line(o) for o in new)])) == new


@pytest.mark.parametrize("line, says", [("a.b,名,,区", "4 field(s), expected 5"), ("A B,名,,区,street", "not like"),
                                        ("a.b,,,区,street", "has no name"), ("a.b,名,,区,village", "kind 'village'")])
def test_a_wrong_line_is_refused_naming_it(line, says):
    with pytest.raises(RegistryError, match=re.escape(says)) as caught:
        parse_office_lines("office_id,name,aliases,district,kind\n\n" + line)
    assert str(caught.value).startswith("line 3: ")


def test_add_offices_writes_all_or_nothing(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("office_id,name,aliases,district,kind\nmiyun.guoyuan,果园街道,,密云区,street\n", encoding="utf-8")
    new = [Office("shanghai.kexuejishuweiyuanhui", "上海市科学技术委员会", "上海市", "department"),
           Office("miyun.guoyuan", "果园街道", "密云区", "street")]                      # already there, same line
    assert add_offices(path, new) == new[:1]
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        "miyun.guoyuan,果园街道,,密云区,street", "shanghai.kexuejishuweiyuanhui,上海市科学技术委员会,,上海市,department"]
    before = path.read_bytes()
    with pytest.raises(RegistryError, match="miyun.guoyuan is already in"):
        add_offices(path, [Office("a.b", "某局", "某区", "department"), Office("miyun.guoyuan", "果园镇", "密云区", "town")])
    assert path.read_bytes() == before
    assert add_offices(path, new) == []


def test_unregistered_in_a_dataset_folder(tmp_path):
    (tmp_path / "reports.csv").write_text("report,source,office_id,office,district,year\n"
                                          "r1,s,miyun.guoyuan,果园街道,密云区,2017\nr2,s,miyun.xin,新街道,密云区,2018\n",
                                          encoding="utf-8")
    (tmp_path / "offices.csv").write_text("office_id,name,aliases,district,kind\nmiyun.guoyuan,果园街道,,密云区,street\n",
                                          encoding="utf-8")
    assert unregistered_in(tmp_path) == [Office("miyun.xin", "新街道", "密云区", "street")]
    assert unregistered_in(tmp_path / "nowhere") == []
