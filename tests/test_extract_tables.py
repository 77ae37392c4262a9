"""extract.tables / extract.flat: tables 二, 三, 四 from fixture reports, flattened text and real corpus files."""
from __future__ import annotations

import hashlib

import pytest

from gongkai.extract.tables import table_facts
from gongkai.identities import subtotal, subtotals
from gongkai.model import QUOTE_MAX, Document, ReportMeta
from gongkai.reading import normalize, read_document
from gongkai.taxonomy import applicant_order

from conftest import FIXTURES

APPLICANT_ORDER = applicant_order()

OUTCOME_ROWS = ["out_granted", "out_partially_granted", "out_denied_total", "out_unable_total",
                "out_not_processed_total", "out_other_total"]


def with_groups(table: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """The cells plus the group totals (不予公开…) summed from their sub-rows, as the checks and views sum them."""
    for total in subtotals():
        for dim in APPLICANT_ORDER:
            value = subtotal(total, lambda m: table.get((m, dim)))
            if (total, dim) not in table and value is not None:
                table[(total, dim)] = value
    return table


def facts_of(doc: Document) -> dict[tuple[str, str], float]:
    facts = table_facts(doc, ReportMeta())
    table = {(f.metric, f.dim): f.value for f in facts}
    assert len(table) == len(facts), "one fact per metric and dim"
    return with_groups(table)


def text_doc(text: str) -> Document:
    text = normalize(text)
    return Document(path="inline.txt", text=text, kind="txt", sha=hashlib.sha256(text.encode()).hexdigest())


def column(table: dict, metric: str) -> list[float | None]:
    return [table.get((metric, dim)) for dim in APPLICANT_ORDER]


# ------------------------------------------------------------------------------------ fixture reports

@pytest.fixture(scope="module")
def fmt2021():
    doc = read_document(FIXTURES / "fmt2021" / "report.txt")
    return doc, table_facts(doc, ReportMeta())


def test_fmt2021_table3_cells_by_applicant(fmt2021):
    doc, facts = fmt2021
    table = {(f.metric, f.dim): f.value for f in facts}
    assert column(table, "req_new") == [44, 6, 1, 0, 2, 1, 54]
    assert column(table, "req_carried_in") == [3, 1, 0, 0, 0, 0, 4]
    assert column(table, "out_granted") == [15, 2, 1, 0, 0, 0, 18]
    assert column(table, "out_unable_not_held") == [9, 2, 0, 0, 0, 1, 12]
    assert column(table, "out_other_misc") == [1, 1, 0, 0, 0, 0, 2]
    assert column(table, "out_total") == [45, 6, 1, 0, 1, 1, 54]
    assert column(table, "req_carried_out") == [2, 1, 0, 0, 1, 0, 4]


def test_fmt2021_blank_cell_is_unknown_not_zero(fmt2021):
    _, facts = fmt2021
    table = {(f.metric, f.dim): f.value for f in facts}
    assert column(table, "out_denied_third_party") == [2, 0, None, 0, 0, 0, 2]
    # the group total of a column with an unknown sub-row is unknown too (identities.subtotal, as the checks use it)
    totals = [subtotal("out_denied_total", lambda m, d=dim: table.get((m, d))) for dim in APPLICANT_ORDER]
    assert totals == [5, 0, None, 0, 0, 0, 5]


def test_fmt2021_group_totals_are_not_invented(fmt2021):
    """不予公开/无法提供/不予处理/其他处理 print no figure of their own in table 三: no fact, only their sub-rows."""
    _, facts = fmt2021
    metrics = {f.metric for f in facts}
    assert not metrics & {"out_denied_total", "out_unable_total", "out_not_processed_total", "out_other_total"}
    table = {(f.metric, f.dim): f.value for f in facts}
    assert subtotal("out_unable_total", lambda m: table.get((m, "total"))) == 15
    assert subtotal("out_other_total", lambda m: table.get((m, "natural_person"))) == 3


def test_fmt2021_identities_hold_in_every_column(fmt2021):
    _, facts = fmt2021
    table = with_groups({(f.metric, f.dim): f.value for f in facts})
    for dim in APPLICANT_ORDER:
        assert table[("req_new", dim)] + table[("req_carried_in", dim)] == \
            table[("out_total", dim)] + table[("req_carried_out", dim)]
        if all((m, dim) in table for m in OUTCOME_ROWS):
            assert sum(table[(m, dim)] for m in OUTCOME_ROWS) == table[("out_total", dim)]


def test_fmt2021_tables_2_and_4(fmt2021):
    _, facts = fmt2021
    table = {f.metric: f.value for f in facts if not f.dim}
    assert table["normative_docs_issued"] == 4 and table["normative_docs_repealed"] == 1
    assert table["normative_docs_in_force"] == 37 and table["regulations_in_force"] == 0
    assert (table["licensing_decisions"], table["penalty_decisions"], table["coercion_decisions"]) == (126, 58, 3)
    assert table["admin_fee_amount"] == 12.5
    assert [table[m] for m in ("review_upheld", "review_corrected", "review_other", "review_pending",
                               "review_total")] == [2, 1, 0, 1, 4]
    assert table["lit_direct_total"] == 2 and table["lit_after_review_other"] == 1
    assert "regulations_published_new" not in table


def test_fact_spans_and_quotes(fmt2021):
    doc, facts = fmt2021
    # 25 printed rows × 7 applicant columns of table 三 (one blank cell), tables 二 and 四: 25 figures
    assert len(facts) == 25 * 7 - 1 + 25
    for fact in facts:
        assert fact.method == "table" and fact.unit
        assert len(fact.quote) <= QUOTE_MAX
        printed = doc.text[fact.start:fact.end]
        assert float(printed) == fact.value and fact.quote.endswith(printed)
    quote = next(f.quote for f in facts if f.metric == "out_granted" and f.dim == "total")
    assert quote == "(一)予以公开 总计 18"


def test_fmt2019_layout():
    doc = read_document(FIXTURES / "fmt2019" / "report.txt")
    table = facts_of(doc)
    assert table[("normative_docs_published_total", "")] == 11
    assert table[("licensing_items_delta", "")] == 2
    assert table[("other_mgmt_services_items_delta", "")] == -1
    assert table[("central_procurement_amount", "")] == 86.4
    assert table[("admin_fee_items_prev", "")] == 3
    assert ("normative_docs_repealed", "") not in table
    # (六)其他处理 is one row in fmt2019
    assert column(table, "out_other_total") == [1, 0, 0, 0, 0, 0, 1]
    assert not any(metric.startswith("out_other_") and metric != "out_other_total" for metric, _ in table)


# --------------------------------------------------------------------------------- flattened text

GLUED = """二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件512340第二十条第(五)项信息内容本年处理决定数量行政许可318第二十条第(六)项信息内容本年处理决定数量行政处罚77行政强制5第二十条第(八)项信息内容本年收费金额(单位:万元)行政事业性收费3.25
三、收到和处理政府信息公开申请情况(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量310010032二、上年结转政府信息公开申请数量0000000三、本年度办理结果(一)予以公开120010013(二)部分公开(区分处理的,只计这一情形,不计其他情形)4000004(三)不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护第三方合法权益10000015.属于三类内部事务信息00000006.属于四类过程性信息00000007.属于行政执法案卷00000008.属于行政查询事项0000000(四)无法提供1.本机关不掌握相关政府信息9000009 2.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000(五)不予处理1.信访举报投诉类申请20000022.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000(六)其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他1000001(七)总计290010030四、结转下年度继续办理2000002
四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计12030151100200000五、存在的主要问题及改进情况
"""


def test_glued_digits_split_by_the_tables_own_sums():
    table = facts_of(text_doc(GLUED))
    # "310010032": 31+0+0+1+0+0 = 32 is the only split whose applicant cells add up to 总计
    assert column(table, "req_new") == [31, 0, 0, 1, 0, 0, 32]
    # "120010013" splits as 12,0,0,1,0,0,13 or 1,2,0,0,10,0,13: only the first balances the 商业企业 column
    assert column(table, "out_granted") == [12, 0, 0, 1, 0, 0, 13]
    assert column(table, "out_total") == [29, 0, 0, 1, 0, 0, 30]
    assert column(table, "out_unable_total") == [9, 0, 0, 0, 0, 0, 9]
    assert column(table, "req_carried_out") == [2, 0, 0, 0, 0, 0, 2]
    # table 四: "12030151100200000" (17 digits, 15 cells): only 12,0,3,0,15 | 1,1,0,0,2 | 0,0,0,0,0 has each
    # 总计 equal to the sum of its four outcomes
    assert [table[(m, "")] for m in ("review_upheld", "review_other", "review_total", "lit_direct_upheld",
                                      "lit_direct_corrected", "lit_direct_total", "lit_after_review_total")] \
        == [12, 3, 15, 1, 1, 2, 0]


def test_glued_digits_without_an_identity_are_left_out():
    table = facts_of(text_doc(GLUED))
    assert [table[(m, "")] for m in ("regulations_issued", "regulations_repealed", "regulations_in_force")] == [0, 0, 0]
    # "512340" could be 5,12,340 or 51,2,340 or 5,1,2340 …: no fact rather than a guess
    assert not any(metric.startswith("normative_docs") for metric, _ in table)
    # one cell per row is never ambiguous
    assert table[("licensing_decisions", "")] == 318 and table[("admin_fee_amount", "")] == 3.25


def test_one_cell_per_line_copy():
    text = "二、主动公开政府信息情况\n第二十条第(一)项 |\n|||\n信息内容 |\n本年新 |\n本年新 |\n对外公开总数量 |\n||\n" \
           "规章 |\n0 |\n0 |\n0 |\n||\n规范性文件 |\n3 |\n3 |\n20 |\n||\n第二十条第(五)项 |\n|||\n信息内容 |\n" \
           "上一年项目数量 |\n本年增/减 |\n处理决定数量 |\n||\n行政许可 |\n12 |\n-2 |\n96 |\n||\n" \
           "其他对外管理服务事项 |\n行政检查 |\n0 |\n0 |\n4 |\n|\n行政确认 |\n2 |\n1 |\n7 |\n||\n第二十条第(六)项 |\n"
    table = facts_of(text_doc(text))
    assert table[("normative_docs_published_total", "")] == 20
    assert table[("licensing_items_delta", "")] == -2 and table[("licensing_decisions", "")] == 96
    # sub-rows a report invented under 其他对外管理服务事项 are summed into it
    assert [table[(m, "")] for m in ("other_mgmt_services_items_prev", "other_mgmt_services_items_delta",
                                     "other_mgmt_services_decisions")] == [2, 1, 11]
    # … unless one of them does not fit the columns
    broken = facts_of(text_doc(text.replace("行政确认 |\n2 |\n1 |", "行政确认 |\n1 |")))
    assert not any(metric.startswith("other_mgmt") for metric, _ in broken)


def test_markdown_row_with_blank_total():
    text = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n" \
           "| 一、本年新收政府信息公开申请数量 | 7 | 1 | 0 | 0 | 0 | 0 | 8 |  |\n" \
           "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |\n"
    table = facts_of(text_doc(text))
    assert column(table, "req_new") == [7, 1, 0, 0, 0, 0, 8]
    assert column(table, "req_carried_out") == [1, 0, 0, 0, 0, 0, None]


def test_prose_without_tables_gives_nothing():
    text = "2017年共主动公开政府信息267条。共收到政府信息公开申请2件,其中同意公开2件。行政许可事项办理126件。"
    assert table_facts(text_doc(text), ReportMeta()) == []


# ------------------------------------------------------------------------------------- real corpus

def test_hongze_2023_pdf(corpus_dir):
    table = facts_of(read_document(corpus_dir / "full" / "jiangsu_hongze_2023.pdf"))
    totals = {m: table[(m, "total")] for m in ("req_new", "out_granted", "out_partially_granted", "out_unable_not_held",
                                               "out_unable_needs_creation", "out_other_total", "out_total",
                                               "req_carried_out", "out_denied_total")}
    assert totals == {"req_new": 21, "out_granted": 0, "out_partially_granted": 4, "out_unable_not_held": 10,
                      "out_unable_needs_creation": 3, "out_other_total": 0, "out_total": 21, "req_carried_out": 0,
                      "out_denied_total": 3}
    # the printed label "2.其他法律行政止公开" lost characters; its ordinal under (三) still places it
    assert table[("out_denied_law_prohibited", "total")] == 0
    assert (table[("licensing_decisions", "")], table[("penalty_decisions", "")]) == (550, 4119)
    assert table[("admin_fee_amount", "")] == 7730.28
    # table 四 as printed (its 复议 总计 0 contradicts 10 + 1: a finding for checks, not a reason to change it)
    assert (table[("review_upheld", "")], table[("review_corrected", "")], table[("review_total", "")]) == (10, 1, 0)
    assert table[("lit_after_review_upheld", "")] == 5


def test_hongze_2024_pdf(corpus_dir):
    table = facts_of(read_document(corpus_dir / "full" / "jiangsu_hongze_2024.pdf"))
    assert column(table, "req_new") == [95, 0, 0, 0, 0, 0, 95]
    assert table[("out_granted", "total")] == 50 and table[("out_unable_total", "total")] == 32
    assert table[("lit_after_review_total", "")] == 3


@pytest.mark.parametrize("year, req_new, out_granted, review_total", [
    (2021, [64, 0, 0, 2, 0, 4, 70], [27, 0, 0, 2, 0, 1, 30], 3),
    (2022, [71, 3, 0, 0, 0, 0, 74], [21, 0, 0, 0, 0, 0, 21], 2),
    (2025, [151, 3, 0, 0, 0, 0, 154], [33, 0, 0, 0, 0, 0, 33], 36),
])
def test_pingtan_fmt2021_glued_copies(corpus_dir, year, req_new, out_granted, review_total):
    table = facts_of(read_document(corpus_dir / "full" / f"fujian_pingtan_{year}.txt"))
    assert column(table, "req_new") == req_new
    assert column(table, "out_granted") == out_granted
    assert table[("review_total", "")] == review_total
    # 行政规范性文件's three counts are glued with no identity to split them
    assert ("normative_docs_issued", "") not in table


def test_pingtan_2020_fmt2019(corpus_dir):
    table = facts_of(read_document(corpus_dir / "full" / "fujian_pingtan_2020.txt"))
    assert (table[("admin_fee_items_prev", "")], table[("admin_fee_items_delta", "")]) == (35, -15)
    assert column(table, "out_other_total") == [4, 0, 0, 0, 0, 0, 4]
    assert ("licensing_decisions", "") not in table          # "396442278": ambiguous


@pytest.mark.parametrize("year", range(2019, 2026))
def test_pingtan_request_identity_holds(corpus_dir, year):
    table = facts_of(read_document(corpus_dir / "full" / f"fujian_pingtan_{year}.txt"))
    checked = 0
    for dim in APPLICANT_ORDER:
        keys = [(m, dim) for m in ("req_new", "req_carried_in", "out_total", "req_carried_out")]
        if all(k in table for k in keys):
            new, carried_in, total, carried_out = (table[k] for k in keys)
            assert new + carried_in == total + carried_out, dim
            checked += 1
    assert checked >= 6


def test_shanghai_markdown_copies(corpus_dir):
    office = facts_of(read_document(corpus_dir / "full" / "shanghai_bangongting_2025.md"))
    assert column(office, "req_new") == [1259, 36, 0, 0, 0, 0, 1295]
    assert office[("out_denied_total", "total")] == 20 and office[("out_unable_total", "total")] == 564
    assert office[("review_total", "")] == 55 and office[("lit_after_review_total", "")] == 22
    # rows whose label the conversion tore from their figures ("| 2 | 0 | … | 2 |" under a text line "(二)部分
    # 公开…", "| 行政机关不再处理其政府信息公 | 40 | …" under (六)) are placed by the template's order between
    # the labelled rows around them, and the table's identities then hold in every column
    assert column(office, "out_partially_granted") == [2, 0, 0, 0, 0, 0, 2]
    assert column(office, "out_other_no_correction") == [40, 1, 0, 0, 2, 0, 43]
    assert column(office, "out_not_processed_confirm_reissue") == [0] * 7
    assert column(office, "out_other_total") == [304, 13, 0, 0, 2, 0, 319]
    for dim in APPLICANT_ORDER:
        outcomes = sum(office[(m, dim)] for m in OUTCOME_ROWS)
        assert outcomes == office[("out_total", dim)], dim
        assert office[("req_new", dim)] + office[("req_carried_in", dim)] == \
            office[("out_total", dim)] + office[("req_carried_out", dim)], dim
    # "| 规章 | 22 | 235 |" has two figures for three columns: not guessed
    assert ("regulations_issued", "") not in office
    kewei = facts_of(read_document(corpus_dir / "full" / "shanghai_kewei_2024.md"))
    assert kewei[("normative_docs_in_force", "")] == 55 and kewei[("licensing_decisions", "")] == 97
    assert kewei[("req_carried_out", "natural_person")] == 1 and ("req_carried_out", "total") not in kewei
    assert kewei[("review_upheld", "")] == 1
    # eleven rows printed as figures without their labels, in order between the labelled ones
    assert column(kewei, "out_denied_internal_affairs") == [1, 0, 0, 0, 0, 0, 1]
    assert column(kewei, "out_unable_needs_creation") == [6, 0, 0, 0, 0, 0, 6]
    assert column(kewei, "out_other_no_correction") == [8, 2, 0, 0, 0, 0, 10]
    assert kewei[("out_unable_total", "total")] == 10 and kewei[("out_other_total", "total")] == 14
    assert sum(kewei[(m, "total")] for m in OUTCOME_ROWS) == kewei[("out_total", "total")] == 35


def test_web_copy_pages(corpus_dir):
    hexi = facts_of(read_document(corpus_dir / "pages" / "sichuan-lizhou_hexi_2019.txt"))
    assert (hexi[("normative_docs_issued", "")], hexi[("normative_docs_published_new", "")]) == (2, 1)
    assert hexi[("req_new", "total")] == 0
    jiarongli = facts_of(read_document(corpus_dir / "pages" / "tianjin-beichen_jiarongli_2021.txt"))
    assert jiarongli[("licensing_decisions", "")] == 0 and ("admin_fee_amount", "") not in jiarongli


def test_noise_in_a_table_region_is_skipped_quickly():
    import time
    noise = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)一、本年新收政府信息公开申请数量" \
            + "9" * 60 + "二、上年结转政府信息公开申请数量 | | 3 | x |\n(七)总计" + "1234567890" * 5 \
            + "\n四、政府信息公开行政复议、行政诉讼情况未经复议直接起诉复议后起诉总计" + "7" * 40
    started = time.perf_counter()
    assert table_facts(text_doc(noise), ReportMeta()) == []
    assert time.perf_counter() - started < 2.0


