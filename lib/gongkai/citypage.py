"""What the city brief (notebooks/city_brief.ipynb) displays: the districts of a city or a province compared.

The brief reads the dataset lazily through gongkai.views_sql (DuckDB over the Parquet or CSV form), so a
city of 16 districts × 300 offices, or a province, costs a few grouped queries, never a full load. Per
district: publication volume (items, reporting offices, median per office), request outcomes (grant rate and
its base: how many requests were handled, and for how many offices the base is the stated 总计), and report
coverage per year; each district links to its current district brief (../latest/district/<name>.html).
validate() checks the parameters before any kernel starts (gongkai brief, gongkai build).
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from gongkai import config, views_sql
from gongkai.errors import ParameterError
from gongkai.links import current_href
from gongkai.params import DEFAULT_LANG, LANGS, parse_years, years_label
from gongkai.summary import Card
from gongkai.views import MIN_REQUESTS

TEXT = {
    "zh": {"title": "{city}各区政府信息公开工作比较（{years}年）",
           "subtitle": "数据来自各单位政府信息公开工作年度报告；未报告的数字显示为空，不按0计。",
           "overview": "概览", "volume": "主动公开数量", "outcomes": "依申请公开办理结果", "coverage": "年报覆盖",
           "districts": "各区简报", "district": "区", "year": "年份", "offices": "单位数", "reporting": "报告单位",
           "items": "主动公开条数", "median_per_office": "单位中位数", "grant_rate": "予以公开比例",
           "handled": "办理总数（基数）", "handled_from_out_total": "以“总计”为基数的单位", "coverage_share": "覆盖率",
           "brief": "区简报", "h_districts": "区", "h_items": "{year}年主动公开",
           "h_rate": "{year}年予以公开比例", "h_coverage": "{year}年覆盖率", "none": "—",
           "h_offices": "{year}年有年度报告的单位", "b_districts": "{years}年间有数据的区",
           "b_offices": "有报告的单位 / 登记的单位", "b_items": "{n}个单位写明了主动公开信息数",
           "b_rate": "办结{n}件申请", "why_rate": "办结申请少于{min}件，不计算比例",
           "b_coverage": "{n} / {of} 个单位有报告"},
    "en": {"title": "{city}: districts compared ({years})",
           "subtitle": "Figures from the offices' annual disclosure reports; a figure not reported is blank, never 0.",
           "overview": "Overview", "volume": "Publication volume", "outcomes": "Request outcomes",
           "coverage": "Report coverage", "districts": "District briefs", "district": "District", "year": "Year",
           "offices": "Offices", "reporting": "Reporting", "items": "Items published",
           "median_per_office": "Median per office", "grant_rate": "Grant rate", "handled": "Handled (base)",
           "handled_from_out_total": "Offices with a stated total", "coverage_share": "Coverage",
           "brief": "District brief", "h_districts": "districts", "h_items": "items {year}",
           "h_rate": "grant rate {year}", "h_coverage": "coverage {year}", "none": "—",
           "h_offices": "offices reporting in {year}", "b_districts": "districts with data in {years}",
           "b_offices": "offices with a report / registered", "b_items": "{n} offices state the figure",
           "b_rate": "{n} requests handled", "why_rate": "fewer than {min} requests handled: no rate",
           "b_coverage": "{n} / {of} offices reported"},
}


def data_dir(value=None) -> Path:
    return Path(value or config.DATA_DIR)


def level_of(src, name: str) -> str | None:
    """'city' or 'province' when name is one in the dataset's places, else None."""
    for level in ("city", "province"):
        if len(src.query(f"SELECT 1 FROM places WHERE {level} = ? LIMIT 1", [name])):
            return level
    return None


