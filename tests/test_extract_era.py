"""extract.era: one era detector over data/era_signatures.csv, for whole reports and for table 二's layout."""
from collections import Counter

import pytest

from gongkai.extract.era import detect_era, signature_hits, table2_era
from gongkai.extract.tables import find_regions
from gongkai.reading import read_document

from conftest import FIXTURES


def test_era_by_signature_not_by_year():
    assert detect_era("信息内容 | 本年制发件数 | 本年废止件数", 2019) == "fmt2021"
    assert detect_era("信息内容 | 本年新制作数量 | 本年新公开数量", 2022) == "fmt2019"
    assert detect_era("依申请公开政府信息和不予公开政府信息的情况", 2020) == "pre2019"
    assert detect_era("本年新收政府信息公开申请数量", 2021) == "fmt2021"
    assert detect_era("没有任何标志的摘录", 2016) == "pre2019"   # excerpt without a signature: by year


def test_era_of_the_new_formats_without_a_table_two_header_goes_by_year():
    assert detect_era("结转下年度继续办理", 2020) == "fmt2019"
    assert detect_era("结转下年度继续办理", 2023) == "fmt2021"
    assert detect_era("没有任何标志的摘录", None) == ""
    assert detect_era("没有任何标志的摘录", 2020) == "fmt2019"


def test_signature_hits_count_every_occurrence_and_tolerate_whitespace_where_the_table_says():
    assert signature_hits("制发件数 | 制发件数 | 新制作", "table2") == Counter(fmt2021=2, fmt2019=1)
    assert signature_hits("上一年\n项目 | 本年增 / 减", "table2")["fmt2019"] == 2
    assert signature_hits("本年制\n发件数", "report")["fmt2021"] == 0      # report signatures match as printed


def test_table_two_layout_by_its_headers_then_the_reports_era():
    assert table2_era("信息内容 本年制发件数 本年废止件数 现行有效件数", "fmt2019") == "fmt2021"
    assert table2_era("信息内容 本年新制作数量 本年新公开数量 对外公开总数量", "fmt2021") == "fmt2019"
    assert table2_era("信息内容 规章 5 0 12", "fmt2021") == "fmt2021"       # headers lost: the report's era
    assert table2_era("信息内容 规章 5 0 12", "pre2019") == ""


@pytest.mark.parametrize("era", ["fmt2019", "fmt2021"])
def test_table_two_layout_of_the_fixture_reports(era):
    text = read_document(FIXTURES / era / "report.txt").text
    region = find_regions(text)["t2"]
    assert table2_era(text[region[0]:region[1]], "") == era
    assert detect_era(text, None) == era
