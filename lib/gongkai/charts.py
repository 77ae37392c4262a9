"""Plotly figure builders, one function per chart, over the frames of gongkai.views.

One visual style for every brief: fixed colours per category and per outcome (PALETTE below), the same
fonts and layout, Chinese labels by default and English with lang='en' (category and outcome labels come
from the taxonomy tables). Missing figures are gaps, not zeros. Every hover shows the figure, its quote
and its source; all report text is escaped once (&, <, >) before it reaches plotly, which shows other
entities (&quot;) as text.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from gongkai import taxonomy
from gongkai.links import source_label
from gongkai.summary import figure_text
from gongkai.views import MIN_OFFICES, MIN_REQUESTS, UNCLASSIFIED, median_by_year
from gongkai.wording import shorten

QUOTE_WIDTH = 60  # characters of a quote shown in a hover

# Fixed colours: a category or outcome has the same colour in every chart of every brief.
PALETTE = {
    "category": {
        "org_function": "#4e79a7", "laws_policies": "#f28e2b", "plans": "#e15759", "admin_duties": "#76b7b2",
        "work_updates": "#59a14f", "fiscal": "#edc948", "service_guides": "#b07aa1", "notices": "#ff9da7",
        "personnel": "#9c755f", "statistics": "#86bcb6", "procurement": "#d37295", "emergencies": "#8cd17d",
        "other": "#79706e", UNCLASSIFIED: "#d4d4d4",
    },
    "outcome": {
        "granted": "#2e7d32", "partially_granted": "#9ccc65", "denied": "#c62828", "unable_to_provide": "#ef6c00",
        "not_processed": "#8e24aa", "other": "#78909c", "carried_forward": "#cfd8dc",
    },
    "coverage": ["#eeeeee", "#a5d6a7", "#ffe082", "#ef9a9a"],  # no report, ok, warnings, errors
    "office_cycle": ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                     "#9c755f", "#bab0ac"],
    "median": "#333333",
}
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
TEXT = {
    "zh": {"ranking": "{year}年主动公开信息数（条）", "trend": "主动公开信息数的变化（条）",
           "mix": "{year}年主动公开信息的类别构成", "mix_years": "主动公开信息的类别构成（按年度）",
           "outcomes": "{year}年依申请公开的办理结果", "outcomes_years": "依申请公开的办理结果（按年度）",
           "coverage": "年度报告覆盖情况（格内为数字条数）", "items": "条", "share": "占比（%）",
           "grant_rate": "予以公开率", "median": "全区中位数", "no_data": "无数据",
           "unclassified": "未分类", "handled": "办结", "facts": "数字", "errors": "错误", "warnings": "提示",
           "status": ["无报告", "正常", "有提示", "有错误"], "change": "比上年",
           "stated": "{total}个单位中{n}个有此数字",
           "no_median": "注：没有一年有{min}个以上单位有此数字，不画中位数。",
           "idle": "另有{n}个单位在{span}年没有任何报告，未列出：{names}。", "names_sep": "、",
           "median_same": "中位数（每年同一批{n}个单位）", "median_mixed": "各年中位数（各年有数据的单位不同）",
           "peers_same": "同区其他单位中位数（每年同一批{n}个单位）",
           "peers_mixed": "同区其他单位各年中位数（各年单位不同）",
           "mixed_note": "注：各年有数据的单位不同，中位数的变化部分来自单位的变化；不足{min}个单位的年份不计算中位数。",
           "same_note": "注：中位数按每年都有数据的同一批{n}个单位计算，各年可比；概况中的中位数按当年所有有数据的单位计算。",
           "median_line": "中位数（{n}个单位）", "rate_legend": "予以公开率（办结不少于{min}件时）",
           "rate_few": "办结{handled}件，不足{min}件，不计算予以公开率", "requests": "件"},
    "en": {"ranking": "Items proactively disclosed in {year}", "trend": "Items proactively disclosed over the years",
           "mix": "Category mix of disclosed items, {year}", "mix_years": "Category mix of disclosed items by year",
           "outcomes": "Outcomes of information requests, {year}", "outcomes_years": "Outcomes of requests by year",
           "coverage": "Report coverage (figures per report in each cell)", "items": "items", "share": "Share (%)",
           "grant_rate": "Grant rate", "median": "District median", "no_data": "no data",
           "unclassified": "Unclassified", "handled": "handled", "facts": "figures", "errors": "errors",
           "warnings": "warnings", "status": ["no report", "ok", "warnings", "errors"], "change": "vs last year",
           "stated": "{n} of {total} offices state it",
           "no_median": "Note: in no year do {min} or more offices state the figure, so no median is drawn.",
           "idle": "{n} more offices have no report in {span} and are not shown: {names}.", "names_sep": ", ",
           "median_same": "Median (the same {n} offices every year)",
           "median_mixed": "Median by year (different offices each year)",
           "peers_same": "Median of the other offices (the same {n} every year)",
           "peers_mixed": "Median of the other offices by year (different offices each year)",
           "mixed_note": "Note: different offices state the figure each year, so the median partly moves with "
                         "them; years with fewer than {min} offices have no median.",
           "same_note": "Note: the median is taken over the same {n} offices every year, so the years compare; "
                        "the overview's median is over every office stating the figure that year.",
           "median_line": "Median ({n} offices)", "rate_legend": "Grant rate (at least {min} requests handled)",
           "rate_few": "{handled} requests handled, fewer than {min}: no grant rate", "requests": "requests"},
}


def esc(value) -> str:
    """Report text as safe plotly text ('' for missing): &, < and > escaped, so markup shows as text; quotes are
    left alone, as plotly turns &amp;, &lt; and &gt; back into characters but shows &quot; and &#x27; as they are
    (a '"' in an office name would read &quot; in a label)."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA \
        else html.escape(str(value), quote=False)