# ----------------------------------------------------------------------------- layouts (tests/fixtures/tables)
# Small reports written for these tests in the genre's layouts, all holding the same table 三 (fmt2021; 15 new
# requests, 1 carried in, 15 handled, 1 carried forward) and the same table 四 (复议 3/1/0/1/5, 直接起诉 2/0/1/0/3,
# 复议后起诉 1/0/0/0/1), so that every layout must give the same cells.

TABLES = FIXTURES / "tables"
REVIEW = ("review_upheld", "review_corrected", "review_other", "review_pending", "review_total")


def read_with_gaps(path) -> tuple[dict[tuple[str, str], float], list[tuple[str, str]]]:
    doc = read_document(path)
    meta = ReportMeta(era="fmt2021")
    facts = table_facts(doc, meta)
    return with_groups({(f.metric, f.dim): f.value for f in facts}), meta.unread


def table_four(table: dict) -> list[list[float | None]]:
    return [[table.get((m.replace("review", prefix), "")) for m in REVIEW]
            for prefix in ("review", "lit_direct", "lit_after_review")]


@pytest.mark.parametrize("name", ["one_cell_per_line.txt", "subtables.html", "torn_labels.md"])
def test_table_four_as_three_sub_tables_or_one_row(name):
    table, _ = read_with_gaps(TABLES / name)
    assert table_four(table) == [[3, 1, 0, 1, 5], [2, 0, 1, 0, 3], [1, 0, 0, 0, 1]]


