"""What a brief's notebook cells display: navigation, title, summary, headline cards, figures, tables.

Each display helper (heading, section, summary, cards, show, table, year_on_year, office_links, quality,
sources) is one call from a notebook cell; it displays the HTML that its *_html twin returns, so the
markup can be tested without a kernel. Report text is escaped; a source is a link when it is an http(s)
URL and its file name otherwise (never a local path); a plotly figure becomes a div with the fixed id
fig-<name> and no plotly.js (the brief's template inlines plotly.js once). Every table sits in a
horizontally scrolling box (a phone never scrolls the page sideways) with its CSV and Excel downloads
(gongkai.downloads); the source table is collapsible and filterable (the template's script). Links to
other briefs go through their stable names (gongkai.links). Labels in Chinese or English (TEXT).
"""
from __future__ import annotations

import re
from html import escape

from gongkai import taxonomy
from gongkai.links import current_href, index_href, source_label
from gongkai.wording import year_span

TEXT = {
    "zh": {"title_district": "{district}政府信息公开工作年度报告分析（{years}年）",
           "title_office": "{office}政府信息公开工作年度报告分析（{years}年）",
           "subtitle": "数据来自各单位公开的年度报告；每个数字均可追溯到报告原文与来源网址。缺失的数字留空，不按0计。",
           "summary": "摘要", "overview": "概况", "volume": "主动公开信息数量", "mix": "主动公开信息类别",
           "outcomes": "依申请公开办理结果", "yoy": "同比变化", "coverage": "年度报告覆盖情况",
           "offices": "各单位简报", "quality": "数据质量", "sources": "数据来源",
           "no_findings": "所选单位的报告未发现需要核对的问题。", "contents": "目录", "back": "← 全部简报",
           "district_link": "{district}全区简报", "office_links_note": "以下单位有年度报告，点击查看其单独的简报：",
           "no_offices": "没有可链接的单位简报。", "filter": "筛选：输入单位、年度、指标或原文中的字词",
           "sources_summary": "全部{n}个数字及其原文与来源（点击展开）", "shown": "显示", "rows": "行",
           "no_yoy": "所选单位与年度没有可比较的数字。", "quality_note": "以下每一条都指向报告中需要核对的地方，"
           "原报告可从来源链接打开。", "source": "来源"},
    "en": {"title_district": "{district}: government information disclosure reports, {years}",
           "title_office": "{office}: government information disclosure reports, {years}",
           "subtitle": "Figures come from the offices' published annual reports; each one links to its quote and "
                       "source. Missing figures are left blank, never counted as 0.",
           "summary": "Summary", "overview": "Overview", "volume": "Publication volume", "mix": "Category mix",
           "outcomes": "Request outcomes", "yoy": "Year on year", "coverage": "Report coverage",
           "offices": "Office briefs", "quality": "Data quality", "sources": "Sources",
           "no_findings": "No findings to review for the selected offices.", "contents": "Contents",
           "back": "← All briefs", "district_link": "{district}: district brief",
           "office_links_note": "These offices have annual reports; open an office's own brief:",
           "no_offices": "No office brief to link to.", "filter": "Filter: type an office, year, metric or words "
           "of a quote", "sources_summary": "All {n} figures with their quotes and sources (click to open)",
           "shown": "shown", "rows": "rows", "no_yoy": "No figure to compare for the selected offices and years.",
           "quality_note": "Each line points at a place in a report to check; open the report from its source link.",
           "source": "source"},
}
SECTIONS = {"district": ("summary", "overview", "volume", "mix", "outcomes", "yoy", "coverage", "offices",
                         "quality", "sources"),
            "office": ("summary", "overview", "volume", "mix", "outcomes", "yoy", "coverage", "quality", "sources")}
COLUMNS = {
    "office": ("单位", "Office"), "year": ("年度", "Year"), "metric": ("指标", "Metric"), "dim": ("分项", "Item"),
    "value": ("数值", "Value"), "unit": ("单位", "Unit"), "qualifier": ("性质", "Qualifier"),
    "quote": ("原文", "Quote"), "source": ("来源", "Source"), "severity": ("级别", "Severity"),
    "check": ("检查", "Check"), "message": ("说明", "Message"), "group": ("类别", "Kind"),
    "sentence": ("问题", "Finding"),
}
YOY_NOTE = ("约数", "Approximate")
YOY_COLUMNS = {  # year_on_year metric -> (zh, en) headers of its value, change and percent columns
    "proactive_items_total": (("主动公开信息（条）", "主动公开比上年", "主动公开同比"),
                              ("Items disclosed", "Items: change", "Items: change %")),
    "req_new": (("新收申请（件）", "新收申请比上年", "新收申请同比"),
                ("New requests", "Requests: change", "Requests: change %")),
}


