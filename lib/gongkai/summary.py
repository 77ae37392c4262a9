"""What a brief says first: its headline figures (cards) and a short written summary, from gongkai.views frames.

The rules that keep a headline honest (issue 9):

- one year for every card: the latest year in which the most offices have a report (views.headline_year;
  for an office, the latest year it has a report), named on each card;
- each card names its base: how many of the brief's offices stand behind the figure ("3 / 4 个单位有数据");
- a median only over at least views.MIN_OFFICES offices, a grant rate only over at least
  views.MIN_REQUESTS handled requests; below that the card shows "—" and says why;
- an approximate figure keeps its marker (100余, 约50): figure_text() takes it from the report's quote;
- an office is compared with the median of the OTHER offices of its district, and a district government's
  district-wide report with none of them.

Both kinds of brief get their figures from one dataclass (DistrictYear, OfficeYear) so the cards and the
sentences can never disagree. Labels and sentences live in data/summary_texts.csv (key, zh, en).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from gongkai import taxonomy
from gongkai.numbers import QUANTITY, parse_value
from gongkai.views import MIN_OFFICES, MIN_REQUESTS
from gongkai.wording import year_span

_QUANTITY_RE = re.compile(QUANTITY)
APPROX_WORDS = {  # marker in a report -> how the brief writes the figure (value already formatted)
    "zh": {"before": "{word}{value}", "after": "{value}{word}", "default": "约{value}"},
    "en": {"约": "about {value}", "大约": "about {value}", "近": "nearly {value}", "将近": "nearly {value}",
           "接近": "nearly {value}", "逾": "over {value}", "超过": "over {value}", "余": "over {value}",
           "多": "over {value}", "default": "about {value}"},
}

TEXT = {lang: {row["key"]: row[lang] for row in taxonomy.table("summary_texts")} for lang in ("zh", "en")}


@dataclass(frozen=True)
class Card:
    """One headline figure: what it is (naming its year), the figure as shown, what stands behind it, and
    why it is left out or how to read it (note, may be empty)."""
    label: str
    value: str
    base: str
    note: str = ""


def count_text(value) -> str:
    """A count as a brief writes it: 1,234; '—' for missing."""
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def percent_text(value, signed: bool = False) -> str:
    """A percentage: 60%, +12%; '—' for missing."""
    if value is None or pd.isna(value):
        return "—"
    return f"{value:+.0f}%" if signed else f"{value:.0f}%"


def figure_text(value, qualifier: str = "exact", quote=None, lang: str = "zh") -> str:
    """A figure with the approximation marker its report used: 100余, 约50, 近百 -> 近100 ('about 50' in en).

    The marker is read from the quote (the first quantity in it with that value and a marker); an
    approximate figure whose quote does not show one gets 约 / about.
    """
    text = count_text(value)
    if text == "—" or not isinstance(qualifier, str) or qualifier != "approx":
        return text
    words = APPROX_WORDS[lang]
    for match in _QUANTITY_RE.finditer(str(quote or "")):
        pre, post = match.group("pre"), match.group("post")
        if not (pre or post):
            continue
        try:
            same = parse_value(match.group("num")) == float(value)
        except ValueError:
            continue
        if same:
            if lang == "zh":
                return words["before"].format(word=pre, value=text) if pre else words["after"].format(
                    word=post, value=text)
            return words.get(pre or post, words["default"]).format(value=text)
    return words["default"].format(value=text)


def _sum_text(values: pd.Series, qualifiers: pd.Series, lang: str) -> str:
    total = values.sum(min_count=1)
    return figure_text(total, "approx" if (qualifiers == "approx").any() else "exact", None, lang)


@dataclass
class Grant:
    """Granted of handled requests over some offices in one year."""
    offices: int = 0
    handled: float = 0.0
    granted: float = 0.0

    @property
    def rate(self) -> float | None:
        """Percent granted, None when fewer than MIN_REQUESTS requests stand behind it."""
        return self.granted / self.handled * 100 if self.handled >= MIN_REQUESTS else None


def grant_in(outcomes: pd.DataFrame, year: int) -> Grant:
    """Granted and handled requests of one year, summed over the offices stating both."""
    rows = outcomes[(outcomes.year == year) & (outcomes.outcome == "granted")]
    rows = rows[rows["count"].notna() & (rows.handled > 0)].drop_duplicates("office_id")
    return Grant(int(len(rows)), float(rows.handled.sum()), float(rows["count"].sum()))


@dataclass
class DistrictYear:
    """The figures a district brief headlines, all of one year."""
    year: int
    span: str
    offices: int                  # offices of the brief
    reporting: int                # of them with a report that year
    reports: int                  # reports over all the brief's years
    stated: pd.DataFrame          # volume rows of the year with a figure
    median: float | None
    change: pd.Series | None      # the volume row with the largest |yoy_change|
    grant: Grant = field(default_factory=Grant)
    to_check: int = 0


def district_year(volume: pd.DataFrame, outcomes: pd.DataFrame, cover: pd.DataFrame, years: list[int],
                  to_check: int = 0) -> DistrictYear:
    """Collect the headline figures of a district brief (frames of views over the brief's selection)."""
    from gongkai.views import headline_year

    year = headline_year(cover, years)
    cover = cover[cover.groupby("office_id").report_present.transform("any")]   # offices of these years
    this = cover[cover.year == year]
    stated = volume[(volume.year == year) & volume.value.notna()]
    median = float(stated.value.median()) if len(stated) >= MIN_OFFICES else None
    changes = stated[stated.yoy_change.notna()]
    change = changes.loc[changes.yoy_change.abs().idxmax()] if len(changes) else None
    return DistrictYear(year=year, span=year_span(years), offices=int(cover.office_id.nunique()),
                        reporting=int(this.report_present.sum()), reports=int(cover.reports.sum()),
                        stated=stated, median=median, change=change, grant=grant_in(outcomes, year),
                        to_check=to_check)


def _rate_card(t: dict, year: int, grant: Grant, base_key: str) -> Card:
    label = t["card_rate"].format(year=year)
    base = t[base_key].format(offices=grant.offices, handled=count_text(grant.handled))
    if grant.handled <= 0:
        return Card(label, "—", "", t["no_requests"])
    if grant.rate is None:
        return Card(label, "—", base, t["few_requests"].format(min=MIN_REQUESTS))
    return Card(label, percent_text(grant.rate), base)


def district_cards(d: DistrictYear, lang: str = "zh") -> list[Card]:
    """The headline cards of a district brief."""
    t = TEXT[lang]
    base = t["base_offices"].format(n=len(d.stated), total=d.offices)
    total = _sum_text(d.stated.value, d.stated.qualifier, lang) if len(d.stated) else "—"
    median = Card(t["card_median"].format(year=d.year), count_text(d.median), base,
                  "" if d.median is not None else t["few_offices"].format(min=MIN_OFFICES))
    return [Card(t["card_reports"].format(year=d.year), f"{d.reporting} / {d.offices}",
                 t["card_reports_base"].format(span=d.span, reports=d.reports, offices=d.offices)),
            Card(t["card_total"].format(year=d.year), total, base),
            median,
            _rate_card(t, d.year, d.grant, "base_rate"),
            Card(t["card_check"], str(d.to_check), t["card_check_base"].format(span=d.span),
                 t["card_check_note"] if d.to_check else "")]


def _pct(value) -> str:
    return "—" if value is None or pd.isna(value) else percent_text(value, signed=True)


def district_summary(d: DistrictYear, district: str, lang: str = "zh") -> list[str]:
    """3–5 sentences: who reports, who published most, the largest change on last year, the grant rate
    and its base, what is missing."""
    t = TEXT[lang]
    if not d.reporting:
        return [t["s_no_reports"].format(span=d.span, district=district)]
    out = [t["s_reports"].format(year=d.year, district=district, total=d.offices, n=d.reporting,
                                 stated=len(d.stated), span=d.span)]
    if len(d.stated):
        top = d.stated.loc[d.stated.value.idxmax()]
        sentence = t["s_top"].format(office=top.office, value=figure_text(top.value, top.qualifier, top.quote, lang))
        sentence += t["s_top_median"].format(n=len(d.stated), median=count_text(d.median)) \
            if d.median is not None else t["s_end"]
        out.append(sentence)
        if d.change is not None:
            c = d.change
            before = c.value - c.yoy_change
            out.append(t["s_change"].format(prev=d.year - 1, office=c.office, before=count_text(before),
                                            after=count_text(c.value), verb=t["up"] if c.yoy_change >= 0 else t["down"],
                                            pct=_pct(c.yoy_pct)))
        else:
            out.append(t["s_no_change"].format(year=d.year, prev=d.year - 1))
    g = d.grant
    if g.handled <= 0:
        out.append(t["s_no_requests"].format(year=d.year))
    elif g.rate is None:
        out.append(t["s_few_requests"].format(year=d.year, offices=g.offices, handled=count_text(g.handled),
                                              min=MIN_REQUESTS))
    else:
        out.append(t["s_rate"].format(year=d.year, offices=g.offices, handled=count_text(g.handled),
                                      granted=count_text(g.granted), rate=percent_text(g.rate)))
    parts = []
    if d.offices - d.reporting:
        parts.append(t["s_missing_reports"].format(n=d.offices - d.reporting, year=d.year))
    if d.reporting - len(d.stated) > 0:
        parts.append(t["s_missing_total"].format(n=d.reporting - len(d.stated), year=d.year))
    if d.to_check:
        parts.append(t["s_to_check"].format(n=d.to_check))
    out.append(_capitalized(t["s_missing"].format(parts=t["join"].join(parts))) if parts
               else t["s_nothing_missing"].format(year=d.year))
    return out


@dataclass
class OfficeYear:
    """The figures an office brief headlines, all of one year."""
    year: int
    span: str
    office: str
    row: pd.Series | None         # the office's volume row of the year (None: no row)
    has_report: bool
    peers: pd.DataFrame           # the other offices' volume rows of the year
    peer_median: float | None
    district_wide: bool
    report_years: list[int]
    years: list[int]
    grant: Grant = field(default_factory=Grant)
    to_check: int = 0


def office_year(volume: pd.DataFrame, peers: pd.DataFrame, outcomes: pd.DataFrame, cover: pd.DataFrame,
                years: list[int], office: str | None = None, district_wide: bool = False,
                to_check: int = 0) -> OfficeYear:
    """Collect the headline figures of an office brief: the office's frames and its peers' volume
    (views.peer_volume), over the brief's years. office is its name (default: the name in volume)."""
    if office is None:
        office = str(volume.office.iloc[0]) if len(volume) else ""
    present = sorted(int(y) for y in cover.loc[cover.report_present, "year"])
    year = present[-1] if present else int(max(years))
    rows = volume[volume.year == year]
    peer_rows = peers[(peers.year == year)]
    stated = peer_rows[peer_rows.value.notna()]
    median = float(stated.value.median()) if len(stated) >= MIN_OFFICES and not district_wide else None
    return OfficeYear(year=year, span=year_span(years), office=office, row=rows.iloc[0] if len(rows) else None,
                      has_report=year in present, peers=peer_rows, peer_median=median,
                      district_wide=district_wide, report_years=present, years=sorted(int(y) for y in years),
                      grant=grant_in(outcomes, year), to_check=to_check)


def _office_value(o: OfficeYear, lang: str) -> str:
    if o.row is None or pd.isna(o.row.value):
        return "—"
    return figure_text(o.row.value, o.row.qualifier, o.row.quote, lang)


def office_cards(o: OfficeYear, lang: str = "zh") -> list[Card]:
    """The headline cards of an office brief."""
    t = TEXT[lang]
    value = _office_value(o, lang)
    if not o.has_report:
        value_card = Card(t["card_value"].format(year=o.year), "—", "", t["no_report"].format(year=o.year))
    elif value == "—":
        value_card = Card(t["card_value"].format(year=o.year), "—", "", t["value_missing"])
    else:
        value_card = Card(t["card_value"].format(year=o.year), value,
                          t["value_base"].format(office=o.office, year=o.year))
    stated = int(o.peers.value.notna().sum())
    peer_base = t["base_peers"].format(n=stated, total=o.peers.office_id.nunique())
    if o.district_wide:
        peers = Card(t["card_peers"].format(year=o.year), "—", "", t["district_wide"])
    else:
        peers = Card(t["card_peers"].format(year=o.year), count_text(o.peer_median), peer_base,
                     "" if o.peer_median is not None else t["few_offices"].format(min=MIN_OFFICES))
    cards = [value_card, peers]
    if not o.district_wide:
        if o.peer_median is not None and value != "—":
            gap = o.row.value - o.peer_median
            pct = gap / o.peer_median * 100 if o.peer_median else None
            shown = f"{gap:+,.0f}" + (f"（{_pct(pct)}）" if lang == "zh" and pct is not None else
                                      f" ({_pct(pct)})" if pct is not None else "")
            cards.append(Card(t["card_gap"], shown, t["gap_base"].format(year=o.year)))
        else:
            cards.append(Card(t["card_gap"], "—", t["gap_base"].format(year=o.year), t["gap_missing"]))
    cards.append(_rate_card(t, o.year, o.grant, "base_office_rate"))
    cards.append(Card(t["card_office_reports"], t["office_reports_value"].format(n=len(o.report_years)),
                      t["office_reports_base"].format(n=len(o.report_years), span=o.span)))
    return cards


def office_summary(o: OfficeYear, lang: str = "zh") -> list[str]:
    """3–5 sentences: the office's figure and its change on last year, against the other offices'
    median, the grant rate and its base, what is missing."""
    t = TEXT[lang]
    out = []
    value = _office_value(o, lang)
    if value == "—":
        out.append(t["o_value_missing"].format(office=o.office, year=o.year))
    else:
        sentence = t["o_value"].format(year=o.year, office=o.office, value=value)
        change = o.row.yoy_change
        if pd.notna(change):
            key = "o_change_up" if change > 0 else "o_change_down" if change < 0 else "o_change_same"
            sentence += t[key].format(change=count_text(abs(change)), pct=_pct(o.row.yoy_pct))
        out.append(sentence + t["s_end"])
    stated = int(o.peers.value.notna().sum())
    if o.district_wide:
        out.append(t["o_district_wide"].format(office=o.office))
    elif o.peer_median is None:
        out.append(t["o_few_peers"].format(n=stated, year=o.year, min=MIN_OFFICES))
    elif value != "—":
        gap = o.row.value - o.peer_median
        key = "o_peers_equal" if gap == 0 else "o_peers"
        out.append(t[key].format(n=stated, median=count_text(o.peer_median), office=o.office,
                                 verb=t["more"] if gap > 0 else t["less"], gap=count_text(abs(gap))))
    g = o.grant
    if g.handled <= 0:
        out.append(t["o_no_requests"].format(year=o.year))
    elif g.rate is None:
        out.append(t["o_few_requests"].format(year=o.year, handled=count_text(g.handled), min=MIN_REQUESTS))
    else:
        out.append(t["o_rate"].format(year=o.year, handled=count_text(g.handled), granted=count_text(g.granted),
                                      rate=percent_text(g.rate)))
    parts = []
    missing = [y for y in o.years if y not in o.report_years]
    if missing:
        parts.append(t["o_missing_years"].format(years=t["o_years_sep"].join(map(str, missing))))
    if o.to_check:
        parts.append(t["s_to_check"].format(n=o.to_check))
    if parts:
        out.append(_capitalized(t["s_missing"].format(parts=t["join"].join(parts))))
    return out


def _capitalized(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


__all__ = ["Card", "DistrictYear", "Grant", "OfficeYear", "count_text", "district_cards", "district_summary",
           "district_year", "figure_text", "grant_in", "office_cards", "office_summary", "office_year",
           "percent_text"]