@pytest.mark.parametrize("name", ["one_cell_per_line.txt", "torn_labels.md"])
def test_same_table_three_whatever_the_layout(name):
    table, gaps = read_with_gaps(TABLES / name)
    assert column(table, "req_new") == [12, 2, 0, 0, 1, 0, 15]
    assert column(table, "out_unable_not_held") == [2, 1, 0, 0, 1, 0, 4]
    assert column(table, "out_other_misc") == [1, 0, 0, 0, 0, 0, 1]
    assert column(table, "req_carried_out") == [1, 0, 0, 0, 0, 0, 1]
    for dim in APPLICANT_ORDER:
        assert sum(table[(m, dim)] for m in OUTCOME_ROWS) == table[("out_total", dim)]
    assert gaps == []


def test_a_page_footer_inside_a_row_is_not_a_figure():
    # one cell per line: "2 1 0", then the page's footer "— 5 —", then "0 1 0 4" on the next page
    doc = read_document(TABLES / "one_cell_per_line.txt")
    footer = doc.text.index("— 5 —")
    facts = table_facts(doc, ReportMeta(era="fmt2021"))
    assert not any(f.start < footer + 5 and f.end > footer for f in facts if "之和" not in f.quote)
    not_held = {f.dim: (f.value, f.start) for f in facts if f.metric == "out_unable_not_held"}
    assert not_held["social_welfare"][1] > footer > not_held["research"][1]
    assert [not_held[dim][0] for dim in APPLICANT_ORDER] == [2, 1, 0, 0, 1, 0, 4]