def _k(lang: str) -> int:
    return 0 if lang == "zh" else 1


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
    """A plotly figure as an HTML div with the fixed id fig-<name>, without plotly.js (the page has it),
    and the chart's note (charts.note_of) as text under it."""
    from gongkai.charts import note_of
    div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"fig-{name}",
                      config={"displaylogo": False, "responsive": True})
    note = note_of(fig)
    note = f'<p class="gk-note gk-chart-note">{escape(note)}</p>' if note else ""
    return f'<div class="gk-figure" data-figure="{name}">{div}{note}</div>'


def show(fig, name: str) -> None:
    """Display figure_html(fig, name)."""
    _display(figure_html(fig, name))


def district_of(dataset, office_id: str) -> str:
    """The district an office belongs to (office registry)."""
    return str(dataset.offices.set_index("office_id").district[office_id])


def heading_html(kind: str, params: dict, dataset) -> str:
    """The brief's links (back to the index; an office brief's district brief), its title (h1), the note
    on where its figures come from, and its table of contents."""
    lang = params.get("lang", "zh")
    text = TEXT[lang]
    district = params["district"] if kind == "district" else district_of(dataset, params["office_id"])
    links = [f'<a class="gk-back" href="{escape(index_href(district))}">{escape(text["back"])}</a>']
    if kind == "office":
        links.append(f'<a class="gk-district" href="{escape(current_href("district", district, lang))}">'
                     f'{escape(text["district_link"].format(district=district))}</a>')
    toc = "".join(f'<li><a href="#{key}">{escape(text[key])}</a></li>' for key in SECTIONS[kind])
    return (f'<nav class="gk-nav">{" · ".join(links)}</nav>'
            f'<h1 class="gk-title">{escape(brief_title(kind, params, dataset))}</h1>'
            f'<p class="gk-subtitle">{escape(text["subtitle"])}</p>'
            f'<nav class="gk-toc" aria-label="{escape(text["contents"])}"><b>{escape(text["contents"])}</b>'
            f'<ol>{toc}</ol></nav>')


def heading(kind: str, params: dict, dataset) -> None:
    """Display heading_html(kind, params, dataset)."""
    _display(heading_html(kind, params, dataset))


def section_html(key: str, lang: str = "zh") -> str:
    """An h2 section heading from the TEXT table, with the key as its id."""
    return f'<h2 id="{key}">{escape(TEXT[lang][key])}</h2>'


def section(key: str, lang: str = "zh") -> None:
    """Display section_html(key, lang)."""
    _display(section_html(key, lang))


def summary_html(sentences: list[str], lang: str = "zh") -> str:
    """The written summary (gongkai.summary) under its heading, as one paragraph."""
    joiner = "" if lang == "zh" else " "
    return section_html("summary", lang) + f'<p class="gk-summary">{escape(joiner.join(sentences))}</p>'


def summary(sentences: list[str], lang: str = "zh") -> None:
    """Display summary_html(sentences, lang)."""
    _display(summary_html(sentences, lang))


def cards_html(cards) -> str:
    """A row of headline cards (gongkai.summary.Card): figure, label, base, and why a figure is left out."""
    boxes = []
    for card in cards:
        base = f'<div class="gk-base">{escape(card.base)}</div>' if card.base else ""
        note = f'<div class="gk-why">{escape(card.note)}</div>' if card.note else ""
        boxes.append(f'<div class="gk-headline"><div class="gk-value">{escape(card.value)}</div>'
                     f'<div class="gk-label">{escape(card.label)}</div>{base}{note}</div>')
    return f'<div class="gk-headlines">{"".join(boxes)}</div>'


def cards(items) -> None:
    """Display cards_html(items)."""
    _display(cards_html(items))


def short_url(url: str, width: int = 40) -> str:
    """A URL as link text: host and the end of its path, e.g. www.pingtan.gov.cn/…/t20200103_80570.htm."""
    match = re.match(r"https?://([^/?#]+)(.*)", url)
    if not match:
        return url
    host, rest = match.groups()
    tail = rest.rstrip("/").rsplit("/", 1)[-1] if rest.strip("/") else ""
    text = f"{host}/…/{tail}" if tail and rest.count("/") > 1 else f"{host}{rest}"
    return text if len(text) <= width + len(host) else f"{host}/…{tail[-width:]}"


def _source_cell(value) -> str:
    label = source_label(value)
    if re.match(r"https?://", label):
        return f'<a href="{escape(label)}" rel="noopener noreferrer">{escape(short_url(label))}</a>'
    return escape(label)


