"""Synthetic report texts in the three eras' layouts (../shared/reference/report-templates.md).

pre2019: the Beijing prose template (概述, 主动公开, 依申请公开, 咨询, 复议诉讼, 问题与改进), figures in its
phrasings ("共主动公开政府信息267条", "机构职能类信息3条", "“同意公开”的7件", "“信息不存在”的1件").
fmt2019 / fmt2021: the six sections of the national formats with tables 二, 三 and 四 as '|' lines, the
template's row and column labels verbatim (fmt2019: five sub-tables of 二, （六）其他处理 a single row;
fmt2021: four sub-tables, （六） with three sub-rows). Table 三 gives 自然人 and 总计; the organisation
columns are left blank, as some real reports do. Every number in a text is one of the report's facts:
write_texts() also writes them to truth.csv, keyed by the text's path.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

CATEGORY_ZH = {"org_function": "机构职能类", "laws_policies": "法规文件类", "plans": "规划计划类",
               "admin_duties": "行政职责类", "work_updates": "业务动态类", "fiscal": "财政预决算类",
               "service_guides": "办事指南类", "notices": "通知公告类", "emergencies": "突发公共事件类",
               "other": "其他类"}
T3_ROWS = [
    ("req_new", "一、本年新收政府信息公开申请数量"), ("req_carried_in", "二、上年结转政府信息公开申请数量"),
    ("out_granted", "三、本年度办理结果 | (一)予以公开"),
    ("out_partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("out_denied_state_secret", "(三)不予公开 | 1.属于国家秘密"), ("out_denied_law_prohibited", "2.其他法律行政法规禁止公开"),
    ("out_denied_security_stability", "3.危及“三安全一稳定”"), ("out_denied_third_party", "4.保护第三方合法权益"),
    ("out_denied_internal_affairs", "5.属于三类内部事务信息"), ("out_denied_process_info", "6.属于四类过程性信息"),
    ("out_denied_enforcement_case", "7.属于行政执法案卷"), ("out_denied_admin_inquiry", "8.属于行政查询事项"),
    ("out_unable_not_held", "(四)无法提供 | 1.本机关不掌握相关政府信息"), ("out_unable_needs_creation", "2.没有现成信息需要另行制作"),
    ("out_unable_unclear", "3.补正后申请内容仍不明确"),
    ("out_not_processed_petition", "(五)不予处理 | 1.信访举报投诉类申请"), ("out_not_processed_duplicate", "2.重复申请"),
    ("out_not_processed_publication", "3.要求提供公开出版物"), ("out_not_processed_excessive", "4.无正当理由大量反复申请"),
    ("out_not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
]
T3_OTHER_2021 = [
    ("out_other_no_correction", "(六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("out_other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("out_other_misc", "3.其他")]
T3_TAIL = [("out_total", "(七)总计"), ("req_carried_out", "四、结转下年度继续办理")]
T3_HEAD = ("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况\n"
           "自然人 | 法人或其他组织 | 总计\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他")
T4_HEAD = ("行政复议 | 行政诉讼\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉\n"
           "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计")


def num(value: float, signed: bool = False) -> str:
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return ("+" + text) if signed and value > 0 else text


def title(office: str, kind: str, year: int) -> str:
    full = office + "办事处" if kind == "street" else office + "人民政府" if kind == "town" else office
    return f"{full}{year}年政府信息公开工作年度报告"


def period(year: int) -> str:
    return f"统计期限自{year}年1月1日起至{year}年12月31日止。"


def _categories(f: dict) -> str:
    cats = [(d, v) for (m, d), v in f.items() if m == "proactive_items_by_category"]
    if not cats:
        return ""
    return "其中，" + "，".join(f"{CATEGORY_ZH[d]}信息{num(v)}条" for d, v in cats) + "。"


def render_pre2019(office: str, kind: str, year: int, f: dict) -> str:
    lines = [title(office, kind, year), "",
             f"本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括概述，主动公开政府信息的情况，依申请公开政府信息和"
             f"不予公开政府信息的情况，因政府信息公开申请行政复议、提起行政诉讼的情况，政府信息公开工作存在不足及改进措施。"
             f"{period(year)}",
             "", "一、概述", "本单位进一步完善公开目录，按时更新网站专栏。",
             "", "二、主动公开政府信息的情况"]
    body = ""
    if ("proactive_items_total", "") in f:
        body += f"{year}年本单位共主动公开政府信息{num(f[('proactive_items_total', '')])}条。"
    body += _categories(f)
    if ("proactive_fulltext_rate", "") in f:
        body += f"主动公开信息全文电子化率达{num(f[('proactive_fulltext_rate', '')])}%。"
    lines.append(body or "本单位通过网站专栏公开政府信息。")
    lines += ["", "三、依申请公开政府信息和不予公开政府信息的情况"]
    if ("req_new", "total") in f:
        new = f[("req_new", "total")]
        if new == 0:
            lines.append("本年度本单位未收到政府信息公开申请。")
        else:
            lines.append(f"本年度共受理政府信息公开申请{num(new)}件。在已经答复的申请中，“同意公开”的"
                         f"{num(f[('out_granted', 'total')])}件；“信息不存在”的{num(f[('out_unable_not_held', 'total')])}件。")
    else:
        lines.append("本单位按照规定办理依申请公开事项。")
    if ("consultations_total", "") in f:
        lines += ["", "四、政府信息公开咨询情况", f"全年共接受政府信息公开方面的咨询{num(f[('consultations_total', '')])}人次。"]
    lines += ["", "五、政府信息公开工作存在不足及改进措施", "个别栏目更新不够及时，下一年度将加强日常维护。", ""]
    return "\n".join(lines)


def _t3(f: dict, era: str) -> list[str]:
    rows = list(T3_ROWS) + (T3_OTHER_2021 if era == "fmt2021" else [("out_other_total", "(六)其他处理")]) + T3_TAIL
    out = [T3_HEAD]
    for metric, label in rows:
        person, total = num(f[(metric, "natural_person")]), num(f[(metric, "total")])
        out.append(f"{label} | {person} |  |  |  |  |  | {total}")
    return out


def render_fmt(office: str, kind: str, year: int, era: str, f: dict) -> str:
    g = lambda m: num(f[(m, "")])  # noqa: E731
    fmt = "国务院办公厅政府信息与政务公开办公室印发的年度报告格式" if era == "fmt2021" else "国务院办公厅下发的年度报告格式(试行)"
    lines = [title(office, kind, year), "",
             f"本报告依照《中华人民共和国政府信息公开条例》第五十条和{fmt}编写。{period(year)}", "", "一、总体情况"]
    overview = "本单位按照条例要求推进主动公开，规范依申请公开办理。"
    if ("proactive_items_total", "") in f:
        overview += f"全年共主动公开政府信息{g('proactive_items_total')}条。"
    overview += _categories(f)
    lines += [overview, "", "二、主动公开政府信息情况"]
    if era == "fmt2021":
        lines += ["第二十条第(一)项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
                  f"规章 | {g('regulations_issued')} | {g('regulations_repealed')} | {g('regulations_in_force')}",
                  f"行政规范性文件 | {g('normative_docs_issued')} | {g('normative_docs_repealed')} | {g('normative_docs_in_force')}",
                  "第二十条第(五)项", "信息内容 | 本年处理决定数量", f"行政许可 | {g('licensing_decisions')}",
                  "第二十条第(六)项", "信息内容 | 本年处理决定数量", f"行政处罚 | {g('penalty_decisions')}",
                  f"行政强制 | {g('coercion_decisions')}",
                  "第二十条第(八)项", "信息内容 | 本年收费金额(单位:万元)", f"行政事业性收费 | {g('admin_fee_amount')}"]
    else:
        d = lambda m: num(f[(m, "")], signed=True)  # noqa: E731
        lines += ["第二十条第(一)项", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
                  f"规章 | {g('regulations_issued')} | {g('regulations_published_new')} | {g('regulations_published_total')}",
                  f"规范性文件 | {g('normative_docs_issued')} | {g('normative_docs_published_new')} | "
                  f"{g('normative_docs_published_total')}",
                  "第二十条第(五)项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
                  f"行政许可 | {g('licensing_items_prev')} | {d('licensing_items_delta')} | {g('licensing_decisions')}",
                  f"其他对外管理服务事项 | {g('other_mgmt_services_items_prev')} | {d('other_mgmt_services_items_delta')} | "
                  f"{g('other_mgmt_services_decisions')}",
                  "第二十条第(六)项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
                  f"行政处罚 | {g('penalty_items_prev')} | {d('penalty_items_delta')} | {g('penalty_decisions')}",
                  f"行政强制 | {g('coercion_items_prev')} | {d('coercion_items_delta')} | {g('coercion_decisions')}",
                  "第二十条第(八)项", "信息内容 | 上一年项目数量 | 本年增/减",
                  f"行政事业性收费 | {g('admin_fee_items_prev')} | {d('admin_fee_items_delta')}",
                  "第二十条第(九)项", "信息内容 | 采购项目数量 | 采购总金额(万元)",
                  f"政府集中采购 | {g('central_procurement_projects')} | {g('central_procurement_amount')}"]
    lines += ["", "三、收到和处理政府信息公开申请情况"] + _t3(f, era)
    t4 = [f[(f"{stem}_{part}", "")] for stem in ("review", "lit_direct", "lit_after_review")
          for part in ("upheld", "corrected", "other", "pending", "total")]
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况", T4_HEAD, " | ".join(num(v) for v in t4)]
    lines += ["", "五、存在的主要问题及改进情况", "答复文书的说理有时过于简略，下一年度将组织答复文书互评。",
              "", "六、其他需要报告的事项", "本年度未收取信息处理费。" if era == "fmt2021" else "无。", ""]
    return "\n".join(lines)


def render(office: str, kind: str, year: int, era: str, facts: dict) -> str:
    """One report's text: facts maps (metric, dim) to the value the text states."""
    if era == "pre2019":
        return render_pre2019(office, kind, year, facts)
    return render_fmt(office, kind, year, era, facts)


def text_path(root: Path, province: str, district: str, office_id: str, year: int) -> Path:
    return root / province / district / f"{office_id}_{year}.txt"


def write_texts(root: Path, geo, reports: pd.DataFrame, facts: pd.DataFrame, truth_file) -> int:
    """Write each report of reports as a text under root/<province>/<district>/ and its facts to truth_file."""
    info = geo.offices.set_index("office_id")
    writer = csv.writer(truth_file, lineterminator="\n")
    grouped = {r: part for r, part in facts.groupby("report", sort=False)}
    count = 0
    for rep in reports.itertuples(index=False):
        part = grouped.get(rep.report)
        stated = {} if part is None else dict(zip(zip(part.metric, part.dim), part.value))
        office = info.loc[rep.office_id]
        path = text_path(root, office.province, rep.district, rep.office_id, rep.year)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(rep.office, office.kind, int(rep.year), rep.era, stated), encoding="utf-8")
        rel = str(path.relative_to(root))
        writer.writerows((rel, rep.office_id, rep.year, m, d, num(v)) for (m, d), v in stated.items())
        count += 1
    return count