def _number(value, unit: str = "") -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.0f}{unit}" if float(value).is_integer() else f"{value:,.1f}{unit}"


def _hover(title: str, figure: str, quote, source) -> str:
    parts = [f"<b>{title}</b>", figure]
    if isinstance(quote, str) and quote:
        parts.append("“" + esc(shorten(quote, QUOTE_WIDTH)) + "”")
    if isinstance(source, str) and source:
        parts.append(esc(source_label(source)))
    return "<br>".join(parts)


def _has_data(trace) -> bool:
    values = trace.z if trace.type == "heatmap" else trace.y
    return values is not None and any(v is not None and not pd.isna(v) for v in np.ravel(np.asarray(values, dtype=object)))


def note_of(fig: go.Figure) -> str:
    """The note a chart carries for the text under it (how to read it; plain text, not HTML)."""
    meta = fig.layout.meta
    return str(meta.get("note", "")) if isinstance(meta, dict) else ""


def _style(fig: go.Figure, title: str, height: int, lang: str = "zh", subtitle: str = "",
           note: str = "") -> go.Figure:
    """The house style; subtitle is a smaller second title line, note goes under the chart (note_of):
    text in the page wraps on a phone, text in the plot would be cut off."""
    if not any(_has_data(trace) for trace in fig.data):  # say so instead of an empty frame
        fig.add_annotation(text=TEXT[lang]["no_data"], x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False, font=dict(size=18, color="#777"))
    text = title + (f"<br><span style='font-size:12px;color:#666'>{subtitle}</span>" if subtitle else "")
    fig.update_layout(template="none", title=dict(text=text, x=0, font=dict(size=16)), height=height,
                      meta={"note": note} if note else None,
                      font=dict(family=FONT, size=12, color="#222"),
                      margin=dict(l=10, r=10, t=70 if subtitle else 50, b=40),
                      hoverlabel=dict(align="left", font=dict(family=FONT)), plot_bgcolor="white",
                      legend=dict(orientation="h", y=-0.08, yanchor="top"))
    fig.update_xaxes(automargin=True, gridcolor="#eee", zeroline=False)
    fig.update_yaxes(automargin=True, gridcolor="#eee", zeroline=False)
    return fig


def office_labels(frame: pd.DataFrame) -> pd.Series:
    """Escaped display names per office_id (office names are report text and may hold markup)."""
    names = frame.drop_duplicates("office_id").set_index("office_id").office
    return names.map(esc)


def volume_ranking(volume: pd.DataFrame, year: int, lang: str = "zh") -> go.Figure:
    """Horizontal bars: proactive_items_total of each office in one year, largest on top, median line."""
    t = TEXT[lang]
    everyone = volume[volume.year == year]
    data = everyone.dropna(subset=["value"]).sort_values("value", kind="stable")
    names = data.office_id.map(office_labels(volume))
    hover = [_hover(f"{n} · {year}", _number(v, t["items"] if lang == "zh" else " " + t["items"])
                    + ("" if pd.isna(c) else f"（{t['change']} {c:+,.0f}）"), q, s)
             for n, v, c, q, s in zip(names, data.value, data.yoy_change, data.quote, data.source)]
    fig = go.Figure(go.Bar(y=list(names), x=data.value, orientation="h", marker_color=PALETTE["category"]["org_function"],
                           text=[figure_text(v, qu, q, lang) if pd.notna(v) else t["no_data"]
                                 for v, qu, q in zip(data.value, data.qualifier, data.quote)],
                           textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text",
                           name=t["items"]))
    if len(data) >= MIN_OFFICES:          # the median of the offices shown, as on the headline card
        median = float(data.value.median())
        fig.add_vline(x=median, line_dash="dash", line_color=PALETTE["median"],
                      annotation_text=f"{t['median_line'].format(n=len(data))} {_number(median)}",
                      annotation_position="top")
    subtitle = t["stated"].format(n=len(data), total=len(everyone)) if len(everyone) > len(data) else ""
    return _style(fig, t["ranking"].format(year=year), max(260, 26 * len(data) + 110), lang, subtitle)