def _cell(column: str, value) -> str:
    import pandas as pd
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "<td></td>"
    if column == "source":
        return f"<td>{_source_cell(value)}</td>"
    if isinstance(value, float):
        value = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return f"<td>{escape(str(value))}</td>"


TALL_TABLE = 25     # rows: a longer table scrolls inside a box of its own (headers stay in view)


def _scroll_class(rows: int) -> str:
    return "gk-scroll gk-tall" if rows > TALL_TABLE else "gk-scroll"


def _headers(columns: list[str], lang: str) -> list[str]:
    return [COLUMNS.get(c, (c, c))[_k(lang)] for c in columns]


def download_frame(frame, columns: list[str], lang: str = "zh"):
    """frame[columns] as a reader takes it away: translated headers, sources as URL or file name."""
    out = frame[columns].copy()
    if "source" in out:
        out["source"] = out.source.map(source_label)
    out.columns = _headers(columns, lang)
    return out


def table_html(frame, columns: list[str], lang: str = "zh", empty: str | None = None,
               download: str | None = None, table_id: str | None = None) -> str:
    """An escaped HTML table of frame[columns] with translated headers in a horizontally scrolling box;
    with download (a file name stem) its CSV and Excel links under it. An empty frame gives the note
    `empty` instead when one is given."""
    if frame.empty and empty:
        return f'<p class="gk-note">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in _headers(columns, lang))
    rows = "".join("<tr>" + "".join(_cell(c, v) for c, v in zip(columns, row)) + "</tr>"
                   for row in frame[columns].itertuples(index=False))
    ident = f' id="{escape(table_id)}"' if table_id else ""
    markup = (f'<div class="{_scroll_class(len(frame))}"><table class="gk-table"{ident}><thead><tr>{head}</tr></thead>'
              f'<tbody>{rows}</tbody></table></div>')
    if download:
        from gongkai.downloads import links_html
        markup += links_html(download_frame(frame, columns, lang), download, lang)
    return markup


def table(frame, columns: list[str], lang: str = "zh", empty: str | None = None, download: str | None = None) -> None:
    """Display table_html(frame, columns, lang, empty, download)."""
    _display(table_html(frame, columns, lang, empty, download))


def yoy_frame(yoy, lang: str = "zh"):
    """views.year_on_year as a table to read: one row per office-year, value / change / % per metric, and
    a note naming the approximate figures with their marker (the value columns stay numbers)."""
    import pandas as pd
    from gongkai.summary import figure_text
    k = _k(lang)
    rows = []
    for (office_id, office, year), part in yoy.groupby(["office_id", "office", "year"], sort=False):
        row = {COLUMNS["office"][k]: office, COLUMNS["year"][k]: int(year)}
        by_metric = part.set_index("metric")
        for metric, headers in YOY_COLUMNS.items():
            value, change, pct = headers[k]
            found = metric in by_metric.index
            row[value] = by_metric.value.get(metric) if found else None
            row[change] = by_metric.change.get(metric) if found else None
            row[pct] = (f"{by_metric.change_pct[metric]:+.0f}%" if found and pd.notna(by_metric.change_pct[metric])
                        else None)
        approx = part[part.qualifier == "approx"]
        row[YOY_NOTE[k]] = "；".join(f"{YOY_COLUMNS[m][k][0]} {figure_text(v, 'approx', q, lang)}"
                                    for m, v, q in zip(approx.metric, approx.value, approx.quote)
                                    if m in YOY_COLUMNS) or None
        rows.append(row)
    columns = ([COLUMNS["office"][k], COLUMNS["year"][k]] + [h for headers in YOY_COLUMNS.values() for h in headers[k]]
               + [YOY_NOTE[k]])
    from gongkai.downloads import whole_numbers
    return whole_numbers(pd.DataFrame(rows, columns=columns))


def year_on_year_html(yoy, lang: str = "zh", download: str | None = None) -> str:
    """The 同比 table (views.year_on_year) with its downloads."""
    frame = yoy_frame(yoy, lang)
    if frame.empty:
        return f'<p class="gk-note">{escape(TEXT[lang]["no_yoy"])}</p>'
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(_cell("", v) for v in row) + "</tr>" for row in frame.itertuples(index=False))
    markup = (f'<div class="{_scroll_class(len(frame))}"><table class="gk-table gk-yoy"><thead><tr>{head}</tr></thead>'
              f'<tbody>{body}</tbody></table></div>')
    if download:
        from gongkai.downloads import links_html
        markup += links_html(frame, download, lang)
    return markup