def test_labels_torn_from_their_figures_are_placed_in_template_order():
    # the (四) rows' figures come first, their labels after them, split over lines: placed by the template's order
    table, _ = read_with_gaps(TABLES / "torn_labels.md")
    assert column(table, "out_partially_granted") == [2, 0, 0, 0, 0, 0, 2]
    assert column(table, "out_unable_needs_creation") == [0] * 7
    assert column(table, "out_not_processed_confirm_reissue") == [0] * 7
    assert table[("out_unable_total", "total")] == 4


def test_total_column_left_out():
    table, gaps = read_with_gaps(TABLES / "t3_no_total.md")
    assert column(table, "req_new") == [12, 2, 0, 0, 1, 0, None]
    assert column(table, "out_total") == [12, 2, 0, 0, 1, 0, None]
    assert not any(dim == "total" for _, dim in table)
    assert gaps == [("", "表三: the 总计 column is not printed: its cells are unknown")]


def test_total_column_printed_blank_is_unknown_and_named():
    # the 总计 cell is blank (&nbsp;) on every outcome row, as in a real fmt2019 table: unknown, not 0
    table, gaps = read_with_gaps(TABLES / "subtables.html")
    assert column(table, "out_granted") == [6, 1, 0, 0, 0, 0, None]
    assert column(table, "out_total") == [12, 2, 0, 0, 1, 0, 15]
    assert ("out_unable_total", "total") not in table and table[("out_unable_total", "business")] == 1
    named = {metric for metric, _ in gaps}
    assert {"out_granted", "out_unable_not_held", "out_other_total"} <= named
    assert all("总计 printed blank" in why for _, why in gaps)


