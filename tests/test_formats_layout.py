"""formats.layout: prose and tables laid out as one text; merged cells expanded; spans point at the text."""
from __future__ import annotations

import pytest

from gongkai.errors import LimitError
from gongkai.formats import limits
from gongkai.formats.layout import TextBuilder, expand_spans, grid_width

def cell_texts(doc, table):
    return [[c.text for c in row] for row in table.rows]


def assert_spans(doc):
    for table in doc.tables:
        assert doc.text[table.start:table.end].count("\n") == len(table.rows) - 1
        for row in table.rows:
            for cell in row:
                assert doc.text[cell.start:cell.end] == cell.text


def test_expand_spans_repeats_a_merged_cell_over_its_grid_positions():
    rows = [[("a", 2, 1), ("b", 1, 2)], [("c", 1, 1), ("d", 1, 1)]]
    assert expand_spans(rows) == [["a", "b", "b"], ["a", "c", "d"]]


def test_a_rowspan_past_the_last_row_stops_there():
    assert expand_spans([[("a", 200, 1), ("b", 1, 1)], [("c", 1, 1)]]) == [["a", "b"], ["a", "c"]]


def test_a_table_spanning_past_the_cap_is_refused_before_expansion(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TABLE_CELLS", 100)
    rows = [[(r * 10 + c, 1, 1) for c in range(10)] for r in range(10)]
    assert len(expand_spans(rows)) == 10                               # 100 positions: at the cap
    rows[9][9] = ("x", 1, 2)
    with pytest.raises(LimitError, match=r"^r.html: table 3 spans 101 cells, over the 100 limit \(MAX_TABLE_CELLS\)$"):
        expand_spans(rows, "r.html", 3)


def test_the_builder_lays_out_prose_and_tables_with_cell_spans():
    builder = TextBuilder("r.html")
    builder.line("主动公开政府信息１２条，")
    builder.line("其中规章0件。")
    builder.spanned_table([[("h", 1, 2)], [("a", 1, 1), ("b", 1, 1)]], {"h": "信息 内容", "a": "规章", "b": "0"}, "html")
    builder.line("二、其他")
    text = builder.text()
    assert text == "主动公开政府信息12条,\n其中规章0件。\n信息内容\n规章 | 0\n二、其他"
    table = builder.tables[0]
    assert cell_texts(None, table) == [["信息内容", "信息内容"], ["规章", "0"]] and table.rows[0][0] is table.rows[0][1]
    assert text[table.start:table.end] == "信息内容\n规章 | 0"
    for row in table.rows:
        for cell in row:
            assert text[cell.start:cell.end] == cell.text
    assert grid_width([[1], [1, 2, 3]]) == 3


def test_the_builder_refuses_text_past_the_length_cap(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 50)
    builder = TextBuilder("r.docx")
    builder.line("信" * 30)
    builder.line("息" * 30)
    with pytest.raises(LimitError, match="^r.docx: the report text has more than 50 characters, the MAX_TEXT_CHARS limit$"):
        builder.text()


def test_the_builder_counts_the_cells_of_all_tables(monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCUMENT_CELLS", 10)
    builder = TextBuilder("r.pdf")
    builder.table([[1, 2], [3, 4]], {1: "a", 2: "b", 3: "c", 4: "d"}, "pdf")
    builder.table([[5, 6, 7], [8, 9, 10]], {}, "pdf")
    with pytest.raises(LimitError, match="the tables of the report have 13 cells, over the 10 limit"):
        builder.table([[1, 2, 3]], {}, "pdf")
    with pytest.raises(LimitError, match="table 3 has 200 cells, over the 100 limit"):
        monkeypatch.setattr(limits, "MAX_TABLE_CELLS", 100)
        builder.table([[1] * 100, [2]], {}, "pdf")
