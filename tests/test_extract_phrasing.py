"""extract.phrasing: the rules of prose_patterns.csv, compiled once, applied to sentences in the reports' style."""
import re

from gongkai.extract.phrasing import OUTCOMES, RULES, apply_rules, compile_pattern
from gongkai.extract.prose import Collector, prose_view
from gongkai.taxonomy import table


def found(text: str) -> list[tuple]:
    out = Collector(text)
    apply_rules(prose_view(text), out)
    return [(f.metric, f.dim, f.value, f.quote) for f in out.facts]


def test_one_rule_per_row_of_the_table():
    assert len(RULES) == len(table("prose_patterns"))
    assert all(isinstance(rule.regex, re.Pattern) for rule in RULES)


def test_placeholders_are_filled_in():
    match = compile_pattern("共{N}件").fullmatch("共100余件")
    assert (match.group("num"), match.group("post")) == ("100", "余")
    assert compile_pattern("全文电子化率{G}{0,4}?{PCT}").search("全文电子化率达100%").group("num") == "100"
    assert compile_pattern("{CH}{N}件").search("通过信函1件").group("ch") == "信函"
    assert compile_pattern("{CH}{N}件").search("信函申请1件") is None


def test_requests_channels_and_outcomes():
    assert found("共收到政府信息公开申请2件，其中网上申请1件，信函申请1件。“同意公开”的2件。") == [
        ("req_new", "", 2, "收到政府信息公开申请2件"), ("req_by_channel", "online", 1, "网上申请1件"),
        ("req_by_channel", "letter", 1, "信函申请1件"), ("out_granted", "", 2, "“同意公开”的2件")]


def test_a_fixed_value_rule_states_a_zero():
    assert found("本年度未收到政府信息公开申请。") == [("req_new", "", 0, "未收到政府信息公开申请")]


def test_a_figure_claimed_by_one_rule_is_not_read_again():
    got = found("咨询9890人次。其中，现场咨询6836人次，电话咨询3054人次。")
    assert sorted((m, d, v) for m, d, v, _ in got) == [
        ("consultations_by_channel", "in_person", 6836), ("consultations_by_channel", "phone", 3054),
        ("consultations_total", "", 9890)]


def test_outcome_phrasings_longest_first():
    lengths = [len(phrase) for phrase, _ in OUTCOMES]
    assert lengths == sorted(lengths, reverse=True)
    assert dict(OUTCOMES)["同意公开"] == "out_granted"