def test_rows_that_cannot_be_read_are_named_not_guessed():
    text = GLUED.replace("一、本年新收政府信息公开申请数量310010032", "一、本年新收政府信息公开申请数量0 00000")
    doc = text_doc(text)
    meta = ReportMeta()
    table = {(f.metric, f.dim): f.value for f in table_facts(doc, meta)}
    assert not any(metric == "req_new" for metric, _ in table)
    assert ("req_new", "表三 一、本年新收政府信息公开申请数量: '0 00000' cannot be cut into 7 figures") in meta.unread
    # a run whose digits can be cut only one way is read as printed, even when its 总计 is not the sum:
    # the report says so, and the checks report the broken identity
    forced = text_doc(GLUED.replace("(七)总计290010030", "(七)总计1000000"))
    table = {(f.metric, f.dim): f.value for f in table_facts(forced, ReportMeta())}
    assert column(table, "out_total") == [1, 0, 0, 0, 0, 0, 0]


def test_next_rows_ordinal_glued_to_a_run_is_not_a_digit():
    # "…00000002.其他法律和行政法规…": the label's variant wording hides its ordinal from the phrasing
    text = GLUED.replace("2.其他法律行政法规禁止公开", "2.其他法律和行政法规禁止公开")
    table = facts_of(text_doc(text))
    assert column(table, "out_denied_state_secret") == [0] * 7
    assert column(table, "out_denied_law_prohibited") == [0] * 7


