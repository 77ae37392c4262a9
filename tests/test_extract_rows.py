"""extract.rows: the row specs of table_rows.csv and cell tokens as values."""
from gongkai.extract.rows import compact_label, parse_cell, row_specs
from gongkai.taxonomy import table


def test_one_spec_per_row_of_the_table_with_its_width():
    specs = row_specs()
    assert len(specs) == len(table("table_rows"))
    req_new = next(s for s in specs if s.row == "req_new")
    assert (req_new.table, req_new.metrics, req_new.width) == ("3", ("req_new",), 7)   # one cell per applicant
    t4 = next(s for s in specs if s.table == "4")
    assert t4.width == 15 and t4.metrics[:5] == ("review_upheld", "review_corrected", "review_other",
                                                 "review_pending", "review_total")
    secret = next(s for s in specs if s.row == "out_denied_state_secret")
    assert (secret.group, secret.ordinal, secret.exact) == ("out_denied", 1, False)


def test_cell_tokens():
    value = parse_cell(" 1,234 ", 3)
    assert (value.number, value.text, value.start, value.end) == (1234, "1,234", 3, 8)
    assert parse_cell("—", 0) is None and parse_cell("/", 0) is None and parse_cell("", 0) is None
    assert parse_cell("12.5万元", 0).number == 12.5           # the unit word stays in the printed text
    assert parse_cell("abc", 0) is None


def test_labels_compare_without_spaces_quotes_and_full_width_brackets():
    assert compact_label(" （一） “予以 公开” ") == "(一)予以公开"
