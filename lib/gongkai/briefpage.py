"""What a brief's notebook cells display: title, section headings, headline figures, figures, tables.

Each display helper (heading, section, headline, show, table) is one call from a notebook cell; it
displays the HTML that its *_html twin returns, so the markup can be tested without a kernel. Report
text is escaped, source URLs become links only when they are http(s), and a plotly figure becomes a div
with the fixed id fig-<name> and no plotly.js (the brief's template inlines plotly.js once). Labels in
Chinese or English (TEXT). The headline helpers turn the frames of gongkai.views into (label, value) pairs.
"""
from __future__ import annotations

import re
from html import escape

from gongkai import taxonomy
from gongkai.wording import year_span

TEXT = {
    "zh": {"title_district": "{district}政府信息公开工作年度报告分析（{years}年）",
           "title_office": "{office}政府信息公开工作年度报告分析（{years}年）",
           "subtitle": "数据来自各单位公开的年度报告；每个数字均可追溯到报告原文与来源网址。缺失的数字留空，不按0计。",
           "overview": "概况", "volume": "主动公开信息数量", "mix": "主动公开信息类别",
           "outcomes": "依申请公开办理结果", "coverage": "年度报告覆盖情况", "quality": "数据质量",
           "sources": "数据来源", "no_findings": "所选单位的报告未发现需要核对的问题。",
           "offices": "单位数", "reports": "年度报告数", "items": "{year}年主动公开信息", "median": "{year}年全区中位数",
           "grant_rate": "{year}年予以公开率", "errors": "错误提示", "office_items": "{year}年主动公开信息",
           "vs_median": "与全区中位数相比"},
    "en": {"title_district": "{district}: government information disclosure reports, {years}",
           "title_office": "{office}: government information disclosure reports, {years}",
           "subtitle": "Figures come from the offices' published annual reports; each one links to its quote and "
                       "source. Missing figures are left blank, never counted as 0.",
           "overview": "Overview", "volume": "Publication volume", "mix": "Category mix",
           "outcomes": "Request outcomes", "coverage": "Report coverage", "quality": "Data quality",
           "sources": "Sources", "no_findings": "No findings to review for the selected offices.",
           "offices": "Offices", "reports": "Reports", "items": "Items disclosed {year}",
           "median": "District median {year}", "grant_rate": "Grant rate {year}", "errors": "Error findings",
           "office_items": "Items disclosed {year}", "vs_median": "vs district median"},
}
COLUMNS = {
    "office": ("单位", "Office"), "year": ("年度", "Year"), "metric": ("指标", "Metric"), "dim": ("分项", "Item"),
    "value": ("数值", "Value"), "unit": ("单位", "Unit"), "qualifier": ("性质", "Qualifier"),
    "quote": ("原文", "Quote"), "source": ("来源", "Source"), "severity": ("级别", "Severity"),
    "check": ("检查", "Check"), "message": ("说明", "Message"),
}


def brief_title(kind: str, params: dict, dataset) -> str:
    """The brief's heading (and HTML <title>), in the brief's language."""
    text = TEXT[params.get("lang", "zh")]
    years = year_span(params["years"])
    if kind == "district":
        return text["title_district"].format(district=params["district"], years=years)
    names = dataset.offices.set_index("office_id").name
    return text["title_office"].format(office=names.get(params["office_id"], params["office_id"]), years=years)


def _display(markup: str) -> None:
    from IPython.display import HTML, display
    display(HTML(markup))


def figure_html(fig, name: str) -> str:
    """A plotly figure as an HTML div with the fixed id fig-<name>, without plotly.js (the page has it)."""
    div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"fig-{name}",
                      config={"displaylogo": False, "responsive": True})
    return f'<div class="gk-figure" data-figure="{name}">{div}</div>'


def show(fig, name: str) -> None:
    """Display figure_html(fig, name)."""
    _display(figure_html(fig, name))


def heading_html(kind: str, params: dict, dataset) -> str:
    """The brief's title (h1) and the note on where its figures come from."""
    text = TEXT[params.get("lang", "zh")]
    return (f'<h1 class="gk-title">{escape(brief_title(kind, params, dataset))}</h1>'
            f'<p class="gk-subtitle">{escape(text["subtitle"])}</p>')


def heading(kind: str, params: dict, dataset) -> None:
    """Display heading_html(kind, params, dataset)."""
    _display(heading_html(kind, params, dataset))


def section_html(key: str, lang: str = "zh") -> str:
    """An h2 section heading from the TEXT table, with the key as its id."""
    return f'<h2 id="{key}">{escape(TEXT[lang][key])}</h2>'


def section(key: str, lang: str = "zh") -> None:
    """Display section_html(key, lang)."""
    _display(section_html(key, lang))


def headline_html(figures: list[tuple[str, str]]) -> str:
    """A row of headline figures: (label, value) pairs, both plain text."""
    boxes = "".join(f'<div class="gk-headline"><div class="gk-value">{escape(value)}</div>'
                    f'<div class="gk-label">{escape(label)}</div></div>' for label, value in figures)
    return f'<div class="gk-headlines">{boxes}</div>'