def _full_reports(corpus_dir) -> list:
    return sorted(p for p in [*(corpus_dir / "full").iterdir(), *(corpus_dir / "district" / "reports").iterdir()]
                  if p.suffix in (".txt", ".md", ".pdf"))


def test_table_three_identities_hold_or_a_finding_names_the_row(corpus_dir):
    """Every complete report of full/ and district/ with a table 三: each identity of the table, in every column,
    holds, or fails with a finding of that check, or has an unknown term whose row a finding names."""
    from gongkai.checks import check_report
    from gongkai.extract import extract_report
    from gongkai.extract.tables import find_regions
    from gongkai.identities import identities, subtotal, subtotals
    checked = 0
    for path in _full_reports(corpus_dir):
        doc = read_document(path)
        if "t3" not in find_regions(doc.text):
            continue
        report = extract_report(doc)
        findings = check_report(report)
        named = {f.metric for f in findings if f.check == "table_unread"}
        table = {(f.metric, f.dim): f.value for f in report.facts if f.method == "table"}
        single_other = ("out_other_total", "total") in table and not any(
            m in named or (m, "total") in table for m in subtotals()["out_other_total"])
        for identity in identities("3"):
            if not identity.applies_to(report.meta.era) or (identity.check == "T3-4" and single_other):
                continue        # (六) printed as one row, as fmt2019 prints it: no sub-rows to add up
            for dim in APPLICANT_ORDER:
                def value_of(metric, dim=dim):
                    value = table.get((metric, dim))
                    return value if value is not None else subtotal(metric, value_of)
                values = {m: value_of(m) for m in identity.left + identity.right}
                unknown = {m for m, v in values.items() if v is None}
                if unknown:
                    rows = unknown | {s for m in unknown for s in subtotals().get(m, ())}
                    assert rows & named or "" in named, (path.name, identity.check, dim, unknown)
                elif sum(values[m] for m in identity.left) != sum(values[m] for m in identity.right):
                    assert any(f.check == identity.check and f.dim in (dim, "") for f in findings), \
                        (path.name, identity.check, dim)
                checked += 1
    assert checked > 2000


