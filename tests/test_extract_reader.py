"""extract.reader: the one table reader — layout, anchors, unlabelled rows placed by the template, gaps."""
from __future__ import annotations

import hashlib

from gongkai.extract.flat import flat_sightings
from gongkai.extract.grid import grid_rows, grid_sightings, mask_grids
from gongkai.extract.reader import layout, read_table
from gongkai.extract.rows import row_specs, table_specs
from gongkai.model import Document
from gongkai.reading import normalize

SPECS = {t: [s for s in row_specs() if s.table == t] for t in ("3", "4")}
T2_2021 = [s for s in row_specs() if s.table == "2" and s.era == "fmt2021"]
SEVEN = " | ".join(["0"] * 7)


def read(text: str, table: str, specs=None):
    text = normalize(text)
    doc = Document(path="inline.md", text=text, kind="txt", sha=hashlib.sha256(text.encode()).hexdigest())
    specs = specs or SPECS[table]
    grid = grid_rows(doc)
    region = (0, len(doc.text))
    tspec = table_specs()[table]
    sightings = grid_sightings(grid, specs, region) + flat_sightings(mask_grids(doc, grid), specs, region,
                                                                     tspec.headers)
    return read_table(tspec, specs, sightings, region), sightings


def numbers(reading, row):
    return [v.number if v else None for v in reading.cells[row]]


def test_layout_single_other_row_or_its_sub_rows():
    _, fmt2019 = read("(六)其他处理0000000(七)总计0000000", "3")
    rows = [s.row for s in layout(table_specs()["3"], SPECS["3"], fmt2019)]
    assert "out_other" in rows and "out_other_misc" not in rows
    _, fmt2021 = read("(六)其他处理1.申请人无正当理由逾期不补正0000000 3.其他1000001(七)总计1000001", "3")
    rows = [s.row for s in layout(table_specs()["3"], SPECS["3"], fmt2021)]
    assert "out_other" not in rows and rows[rows.index("out_other_no_correction"):][:3] == [
        "out_other_no_correction", "out_other_fee_unpaid", "out_other_misc"]


def test_a_printed_subtotal_of_a_group_is_read():
    reading, _ = read("(三)不予公开1000001 1.属于国家秘密1000001 2.其他法律行政法规禁止公开0000000", "3")
    assert numbers(reading, "out_denied") == [1, 0, 0, 0, 0, 0, 1]


def test_header_then_values_fill_the_rows_named_before_them():
    text = ("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
            "结果维持结果纠正其他结果尚未审结总计10203120001200000")
    reading, _ = read(text, "4")
    assert [numbers(reading, r) for r in ("review", "lit_direct", "lit_after_review")] == [
        [1, 0, 2, 0, 3], [12, 0, 0, 0, 12], [0, 0, 0, 0, 0]]


def test_unlabelled_rows_fill_the_empty_rows_between_their_neighbours():
    text = (f"| (一)予以公开 | 6 | 1 | 0 | 0 | 0 | 0 | 7 |\n| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
            f"| 1.属于国家秘密 | {SEVEN} |\n")
    reading, _ = read(text, "3")
    assert numbers(reading, "out_partially_granted") == [2, 0, 0, 0, 0, 0, 2]
    assert reading.gaps == []


def test_unlabelled_rows_that_do_not_fit_are_not_placed():
    # two rows of figures where one row is empty: which one is which cannot be told
    text = (f"| (一)予以公开 | 6 | 1 | 0 | 0 | 0 | 0 | 7 |\n| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n| {SEVEN} |\n"
            f"| 1.属于国家秘密 | {SEVEN} |\n")
    reading, _ = read(text, "3")
    assert "out_partially_granted" not in reading.cells
    assert any("2 row(s) of figures without a label" in gap.why for gap in reading.gaps)


def test_a_sub_table_printed_out_of_turn_still_reads():
    text = ("第二十条第(五)项\n信息内容本年处理决定数量\n行政许可 97\n第二十条第(一)项\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 0 |\n"
            "| 规范性文件 | 13 | 0 | 55 |\n")
    reading, _ = read(text, "2", T2_2021)
    assert numbers(reading, "normative_docs") == [13, 0, 55] and numbers(reading, "licensing") == [97]


def test_gaps_name_rows_seen_but_not_read_and_rows_missing_from_a_complete_table():
    text = (f"一、本年新收政府信息公开申请数量0 00000二、上年结转政府信息公开申请数量0000000"
            f"(七)总计0000000四、结转下年度继续办理0000000")
    reading, _ = read(text, "3")
    why = {gap.spec.row: gap.why for gap in reading.gaps if gap.spec}
    assert why["req_new"] == "'0 00000' cannot be cut into 7 figures"
    assert why["out_granted"] == "not found in the table"          # the table's last row was read
    assert "req_new" not in reading.cells and numbers(reading, "req_carried_out") == [0] * 7


def test_ambiguous_cuts_are_chosen_by_the_identities_or_left_unknown():
    # "120010013" cuts as 12,0,0,1,0,0,13 or 1,2,0,0,10,0,13; T3-1 with the handled total printed apart chooses
    text = ("一、本年新收政府信息公开申请数量120010013二、上年结转政府信息公开申请数量0000000"
            "(七)总计 12 0 0 1 0 0 13 四、结转下年度继续办理0000000")
    reading, _ = read(text, "3")
    assert numbers(reading, "req_new") == [12, 0, 0, 1, 0, 0, 13] and reading.gaps[0].spec.row == "out_granted"
    alone, _ = read("一、本年新收政府信息公开申请数量120010013", "3")
    assert numbers(alone, "req_new") == [None, None, 0, None, None, 0, 13]
    assert "ambiguous" in alone.gaps[0].why


def test_rows_named_on_a_line_of_their_own_then_their_figures():
    from gongkai.extract.tables import table_facts
    from gongkai.model import Document, ReportMeta
    text = ("三、收到和处理政府信息公开申请情况\n（一）予以公开\n| 5 | 1 | 0 | 0 | 0 | 0 | 6 |\n"
            "（七）总计\n| 7 | 1 | 0 | 0 | 0 | 0 | 8 |\n")
    text = normalize(text)
    facts = {(f.metric, f.dim): f.value for f in table_facts(Document("x.txt", text, "txt", "0" * 64), ReportMeta())}
    assert facts[("out_granted", "total")] == 6 and facts[("out_total", "total")] == 8
    assert not any(metric == "out_partially_granted" for metric, _ in facts)
    torn = ("三、收到和处理政府信息公开申请情况\n（一）予以公开\n（七）总计\n| 5 | 1 | 0 | 0 | 0 | 0 | 6 |\n"
            "| 7 | 1 | 0 | 0 | 0 | 0 | 8 |\n")
    assert table_facts(Document("x.txt", normalize(torn), "txt", "1" * 64), ReportMeta()) == []
