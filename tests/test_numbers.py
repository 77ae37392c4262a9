"""numbers: numerals as reports print them (phrases below are our own wording in the reports' style)."""
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


@pytest.mark.parametrize("text, value", [("80.5%", 80.5), ("31 %", 31.0), ("100％", 100.0)])
def test_percents(text, value):
    assert parse_percent(text) == value