def validate(params: dict, data=None) -> dict:
    """city (a city or province of places.csv), years (a range), lang -> normalized; ParameterError listing
    what exists otherwise."""
    unknown = sorted(set(params) - {"city", "years", "lang"})
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)} for a city brief; parameters: city, years, lang")
    city = str(params.get("city") or "")
    lang = params.get("lang") or DEFAULT_LANG
    if lang not in LANGS:
        raise ParameterError(f"lang {lang!r} unknown; languages: {', '.join(LANGS)}")
    years = parse_years(params.get("years"))
    if not years:
        raise ParameterError(f"years {params.get('years')!r} is an empty year range")
    with views_sql.Source(data_dir(data)) as src:
        level = level_of(src, city) if city else None
        if level is None:
            known = src.query("SELECT DISTINCT city AS n FROM places WHERE city <> '' UNION "
                              "SELECT DISTINCT province FROM places WHERE province <> '' ORDER BY 1").n.tolist()
            raise ParameterError(f"unknown city or province {city!r}; known: {', '.join(known[:40])}"
                                 f"{' …' if len(known) > 40 else ''}")
        with_data = src.query(f"SELECT DISTINCT r.year FROM reports r JOIN places p ON p.district = r.district "
                              f"WHERE p.{level} = ? ORDER BY 1", [city]).year.astype(int).tolist()
    if not set(years) & set(with_data):
        raise ParameterError(f"no data for year(s) {', '.join(map(str, years))} in {city}; years with data: "
                             f"{', '.join(map(str, with_data))}")
    return dict(city=city, years=years, lang=lang)


def title(params: dict) -> str:
    return TEXT[params["lang"]]["title"].format(city=params["city"], years=years_label(params["years"]))


def tables(src, params: dict) -> dict:
    """The brief's frames, one row per district × year: volume, outcomes, coverage."""
    level = level_of(src, params["city"])
    where = {level: params["city"]}
    return {"volume": views_sql.volume(src, years=params["years"], by="district", **where),
            "outcomes": views_sql.request_outcomes(src, years=params["years"], by="district", **where),
            "coverage": views_sql.coverage(src, years=params["years"], by="district", **where)}


def latest_with(frame, column: str, years: list[int]) -> int:
    have = frame.loc[frame[column].notna() & (frame[column] != 0), "year"] if len(frame) else []
    return int(max(have)) if len(have) else max(years)


def _display(markup: str) -> None:
    from IPython.display import HTML, display
    display(HTML(markup))


def heading(params: dict) -> None:
    text = TEXT[params["lang"]]
    _display(f'<h1 class="gk-title">{escape(title(params))}</h1><p class="gk-subtitle">{escape(text["subtitle"])}</p>')


def section(key: str, lang: str) -> None:
    _display(f'<h2 id="{key}">{escape(TEXT[lang][key])}</h2>')


def headline_cards(t: dict, params: dict) -> list[Card]:
    """The city's headline cards, each naming its year and its base (as the district briefs' cards do):
    districts, reporting offices, the latest year's items, the grant rate (only over at least
    views.MIN_REQUESTS handled requests, else '—' and why) and report coverage."""
    text = TEXT[params["lang"]]
    vol, out, cov = t["volume"], t["outcomes"], t["coverage"]
    year = latest_with(vol, "items", params["years"])
    rate_year = latest_with(out, "handled", params["years"])
    v, o, c = vol[vol.year == year], out[out.year == rate_year], cov[cov.year == year]
    offices = int(c.offices.sum()) if len(c) else 0
    reporting = int(c.reporting.sum()) if len(c) else 0
    handled = float(o.handled.sum()) if len(o) else 0.0
    rate_ok = handled >= MIN_REQUESTS
    return [
        Card(text["h_districts"], f"{vol.district.nunique()}", text["b_districts"].format(years=years_label(params["years"]))),
        Card(text["h_offices"].format(year=year), f"{reporting:,} / {offices:,}", text["b_offices"]),
        Card(text["h_items"].format(year=year), f"{int(v['items'].sum()):,}" if len(v) else text["none"],
             text["b_items"].format(n=int(v.reporting.sum()) if len(v) else 0)),
        Card(text["h_rate"].format(year=rate_year),
             f"{o.granted.sum() / handled:.0%}" if rate_ok else text["none"],
             text["b_rate"].format(n=f"{handled:,.0f}"),
             "" if rate_ok else text["why_rate"].format(min=MIN_REQUESTS)),
        Card(text["h_coverage"].format(year=year), f"{reporting / offices:.0%}" if offices else text["none"],
             text["b_coverage"].format(n=reporting, of=offices)),
    ]


def headline_html(t: dict, params: dict) -> str:
    from gongkai import briefpage
    return briefpage.cards_html(headline_cards(t, params))


def headline(t: dict, params: dict) -> None:
    _display(headline_html(t, params))