def year_on_year(yoy, lang: str = "zh", download: str | None = None) -> None:
    """Display year_on_year_html(yoy, lang, download)."""
    _display(year_on_year_html(yoy, lang, download))


def office_links_html(cover, lang: str = "zh") -> str:
    """Links to the brief of each office of a district brief that has a report (coverage frame)."""
    text = TEXT[lang]
    present = cover[cover.report_present].drop_duplicates("office_id")
    if present.empty:
        return f'<p class="gk-note">{escape(text["no_offices"])}</p>'
    items = "".join(f'<li><a href="{escape(current_href("office", str(r.office_id), lang))}">{escape(str(r.office))}'
                    f'</a></li>' for r in present.itertuples())
    return f'<p class="gk-note">{escape(text["office_links_note"])}</p><ul class="gk-offices">{items}</ul>'


def office_links(cover, lang: str = "zh") -> None:
    """Display office_links_html(cover, lang)."""
    _display(office_links_html(cover, lang))


def quality_html(found, lang: str = "zh", download: str | None = None) -> str:
    """The plain-language findings (gongkai.quality.plain_findings), grouped, one sentence each with its
    source, and the whole list as a downloadable table."""
    from gongkai.quality import GROUP_LABELS, GROUPS
    text = TEXT[lang]
    if found.empty:
        return f'<p class="gk-note">{escape(text["no_findings"])}</p>'
    parts = [f'<p class="gk-note">{escape(text["quality_note"])}</p>']
    for group in GROUPS:
        rows = found[found.group == group]
        if rows.empty:
            continue
        items = []
        for r in rows.itertuples():
            links = " ".join(f'<a class="gk-source" href="{escape(s)}" rel="noopener noreferrer">{escape(text["source"])}</a>'
                             if re.match(r"https?://", s) else f'<span class="gk-source">{escape(s)}</span>'
                             for s in str(r.source or "").split())
            items.append(f"<li>{escape(str(r.sentence))} {links}</li>")
        parts.append(f'<h3>{escape(GROUP_LABELS[lang][group])}（{len(rows)}）</h3><ul class="gk-findings">{"".join(items)}</ul>'
                     if lang == "zh" else
                     f'<h3>{escape(GROUP_LABELS[lang][group])} ({len(rows)})</h3><ul class="gk-findings">{"".join(items)}</ul>')
    if download:
        from gongkai.downloads import links_html
        shown = found.assign(group=found.group.map(GROUP_LABELS[lang]))
        parts.append(links_html(download_frame(shown, ["group", "office", "year", "sentence", "source"], lang),
                                download, lang))
    return "".join(parts)


def quality(found, lang: str = "zh", download: str | None = None) -> None:
    """Display quality_html(found, lang, download)."""
    _display(quality_html(found, lang, download))


def sources_html(frame, lang: str = "zh", download: str | None = None) -> str:
    """The source table (views.sources, labelled) folded in a <details>, with a filter box and downloads."""
    text = TEXT[lang]
    columns = ["office", "year", "metric", "dim", "value", "unit", "quote", "source"]
    table_markup = table_html(labelled(frame, lang), columns, lang, download=download, table_id="gk-sources-table")
    return (f'<details class="gk-sources"><summary>{escape(text["sources_summary"].format(n=len(frame)))}</summary>'
            f'<p><input type="search" class="gk-filter" data-target="gk-sources-table" '
            f'placeholder="{escape(text["filter"])}" aria-label="{escape(text["filter"])}"> '
            f'<span class="gk-count">{escape(text["shown"])} <span id="gk-sources-table-count">{len(frame)}</span> '
            f'{escape(text["rows"])}</span></p>{table_markup}</details>')


def sources(frame, lang: str = "zh", download: str | None = None) -> None:
    """Display sources_html(frame, lang, download)."""
    _display(sources_html(frame, lang, download))


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


def best_year(frame, column: str, years: list[int], prefer: int | None = None) -> int:
    """The year a one-year chart across offices shows: prefer (the headline year) when frame has a figure
    in column then; else the year in which the most offices have one (the later on a tie); else the last
    of years."""
    stated = frame[frame[column].notna()]
    if stated.empty:
        return int(years[-1])
    if prefer is not None and (stated.year == prefer).any():
        return int(prefer)
    counts = stated.groupby("year").office_id.nunique()
    return int(counts[counts == counts.max()].index.max())


def file_stem(kind: str, params: dict, table_name: str) -> str:
    """The file name stem of a table downloaded from a brief: <brief slug>-<table>."""
    from gongkai.params import brief_slug
    return f"{brief_slug(kind, params)}-{table_name}"
