"""registry: office ids stable across renames, names without their prefixes, new offices, placing a report."""
from __future__ import annotations

import pytest

from gongkai import config
from gongkai.registry import (OFFICE_COLUMNS, Office, Placement, Registry, canonical_district, canonical_name,
                              load_registry, office_kind, save_registry)


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
    assert header.split(",") == OFFICE_COLUMNS and len(rows) == len(beijing.offices) == 79
    assert "xicheng.dashilan,大栅栏街道,宣武区大栅栏街道,西城区,street" in rows
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
