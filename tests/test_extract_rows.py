"""extract.rows: the table description files (tables.csv, table_rows.csv, table_noise.csv) and cell parsing."""
from __future__ import annotations

from gongkai.extract.rows import compact_label, noise_lines, parse_cell, row_specs, table_specs
from gongkai.taxonomy import applicant_order, table


def test_one_spec_per_row_of_the_table_with_its_width():
    specs = row_specs()
    assert len(specs) == len(table("table_rows"))
    req_new = next(s for s in specs if s.row == "req_new")
    assert (req_new.table, req_new.metrics, req_new.width) == ("3", ("req_new",), 7)   # one cell per applicant
    t4 = next(s for s in specs if s.table == "4")
    assert t4.width == 5 and t4.metrics[:5] == ("review_upheld", "review_corrected", "review_other",
                                                 "review_pending", "review_total")
    secret = next(s for s in specs if s.row == "out_denied_state_secret")
    assert (secret.group, secret.ordinal, secret.exact) == ("out_denied", 1, False)


def test_cell_tokens():
    value = parse_cell(" 1,234 ", 3)
    assert (value.number, value.text, value.start, value.end) == (1234, "1,234", 3, 8)
    assert parse_cell("—", 0) is None and parse_cell("/", 0) is None and parse_cell("", 0) is None
    assert parse_cell("12.5万元", 0).number == 12.5           # the unit word stays in the printed text
    assert parse_cell("abc", 0) is None
    assert parse_cell("9" * 400, 0) is None                   # beyond numbers.MAX_FIGURE: no figure


def test_labels_compare_without_spaces_quotes_and_full_width_brackets():
    assert compact_label(" （一） “予以 公开” ") == "(一)予以公开"


def test_tables_describe_where_each_table_stands_and_what_its_rows_must_satisfy():
    specs = table_specs()
    assert list(specs) == ["2", "3", "4", "stats"]
    assert specs["3"].columns == applicant_order() and specs["3"].optional == ("total",)
    assert specs["3"].column_labels[-1] == "总计" and specs["3"].optional_by == "rows"
    assert specs["stats"].columns == ("year", "cumulative") and specs["stats"].optional_by == "header"
    assert specs["stats"].reads_in("pre2019") and not specs["stats"].reads_in("fmt2021") and specs["3"].reads_in("")
    assert (specs["4"].after, specs["2"].before) == ("3", "3")
    assert specs["3"].row_check == "total_column" and specs["3"].glue_block == 7
    assert specs["4"].glue_block == 5 and specs["4"].lead.search("四、政府信息公开行政复议、行政诉讼情况")
    assert specs["2"].signed and specs["2"].anchors.search("第二十条第(五)项") and specs["2"].anchors.search("第二十条第五项")
    assert specs["3"].anchors.search("(本列数据的钩稽关系为:…)")
    assert "结果维持" in specs["4"].headers


def test_rows_are_in_the_template_order_of_each_table():
    t3 = [s.row for s in row_specs() if s.table == "3"]
    assert t3[0] == "req_new" and t3[-1] == "req_carried_out" and t3.index("out_total") == len(t3) - 2
    t4 = [s for s in row_specs() if s.table == "4"]
    assert [s.row for s in t4] == ["review", "lit_direct", "lit_after_review"] and all(s.width == 5 for s in t4)
    stats = {s.row: s for s in row_specs() if s.table == "stats"}
    assert stats["req_in_person"].metrics == ("req_by_channel:in_person",) and stats["req_in_person"].width == 2
    assert stats["proactive_total"].metrics == ("", "proactive_items_cumulative")
    assert stats["vetoed"].metrics == ()        # 否决公开 includes 信息不存在 …: not 不予公开; a label that ends a row
    misc = next(s for s in row_specs() if s.row == "out_other_misc")
    assert (misc.group, misc.ordinal, misc.exact, misc.era) == ("out_other", 3, True, "fmt2021")


def test_page_footers_are_noise():
    found = [m.group(0).strip() for m in noise_lines().finditer("0\n— 5 —\n0\n- 12 -\n第 3 页 共 7 页\n第二十条\n")]
    assert found == ["— 5 —", "- 12 -", "第 3 页 共 7 页"]


def test_cells_as_printed():
    assert parse_cell(" 1,295 ", 10).number == 1295 and parse_cell("251000元", 0).text == "251000元"
    assert parse_cell("—", 0) is None and parse_cell("无", 0) is None
    value = parse_cell("-15", 4)
    assert (value.number, value.start, value.end) == (-15, 4, 7)
