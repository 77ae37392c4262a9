"""numbers: numerals as reports print them (phrases below are our own wording in the reports' style)."""
import math
import re

import pytest

from gongkai.numbers import QUANTITY, Number, chinese_to_int, from_match, parse_percent, parse_quantity, parse_value


@pytest.mark.parametrize("text, value", [
    ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百二十", 120), ("三千零五", 3005),
    ("一万二千", 12000), ("十二万", 120000), ("零", 0), ("〇", 0), ("二〇一七", 2017),
])
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


def test_chinese_numeral_rejects_other_text():
    with pytest.raises(ValueError):
        chinese_to_int("条")


@pytest.mark.parametrize("text, expected", [
    ("267", Number(267.0)),
    ("36,789", Number(36789.0)),
    ("2.9", Number(2.9)),
    ("100余", Number(100.0, "approx")),
    ("40多", Number(40.0, "approx")),
    ("十余", Number(10.0, "approx")),
    ("约50", Number(50.0, "approx")),
    ("近百", Number(100.0, "approx")),
    ("两", Number(2.0)),
])
def test_quantities(text, expected):
    assert parse_quantity(text) == expected


def test_quantity_rejects_words():
    with pytest.raises(ValueError):
        parse_quantity("若干")


def test_thousands_separator_only_with_three_digits():
    # "3,4" is a list of two figures, not 34
    assert re.match(QUANTITY, "3,4条").group("num") == "3"
    assert parse_value("1,234,567") == 1234567


@pytest.mark.parametrize("phrase, value, qualifier", [
    ("全年共发布信息一百二十条", 120, "exact"),
    ("答复申请两件", 2, "exact"),
    ("累计公开信息100余条", 100, "approx"),
    ("发布通知十余条", 10, "approx"),
    ("接待咨询40多人次", 40, "approx"),
])
def test_quantity_inside_a_phrase(phrase, value, qualifier):
    m = re.search(QUANTITY + r"(?=条|件|人次)", phrase)
    assert from_match(m) == Number(float(value), qualifier)


@pytest.mark.parametrize("phrase", ["依照本办法第一条办理", "详见第3条", "第十二条 本制度自印发之日起施行"])
def test_an_ordinal_is_no_quantity(phrase):
    """'第一条' is article one, not one item."""
    assert re.search(QUANTITY + r"(?=条)", phrase) is None


@pytest.mark.parametrize("text, value", [("80.5%", 80.5), ("31 %", 31.0), ("100％", 100.0)])
def test_percents(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["九" * 309, "9" * 400, "九" * 5000, "1" + "0" * 12 + ".5", "10,000,000,000,000"])
def test_numerals_beyond_a_trillion_parse_out_of_range_not_inf_nor_an_exception(text):
    value = parse_value(text)
    assert math.isnan(value) and not Number(value).in_range
    assert not parse_quantity(text + "余").in_range


def test_the_range_ends_at_a_trillion():
    assert parse_value("999,999,999,999") == 999_999_999_999.0 and Number(1e12).in_range
    assert parse_value("九" * 12) == 999_999_999_999.0
    assert math.isnan(parse_value("1" + "0" * 12 + "1")) and not Number(float("inf")).in_range
    assert math.isnan(parse_percent("9" * 400 + "%"))


def test_a_digit_by_digit_chinese_numeral_is_computed_up_to_300_digits():
    assert chinese_to_int("〇" * 5 + "九" * 300) == int("9" * 300)        # leading zeros do not count
    with pytest.raises(OverflowError):
        chinese_to_int("九" * 301)


@pytest.mark.parametrize("text, numbers", [
    ("信息" + "9" * 5000 + "条", ["9" * 5000]),                # one match for a run, from its start
    ("信息" + "九" * 5000 + "条", ["九" * 5000]),
    ("分别为3,4条", ["3", "4"]),                                # a list of two figures stays two
    ("共1,234,567条和2.9%", ["1,234,567", "2.9"]),
])
def test_a_numeral_is_matched_from_the_start_of_its_run(text, numbers):
    assert [m.group("num") for m in re.finditer(QUANTITY, text)] == numbers


def test_long_runs_of_digits_match_in_linear_time():
    import time
    started = time.perf_counter()
    for run in ("9" * 20_000 + "x", "九" * 20_000 + "x"):    # quadratic matching took 10+ s each
        assert len(re.findall(rf"{QUANTITY}条", run)) == 0
    assert time.perf_counter() - started < 1.0


def test_figures_counted_in_ten_thousands_when_a_count_follows():
    import re
    from gongkai.numbers import QUANTITY, from_match
    found = [(m.group(0), from_match(m)) for m in re.finditer(QUANTITY, "发布信息3.4万条，受理申请2万余件，收费120.5万元")]
    assert found[0] == ("3.4万", Number(34000.0))
    assert found[1] == ("2万余", Number(20000.0, "approx"))
    assert found[2][1] == Number(120.5)          # 万元 is a unit of money, not ten thousand of something