def volume_trend(volume: pd.DataFrame, lang: str = "zh", median: bool | pd.DataFrame = True,
                 peers: bool = False) -> go.Figure:
    """Lines: proactive_items_total by year, one per office (gaps where missing), a median dashed.

    median: True for views.median_by_year(volume), a frame of that shape (an office brief passes the
    median of the other offices, with peers=True), or False for none. The median's legend says whether
    it is taken over the same offices every year, and a note under the chart says so when it is not.
    """
    t = TEXT[lang]
    fig = go.Figure()
    names = office_labels(volume)
    stated = volume.groupby("office_id").value.transform(lambda v: v.notna().any())
    for i, (office_id, data) in enumerate(volume[stated].sort_values("year").groupby("office_id", sort=False)):
        hover = [_hover(f"{names[office_id]} · {y}", figure_text(v, qu, q, lang), q, s)
                 for y, v, qu, q, s in zip(data.year, data.value, data.qualifier, data.quote, data.source)]
        fig.add_trace(go.Scatter(x=data.year, y=data.value, mode="lines+markers", name=names[office_id],
                                 line_color=PALETTE["office_cycle"][i % len(PALETTE["office_cycle"])],
                                 connectgaps=False, hovertext=hover, hoverinfo="text"))
    med = median_by_year(volume) if median is True else (median if isinstance(median, pd.DataFrame) else None)
    note = ""
    if med is not None and med["median"].notna().any():
        same = bool(med.same_offices.iloc[0])
        key = ("peers_" if peers else "median_") + ("same" if same else "mixed")
        name = t[key].format(n=int(med.offices.max()))
        hover = [f"{name}<br>{y}: {_number(m)}（{n}）" if lang == "zh" else f"{name}<br>{y}: {_number(m)} ({n})"
                 for y, m, n in zip(med.year, med["median"], med.offices)]
        fig.add_trace(go.Scatter(x=med.year, y=med["median"], mode="lines+markers", name=name,
                                 line=dict(color=PALETTE["median"], dash="dash"), marker=dict(size=5),
                                 connectgaps=False, hovertext=hover, hoverinfo="text"))
        if not same:
            note = t["mixed_note"].format(min=MIN_OFFICES)
        else:
            note = t["same_note"].format(n=int(med.offices.max()))
    elif med is not None and volume.value.notna().any():
        note = t["no_median"].format(min=MIN_OFFICES)
    years = sorted(int(y) for y in volume.year.dropna().unique())
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years],
                     range=[years[0] - 0.5, years[-1] + 0.5] if years else None)
    return _style(fig, t["trend"], 420, lang, note=note)