# ------------------------------------------------------------------------------- the pre2019 statistics table

STATS = ("附表： 指标名称 计量单位 年末统计 主动公开信息数 条 6 其中：1．网站公开 条 6 2．政府公报公开 条 0 "
         "受理依申请公开信息总数 条 3 其中：1．当面申请数 条 1 2．传真申请数 条 0 3．电子邮件申请数 条 2 "
         "对申请的答复总数 条 3 其中：1．同意公开答复数 条 2 2．同意部分公开答复数 条 1 3．否决公开答复总数 条 0 "
         "行政复议数 件 0 行政诉讼数 件 0 行政申诉数 件 0 附件下载")


def test_pre2019_statistics_table_is_a_layout_in_the_data():
    facts = table_facts(text_doc(STATS), ReportMeta(era="pre2019"))
    table = {(f.metric, f.dim): f.value for f in facts}
    # the year's proactive figures are the prose's to state (tables and prose disagree on them in real reports)
    assert not any(metric.startswith("proactive") for metric, _ in table)
    assert table[("req_new", "")] == 3 and table[("req_by_channel", "email")] == 2
    assert (table[("out_total", "")], table[("out_granted", "")], table[("out_partially_granted", "")]) == (3, 2, 1)
    assert table[("review_total", "")] == 0 and table[("complaints_total", "")] == 0
    # 否决公开 counts 信息不存在, 非本部门掌握 … too: it is not 不予公开, and it is not read as anything
    assert not any(metric.startswith("out_denied") for metric, _ in table)
    # only in a pre2019 report
    assert table_facts(text_doc(STATS), ReportMeta(era="fmt2019")) == []


def test_statistics_table_with_a_cumulative_column_reads_the_year():
    text = ("情况统计表 指标名称计量单位2012年度历年累计主动公开信息数条739 4359其中：1、网站公开条739 4359"
            "2、政府公报公开条00受理依申请公开信息总数条2121其中：1、当面申请数条1818")
    meta = ReportMeta(era="pre2019")
    table = {(f.metric, f.dim): f.value for f in table_facts(text_doc(text), meta)}
    assert table[("proactive_items_cumulative", "")] == 4359 and ("proactive_items_total", "") not in table
    # "2121" is 2|121, 21|21 or 212|1: not guessed, and named
    assert ("req_new", "") not in table and any(metric == "req_new" for metric, _ in meta.unread)


def test_district_copies_with_glued_digits(corpus_dir):
    reports = corpus_dir / "district" / "reports"
    # "…1.属于国家秘密00000002.其他法律和行政法规禁止公开…": the 2 is the next row's ordinal, not a digit
    jsp = facts_of(read_document(reports / "jsp_2024.txt"))
    assert column(jsp, "out_denied_state_secret") == [0] * 7 and column(jsp, "req_new") == [5, 0, 0, 0, 0, 0, 5]
    # "(七)总计0000000" although 4 requests were answered: read as printed; the checks report T3-1 and T3-3
    from gongkai.checks import check_report
    from gongkai.extract import extract_report
    report = extract_report(read_document(reports / "jjf_2025.txt"))
    table = {(f.metric, f.dim): f.value for f in report.facts if f.method == "table"}
    assert column(table, "out_total") == [0] * 7 and table[("out_granted", "total")] == 3
    assert {"T3-1", "T3-3"} <= {f.check for f in check_report(report)}
    # table 四 "010000000000000": fifteen digits, fifteen cells; 复议 总计 0 beside 结果纠正 1 is the report's
    assert [table[(m, "")] for m in REVIEW] == [0, 1, 0, 0, 0]
    # "四、结转下年度继续办理 0 00000": six digits for seven cells: not read, and named
    meta = ReportMeta(era="fmt2021")
    carried = {(f.metric, f.dim) for f in table_facts(read_document(reports / "jjp_2022.txt"), meta)}
    assert not any(metric == "req_carried_out" for metric, _ in carried)
    assert any(metric == "req_carried_out" and "cannot be cut into 7 figures" in why for metric, why in meta.unread)


