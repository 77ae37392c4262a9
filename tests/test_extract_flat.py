"""extract.flat: row labels and value runs of tables flattened into text, glued digits split by the sums."""
from gongkai.extract.flat import label_matches, local_subrows, read_flat, read_run, resolve_glued, split_chunks, value_run
from gongkai.extract.rows import Row, Value, row_specs

TABLE3 = [s for s in row_specs() if s.table == "3"]


def numbers(cells):
    return [c.number if c else None for c in cells]


def test_a_separable_run_gives_one_reading_with_blanks_unknown():
    readings, glued = read_run(" 3 0 — 5 ", 10, 4)
    assert not glued and [numbers(r) for r in readings] == [[3, 0, None, 5]]
    assert (readings[0][0].start, readings[0][0].end) == (11, 12)        # spans in the text


def test_glued_digits_are_cut_so_that_the_total_is_the_sum():
    readings, glued = read_run(" 640020470 ", 0, 7, block=7)
    assert glued and [numbers(r) for r in readings] == [[64, 0, 0, 2, 0, 4, 70]]


def test_every_cut_without_leading_zeros():
    assert [numbers(s) for s in split_chunks([("123", 0)], 2)] == [[1, 23], [12, 3]]
    assert split_chunks([("1023", 0)], 2, block=2) == []          # 10+23, 102+3: no cut where b = a


def test_value_run_stops_at_words():
    assert value_run("abc 1 2 | 3 x", 3, 13) == (" 1 2 | 3 ", 3)


def test_labels_with_their_printed_prefix_and_note_then_their_rows():
    text = "（一）予以公开 2 0 0 0 0 0 2\n（二）部分公开（区分处理的，只计这一情形，不计其他情形） 1 0 0 0 0 0 1\n"
    labels = [(text[s:e].strip(), spec.row) for s, e, spec in label_matches(text, 0, len(text), TABLE3)]
    assert labels == [("（一）予以公开", "out_granted"),
                      ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "out_partially_granted")]
    rows = read_flat(text, TABLE3, (0, len(text)))
    assert {k: numbers(r.candidates[0]) for k, r in rows.items()} == {
        "out_granted": [2, 0, 0, 0, 0, 0, 2], "out_partially_granted": [1, 0, 0, 0, 0, 0, 1]}


def test_rows_a_report_invented_are_summed_column_by_column():
    text = "其他对外管理服务事项\n行政检查 | 1 | 2 | 3\n行政确认 | 0 | 1 | 1\n"
    names, sums = local_subrows(text, len("其他对外管理服务事项"), len(text), 3)
    assert names == ["行政检查", "行政确认"] and numbers(sums) == [1, 3, 4]


def test_glued_rows_are_resolved_jointly_and_a_cell_in_doubt_is_left_out():
    def value(n):
        return Value(n, str(n), 0, 1)
    one = Row(spec=TABLE3[0], label="a", start=0, end=1, candidates=[[value(1), value(2)]])
    two = Row(spec=TABLE3[1], label="b", start=0, end=1, candidates=[[value(1), value(2)], [value(2), value(2)]],
              glued=True)
    same_first = resolve_glued({"a": one, "b": two}, lambda rows: rows["b"][0].number == rows["a"][0].number)
    assert {k: numbers(v) for k, v in same_first.items()} == {"a": [1, 2], "b": [1, 2]}
    either = resolve_glued({"a": one, "b": two}, lambda rows: True)
    assert numbers(either["b"]) == [None, 2]                # both readings survive: the first cell is unknown
    assert numbers(resolve_glued({"a": one, "b": two}, lambda rows: False).get("b", [])) == []