def _figure(fig, name: str) -> None:
    from gongkai import briefpage
    briefpage.show(fig, name)


def volume_chart(t: dict, params: dict):
    import plotly.graph_objects as go
    text = TEXT[params["lang"]]
    vol = t["volume"]
    year = latest_with(vol, "items", params["years"])
    v = vol[vol.year == year].sort_values("items", ascending=False)
    fig = go.Figure([go.Bar(x=v.district, y=v["items"], name=text["items"]),
                     go.Scatter(x=v.district, y=v.median_per_office, name=text["median_per_office"], mode="markers",
                                yaxis="y2")])
    fig.update_layout(title=f"{text['items']} · {year}", yaxis2=dict(overlaying="y", side="right"), height=420,
                      legend=dict(orientation="h"))
    return fig


def outcomes_chart(t: dict, params: dict):
    import plotly.graph_objects as go
    text = TEXT[params["lang"]]
    out = t["outcomes"]
    year = latest_with(out, "handled", params["years"])
    o = out[out.year == year].sort_values("grant_rate", ascending=False)
    fig = go.Figure([go.Bar(x=o.district, y=o.grant_rate, customdata=o.handled,
                            hovertemplate="%{x}: %{y:.0%} (n=%{customdata:.0f})<extra></extra>")])
    fig.update_layout(title=f"{text['grant_rate']} · {year}", yaxis=dict(tickformat=".0%"), height=380)
    return fig


def coverage_chart(t: dict, params: dict):
    import plotly.graph_objects as go
    text = TEXT[params["lang"]]
    cov = t["coverage"]
    grid = cov.pivot(index="district", columns="year", values="coverage")
    fig = go.Figure(go.Heatmap(z=grid.values, x=[str(y) for y in grid.columns], y=list(grid.index),
                               zmin=0, zmax=1, colorscale="Blues", colorbar=dict(tickformat=".0%")))
    fig.update_layout(title=text["coverage_share"], height=max(300, 26 * len(grid) + 120))
    return fig


def table_html(frame, columns: list[str], lang: str) -> str:
    text = TEXT[lang]
    head = "".join(f"<th>{escape(text.get(c, c))}</th>" for c in columns)
    rows = []
    for rec in frame[columns].itertuples(index=False):
        cells = []
        for c, v in zip(columns, rec):
            if v is None or (isinstance(v, float) and v != v):
                shown = text["none"]
            elif c in ("grant_rate", "coverage"):
                shown = f"{v:.0%}"
            elif isinstance(v, float):
                shown = f"{v:,.0f}"
            else:
                shown = str(v)
            cells.append(f"<td>{escape(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="gk-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def table(frame, columns: list[str], lang: str) -> None:
    _display(table_html(frame, columns, lang))


def district_links_html(t: dict, params: dict) -> str:
    """One row per district with a link to its current district brief (gongkai build's latest/ page, which
    forwards to the brief of whatever years briefs.yaml builds for it, or to the district's index section)."""
    text = TEXT[params["lang"]]
    cov = t["coverage"].groupby("district", as_index=False).agg(offices=("offices", "max"),
                                                                 reporting=("reporting", "sum"))
    rows = []
    for rec in cov.itertuples(index=False):
        href = current_href("district", rec.district, params["lang"])     # latest/: whatever years it was built for
        rows.append(f'<tr><td><a class="gk-district-link" href="{escape(href)}">'
                    f'{escape(rec.district)}</a></td><td>{rec.offices}</td><td>{rec.reporting}</td></tr>')
    return (f'<table class="gk-table"><thead><tr><th>{escape(text["brief"])}</th><th>{escape(text["offices"])}</th>'
            f'<th>{escape(text["reporting"])}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def district_links(t: dict, params: dict) -> None:
    _display(district_links_html(t, params))


def show_volume(t: dict, params: dict) -> None:
    _figure(volume_chart(t, params), "city-volume")
    table(t["volume"], ["district", "year", "offices", "reporting", "items", "median_per_office"], params["lang"])


def show_outcomes(t: dict, params: dict) -> None:
    _figure(outcomes_chart(t, params), "city-outcomes")
    table(t["outcomes"], ["district", "year", "grant_rate", "handled", "handled_from_out_total"], params["lang"])


def show_coverage(t: dict, params: dict) -> None:
    _figure(coverage_chart(t, params), "city-coverage")
