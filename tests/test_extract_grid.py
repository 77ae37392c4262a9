"""extract.grid: rows of real tables and '|' grid lines read cell by cell, labels matched to table_rows.csv."""
from gongkai.extract.grid import MASK, grid_rows, mask_grids, match_cell, pipe_cells, read_grid, row_values
from gongkai.extract.rows import row_specs
from gongkai.model import Cell, Document, Table

TABLE3 = [s for s in row_specs() if s.table == "3"]
TEXT = ("说明文字\n| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        "| 1.属于国家秘密 | 0 | | 0 | 0 | 0 | 0 | 0 |\n末尾")


def document(text: str = TEXT, tables: list | None = None) -> Document:
    return Document(path="x.md", text=text, kind="txt", sha="0" * 64, tables=tables or [])


def test_pipe_cells_with_spans_and_edges_dropped():
    assert pipe_cells("a | b |  |", 5) == [Cell("a", 5, 6), Cell("b", 9, 10)]
    assert [c.text for c in pipe_cells("| x |  | y |", 0)] == ["x", "", "y"]       # Markdown: inner blanks kept


def test_grid_lines_and_real_tables_become_rows():
    rows = grid_rows(document())
    assert [[c.text for c in row] for row in rows] == [["（一）予以公开", "2", "0", "0", "0", "0", "0", "2"],
                                                       ["1.属于国家秘密", "0", "", "0", "0", "0", "0", "0"]]
    assert TEXT[rows[0][1].start:rows[0][1].end] == "2"
    merged = Cell("总计", 0, 2)
    table = Table(rows=[[merged, merged, Cell("3", 3, 4)]], start=0, end=4, origin="html")
    assert [[c.text for c in row] for row in grid_rows(document("总计 3", [table]))] == [["总计", "3"]]


def test_masking_blanks_what_the_grid_reader_covers():
    masked = mask_grids(document(), grid_rows(document()))
    assert len(masked) == len(TEXT)
    assert masked.startswith("说明文字\n| " + MASK) and masked.endswith(MASK + " |\n末尾")
    assert "予以公开" not in masked


def test_label_cells_by_phrasing_or_by_ordinal_under_their_group():
    denied = next(s for s in TABLE3 if s.row == "out_denied")
    assert match_cell("（一）予以公开", TABLE3, None).row == "out_granted"
    assert match_cell("3.危及安全", TABLE3, denied).row == "out_denied_security_stability"
    assert match_cell("12", TABLE3, None) is None


def test_row_values_trim_blank_edges_and_refuse_words():
    assert [v.number for v in row_values([Cell("", 0, 0), Cell("1", 0, 1), Cell("2", 2, 3), Cell("", 4, 4)], 2)] == [1, 2]
    assert row_values([Cell("x", 0, 1), Cell("2", 2, 3)], 2) is None


def test_read_grid_blank_cells_are_unknown():
    rows = read_grid(grid_rows(document()), TABLE3, (0, len(TEXT)))
    assert {k: [v.number if v else None for v in r.candidates[0]] for k, r in rows.items()} == {
        "out_granted": [2, 0, 0, 0, 0, 0, 2], "out_denied_state_secret": [0, None, 0, 0, 0, 0, 0]}