def headline(figures: list[tuple[str, str]]) -> None:
    """Display headline_html(figures)."""
    _display(headline_html(figures))


def _cell(column: str, value) -> str:
    import pandas as pd
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "<td></td>"
    if column == "source" and isinstance(value, str) and re.match(r"https?://", value):
        return f'<td><a href="{escape(value)}" rel="noopener noreferrer">{escape(value)}</a></td>'
    if isinstance(value, float):
        value = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return f"<td>{escape(str(value))}</td>"


def table_html(frame, columns: list[str], lang: str = "zh", empty: str | None = None) -> str:
    """An escaped HTML table of frame[columns] with translated headers; source URLs become links. An
    empty frame gives the note `empty` instead when one is given."""
    if frame.empty and empty:
        return f'<p class="gk-note">{escape(empty)}</p>'
    k = 0 if lang == "zh" else 1
    head = "".join(f"<th>{escape(COLUMNS.get(c, (c, c))[k])}</th>" for c in columns)
    rows = "".join("<tr>" + "".join(_cell(c, v) for c, v in zip(columns, row)) + "</tr>"
                   for row in frame[columns].itertuples(index=False))
    return f'<table class="gk-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def table(frame, columns: list[str], lang: str = "zh", empty: str | None = None) -> None:
    """Display table_html(frame, columns, lang, empty)."""
    _display(table_html(frame, columns, lang, empty))


def labelled(frame, lang: str = "zh"):
    """frame with metric and dim ids replaced by their labels (taxonomy) for a source table."""
    dims = {**taxonomy.labels("categories", lang), **taxonomy.labels("applicants", lang)}
    return frame.assign(metric=frame.metric.map(lambda m: taxonomy.metric_label(m, lang)),
                        dim=frame.dim.map(lambda d: dims.get(d, d)))


def source_metrics() -> list[str]:
    """The metrics the briefs chart, listed in their source tables."""
    outcome_metrics = [m for row in taxonomy.table("outcomes") for m in row["metrics"].split("|")]
    return ["proactive_items_total", "proactive_items_by_category", "proactive_share_by_category", "req_new",
            *outcome_metrics, "out_total"]


def latest_year(frame, column: str, years: list[int]) -> int:
    """The last year in which frame has a figure in column (the last of years when it has none)."""
    stated = frame.loc[frame[column].notna(), "year"]
    return int(stated.max()) if len(stated) else int(years[-1])


def best_year(frame, column: str, years: list[int]) -> int:
    """The year in which the most offices have a figure in column (the later one on a tie): the year a
    one-year comparison across offices says most about. The last of years when there is no figure."""
    stated = frame[frame[column].notna()]
    if stated.empty:
        return int(years[-1])
    counts = stated.groupby("year").office_id.nunique()
    return int(counts[counts == counts.max()].index.max())


def district_of(dataset, office_id: str) -> str:
    """The district an office belongs to (office registry)."""
    return str(dataset.offices.set_index("office_id").district[office_id])


def _fmt(value, suffix: str = "") -> str:
    import pandas as pd
    return "—" if value is None or pd.isna(value) else f"{value:,.0f}{suffix}"


def district_headline(volume, outcomes, coverage, params: dict) -> list[tuple[str, str]]:
    """Headline figures of a district brief: offices, reports, last year's items, median, grant rate, errors."""
    text = TEXT[params["lang"]]
    year = best_year(volume, "value", params["years"])
    last = volume[volume.year == year]
    request_year = best_year(outcomes, "count", params["years"])
    decided = outcomes[(outcomes.year == request_year) & (outcomes.outcome == "granted")]
    rate = decided["count"].sum() / decided.handled.sum() * 100 if decided.handled.sum() > 0 else None
    return [(text["offices"], _fmt(coverage.office_id.nunique())),
            (text["reports"], _fmt(coverage.reports.sum())),
            (text["items"].format(year=year), _fmt(last.value.sum(min_count=1))),
            (text["median"].format(year=year), _fmt(last.district_median.max())),
            (text["grant_rate"].format(year=request_year), _fmt(rate, "%")),
            (text["errors"], _fmt(coverage.errors.sum()))]


def office_headline(volume, outcomes, coverage, params: dict) -> list[tuple[str, str]]:
    """Headline figures of an office brief: last year's items against the district median, grant rate."""
    text = TEXT[params["lang"]]
    year = latest_year(volume, "value", params["years"])
    last = volume[volume.year == year].iloc[0]
    gap = last.value - last.district_median
    rate = outcomes.loc[(outcomes.year == year), "grant_rate"].max()
    return [(text["office_items"].format(year=year), _fmt(last.value)),
            (text["median"].format(year=year), _fmt(last.district_median)),
            (text["vs_median"], "—" if gap != gap else f"{gap:+,.0f}"),
            (text["grant_rate"].format(year=year), _fmt(rate * 100 if rate == rate else None, "%")),
            (text["reports"], _fmt(coverage.reports.sum())),
            (text["errors"], _fmt(coverage.errors.sum()))]