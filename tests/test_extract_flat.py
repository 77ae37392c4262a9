"""extract.flat: row labels in flattened text, the figures after them, and how glued digits are cut."""
from __future__ import annotations

from gongkai.extract.flat import (cut_run, flat_sightings, label_matches, resolve_glued, skip_headers, split_chunks,
                                  tokens, value_run)
from gongkai.extract.rows import Row, row_specs, table_specs

T2_2021 = [s for s in row_specs() if s.table == "2" and s.era == "fmt2021"]
T2_2019 = [s for s in row_specs() if s.table == "2" and s.era == "fmt2019"]
T3 = [s for s in row_specs() if s.table == "3"]
T4 = [s for s in row_specs() if s.table == "4"]


def rows_of(text: str, specs) -> list[tuple[str, str]]:
    return [(spec.row, text[s:e]) for s, e, spec in label_matches(text, 0, len(text), specs)]


def test_labels_take_their_printed_prefix_note_and_tail():
    text = "(二)部分公开(区分处理的,只计这一情形,不计其他情形)4000004(三)不予公开1.属于国家秘密0000000"
    assert rows_of(text, T3) == [("out_partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
                                 ("out_denied", "(三)不予公开"), ("out_denied_state_secret", "1.属于国家秘密")]
    text = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000"
    assert rows_of(text, T3) == [("out_other_no_correction", text[:-7])]


def test_a_label_tail_stops_at_the_next_label():
    # table 四 flattened: every header on one line, then the fifteen figures
    text = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正总计000"
    assert [row for row, _ in rows_of(text, T4)] == ["review", "lit_direct", "lit_after_review"]
    assert rows_of(text, T4)[0][1] == "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"


def test_the_next_rows_ordinal_is_not_a_digit_of_the_run():
    text = "1.属于国家秘密00000002.其他法律和行政法规禁止公开0000000"
    assert value_run(text, 8, len(text))[0] == "0000000"
    text = "1、当面申请数条02、传真申请数条0"
    assert value_run(text, 8, len(text))[0] == "0"
    text = "行政事业性收费24252.31\n三、收到和处理"       # a decimal is not an ordinal
    assert value_run(text, 7, len(text))[0].strip() == "24252.31"


def test_headers_between_a_label_and_its_figures_are_skipped():
    text = "行政复议\n\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n\n3\n1\n0\n1\n5\n"
    at = skip_headers(text, 4, len(text), table_specs()["4"].headers)
    assert text[at:].split() == ["3", "1", "0", "1", "5"]
    assert skip_headers(text, 0, len(text), table_specs()["4"].headers) == 0      # a label is not a header


def cells(found):
    return [[v.number if v else None for v in cand] for cand in found]


def test_figures_apart_are_the_cells():
    found, glued, why = cut_run(tokens("12 2 0 0 1 0 15", 0), 7)
    assert cells(found) == [[12, 2, 0, 0, 1, 0, 15]] and not glued and not why


def test_glued_digits_with_one_possible_cut_are_read_as_printed():
    # seven digits, seven cells: nothing to choose, even though 1 + 0 + … is not the 总计 0
    found, glued, _ = cut_run(tokens("1000000", 0), 7, block=7)
    assert cells(found) == [[1, 0, 0, 0, 0, 0, 0]] and glued


def test_glued_digits_keep_the_cuts_whose_total_is_the_sum():
    found, _, _ = cut_run(tokens("310010032", 0), 7, block=7)
    assert cells(found) == [[31, 0, 0, 1, 0, 0, 32]]
    found, _, _ = cut_run(tokens("120010013", 0), 7, block=7)
    assert cells(found) == [[1, 2, 0, 0, 10, 0, 13], [12, 0, 0, 1, 0, 0, 13]]
    assert cut_run(tokens("500000 5", 0), 7, block=7)[0][0][0].number == 5


def test_runs_that_cannot_be_cut_say_why():
    assert cut_run(tokens("0 00000", 0), 7) == ([], True, "'0 00000' cannot be cut into 7 figures")
    assert cut_run(tokens("22 235", 0), 3, glue_ok=False)[2] == "2 figures for 3 columns (22 235)"
    assert cut_run([], 7)[2] == "no figures"
    assert "figures for 2 columns" in cut_run(tokens("13575394432.52元", 0), 2)[2]
    assert cut_run(tokens("2648-18538", 0), 3)[2].startswith("signed")


def test_signed_cells_in_table_two():
    found, _, _ = cut_run(tokens("35-15", 0), 2, signed=True)
    assert cells(found) == [[35, -15]]          # 本年增/减 may be negative


def test_the_search_for_cuts_is_bounded():
    assert split_chunks([("1" * 60, 0)], 7) is None


def test_sub_rows_a_report_invented_are_summed():
    text = "其他对外管理服务事项 |\n行政检查 |\n0 |\n0 |\n4 |\n|\n行政确认 |\n2 |\n1 |\n7 |\n||\n第二十条第(六)项 |\n"
    sighted = flat_sightings(text, T2_2019, (0, len(text)))
    other = next(s for s in sighted if s.spec.row == "other_mgmt_services")
    assert [t for t, _ in other.tokens] == ["2", "1", "11"] and "行政检查+行政确认" in other.label


def test_figures_one_per_line_are_apart():
    text = "规章\n0\n0\n0\n行政规范性文件\n512340\n"
    sighted = {s.spec.row: s for s in flat_sightings(text, T2_2021, (0, len(text)))}
    assert sighted["regulations"].apart and not sighted["normative_docs"].apart


def test_resolve_glued_chooses_the_readings_under_which_identities_fail_least():
    spec = T3[0]
    a, _, _ = cut_run(tokens("120010013", 0), 7, block=7)
    rows = {"x": Row(spec, "", 0, 0, a), "y": Row(spec, "", 0, 0, cut_run(tokens("1 0 0 1 0 0 2", 0), 7)[0])}
    # an identity that wants the 商业企业 cell of x to be 0: only 12,0,0,1,0,0,13 survives
    chosen, unsure = resolve_glued(rows, lambda c: int(c["x"][1].number != 0))
    assert [v.number for v in chosen["x"]] == [12, 0, 0, 1, 0, 0, 13] and unsure == []
    # no identity to choose: the cells both cuts agree on are kept, the others unknown
    chosen, unsure = resolve_glued(rows, None)
    assert [v.number if v else None for v in chosen["x"]] == [None, None, 0, None, None, 0, 13] and unsure == ["x"]


def test_cells_listed_with_enumeration_commas_after_a_colon():
    from gongkai.extract.flat import tokens, value_run
    text = "数量：7、0、2、0、0、0、9\n2、重复申请"
    run, at = value_run(text, 2, len(text))
    assert [t for t, _ in tokens(run, at)] == ["7", "0", "2", "0", "0", "0", "9"]