def _stack_axis(frame: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The rows to stack with their x label in _x: the offices of one year when year is given, else the
    years (of one office)."""
    if year is not None:
        data = frame[frame.year == year]
        return data.assign(_x=data.office_id.map(office_labels(frame)))
    return frame.assign(_x=frame.year.astype(str))


def category_mix(mix: pd.DataFrame, lang: str = "zh", year: int | None = None) -> go.Figure:
    """100% stacked bars of the category mix: offices of one year, or the years when year is None."""
    t = TEXT[lang]
    labels = dict(taxonomy.labels("categories", lang), **{UNCLASSIFIED: t["unclassified"]})
    data = _stack_axis(mix, year)
    fig = go.Figure()
    for category, colour in PALETTE["category"].items():
        part = data[data.category == category]
        if part.empty:
            continue
        hover = [_hover(f"{x} · {labels[category]}", f"{_number(c)}（{s * 100:.1f}%）" if pd.notna(c)
                        else f"{s * 100:.1f}%", q, src)
                 for x, c, s, q, src in zip(part._x, part["count"], part.share, part.quote, part.source)]
        fig.add_trace(go.Bar(x=list(part._x), y=part.share * 100, name=labels[category], marker_color=colour,
                             hovertext=hover, hoverinfo="text"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, 100], title_text=t["share"])
    title = t["mix"].format(year=year) if year is not None else t["mix_years"]
    return _style(fig, title, 440, lang)


def request_outcomes(outcomes: pd.DataFrame, lang: str = "zh", year: int | None = None) -> go.Figure:
    """Stacked shares of coarse request outcomes with the grant rate (and its denominator) as markers."""
    t = TEXT[lang]
    labels = taxonomy.labels("outcomes", lang)
    data = _stack_axis(outcomes, year)
    if len(data):          # each bar names how many requests it stands for: 100% of 2 is not 100% of 200
        base = data.groupby("_x")["count"].transform("sum")
        data = data[base > 0].assign(_x=[f"{x}<br>（{_number(n)}{t['requests']}）" if lang == "zh"
                                         else f"{x}<br>({_number(n)} {t['requests']})"
                                         for x, n in zip(data._x[base > 0], base[base > 0])])
    fig = go.Figure()
    for outcome, colour in PALETTE["outcome"].items():
        part = data[(data.outcome == outcome) & data["count"].notna()]
        if part.empty:
            continue
        hover = [_hover(f"{x} · {labels[outcome]}", f"{_number(c)}（{s * 100:.1f}%）", q, src)
                 for x, c, s, q, src in zip(part._x, part["count"], part.share, part.quote, part.source)]
        fig.add_trace(go.Bar(x=list(part._x), y=part.share * 100, name=labels[outcome], marker_color=colour,
                             hovertext=hover, hoverinfo="text"))
    rates = data.drop_duplicates("_x")
    enough = rates.handled >= MIN_REQUESTS          # a rate over a handful of requests says nothing
    hover = [f"<b>{x}</b><br>{t['grant_rate']} {r * 100:.0f}%（{_number(r * h)}/{_number(h)} {t['handled']}）"
             if pd.notna(r) and ok else
             f"<b>{x}</b><br>{t['rate_few'].format(handled=_number(h), min=MIN_REQUESTS)}" if pd.notna(h) and not ok
             else f"<b>{x}</b><br>{t['grant_rate']} —"
             for x, r, h, ok in zip(rates._x, rates.grant_rate, rates.handled, enough)]
    shown_rate = rates.grant_rate.where(enough) * 100
    fig.add_trace(go.Scatter(x=list(rates._x), y=shown_rate, mode="markers",
                             name=t["rate_legend"].format(min=MIN_REQUESTS),
                             marker=dict(symbol="diamond", size=11, color=PALETTE["median"]),
                             hovertext=hover, hoverinfo="text"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, 105], title_text=t["share"])
    title = t["outcomes"].format(year=year) if year is not None else t["outcomes_years"]
    fig = _style(fig, title, 460, lang)
    fig.update_layout(legend=dict(y=-0.2))        # below the two-line bar labels
    return fig


def coverage_heatmap(coverage: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Office × year grid: no report / ok / warnings / errors, the number of figures in each cell.

    Offices without any report in these years get no row (a note under the chart names them), unless
    no office has one."""
    t = TEXT[lang]
    names = office_labels(coverage)
    active = coverage.groupby("office_id").report_present.transform("any")
    note = ""
    if active.any() and not active.all():
        idle = coverage.loc[~active, "office"].drop_duplicates()
        years = sorted(int(y) for y in coverage.year.unique())
        note = t["idle"].format(n=len(idle), span=f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0],
                                names=t["names_sep"].join(map(str, idle)))
        coverage = coverage[active]
    status = np.select([~coverage.report_present, coverage.errors > 0, coverage.warnings > 0], [0, 3, 2], 1)
    frame = coverage.assign(status=status, _y=coverage.office_id.map(names))
    z = frame.pivot(index="_y", columns="year", values="status")
    order = list(dict.fromkeys(frame._y))
    z = z.reindex(order)
    cells = frame.set_index(["_y", "year"])
    text = [[_number(cells.loc[(y, x), "facts"]) if cells.loc[(y, x), "report_present"] else ""
             for x in z.columns] for y in z.index]
    hover = [[_hover(f"{y} · {x}", f"{t['status'][int(z.loc[y, x])]}；{t['facts']} {cells.loc[(y, x), 'facts']}，"
                     f"{t['errors']} {cells.loc[(y, x), 'errors']}，{t['warnings']} {cells.loc[(y, x), 'warnings']}",
                     None, cells.loc[(y, x), "source"]) for x in z.columns] for y in z.index]
    colours = PALETTE["coverage"]
    scale = [[edge / 4, colour] for k, colour in enumerate(colours) for edge in (k, k + 1)]
    fig = go.Figure(go.Heatmap(z=z.to_numpy(), x=[str(c) for c in z.columns], y=list(z.index), zmin=-0.5,
                               zmax=3.5, colorscale=scale, showscale=False, text=text, texttemplate="%{text}",
                               hovertext=hover, hoverinfo="text", xgap=2, ygap=2))
    fig.update_xaxes(type="category")
    fig.update_yaxes(autorange="reversed", type="category")
    return _style(fig, t["coverage"], max(220, 26 * len(z) + 110), lang, note=note)