# ------------------------------------------------------------------ fragments of table 三 under its heading

def test_table3_fragment_under_its_heading_without_the_new_requests_row():
    doc = text_doc("三、收到和处理政府信息公开申请情况\n"
                   "（四）无法提供 | 3.补正后申请内容仍不明确 | 0 | 2 | 0 | 0 | 1 | 0 | 3\n"
                   "（五）不予处理 | 2.重复申请 | 4 | 0 | 0 | 0 | 0 | 0 | 4\n")
    table = facts_of(doc)
    assert column(table, "out_unable_unclear") == [0, 2, 0, 0, 1, 0, 3]
    assert column(table, "out_not_processed_duplicate") == [4, 0, 0, 0, 0, 0, 4]


def test_table3_first_row_with_its_ordinal_is_read():
    doc = text_doc("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 6 | 1 | 0 | 0 | 0 | 0 | 7\n")
    assert column(facts_of(doc), "req_new") == [6, 1, 0, 0, 0, 0, 7]
    doc = text_doc("附表\n一、本年新收政府信息公开申请数量 | 6 | 1 | 0 | 0 | 0 | 0 | 7\n")
    assert column(facts_of(doc), "req_new") == [6, 1, 0, 0, 0, 0, 7]


def test_table3_heading_over_prose_gives_no_cells():
    doc = text_doc("三、收到和处理政府信息公开申请情况\n本年度共受理申请12件，予以公开8件，部分公开2件，不予公开1件。\n")
    assert table_facts(doc, ReportMeta()) == []


def test_tables_two_and_four_found_by_their_header_rows_or_heading():
    doc = text_doc("二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n行政规范性文件 | 4 | 2 | 30\n"
                   "信息内容 | 本年处理决定数量\n行政处罚 | 12\n")
    facts = {f.metric: f.value for f in table_facts(doc, ReportMeta(era="fmt2021"))}
    assert facts["normative_docs_in_force"] == 30 and facts["penalty_decisions"] == 12
    doc = text_doc("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n"
                   "行政复议 | 0 | 1 | 0 | 0 | 1\n")
    facts = {f.metric: f.value for f in table_facts(doc, ReportMeta(era="fmt2021"))}
    assert facts["review_corrected"] == 1 and facts["review_total"] == 1


def test_a_sub_table_named_over_its_headers_then_its_figures():
    doc = text_doc("四、政府信息公开行政复议、行政诉讼情况\n复议后起诉 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n"
                   " | 0 | 0 | 1 | 0 | 1\n")
    facts = {f.metric: f.value for f in table_facts(doc, ReportMeta(era="fmt2021"))}
    assert facts == {"lit_after_review_upheld": 0, "lit_after_review_corrected": 0, "lit_after_review_other": 1,
                     "lit_after_review_pending": 0, "lit_after_review_total": 1}


def test_cells_each_printed_after_its_column_header():
    doc = text_doc("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持 0\n结果纠正 2\n其他结果 0\n尚未审结 1\n总计 3\n")
    facts = {f.metric: f.value for f in table_facts(doc, ReportMeta(era="fmt2021"))}
    assert [facts[m] for m in ("review_upheld", "review_corrected", "review_other", "review_pending",
                               "review_total")] == [0, 2, 0, 1, 3]


def test_table3_rows_found_by_their_own_figures_under_another_heading():
    doc = text_doc("（三）依申请公开情况\n（四）无法提供 | 1.本机关不掌握相关政府信息 | 0 | 3 | 0 | 0 | 0 | 0 | 3\n"
                   "本年度结转下年度继续办理2件。\n")
    assert column(facts_of(doc), "out_unable_not_held") == [0, 3, 0, 0, 0, 0, 3]
    prose = text_doc("（三）依申请公开情况\n本年度予以公开5件，无法提供3件，结转下年度继续办理2件。\n")
    assert table_facts(prose, ReportMeta()) == []


def test_table4_review_row_found_by_its_five_figures():
    doc = text_doc("（四）复议诉讼\n行政复议 | 0 | 0 | 1 | 0 | 1\n")
    facts = {f.metric: f.value for f in table_facts(doc, ReportMeta(era="fmt2021"))}
    assert facts["review_other"] == 1 and facts["review_total"] == 1
