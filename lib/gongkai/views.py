"""Comparison views: tidy pandas frames over the facts/reports/findings tables (DESIGN.md §3).

Every view takes a dataset (anything with DataFrame attributes facts, reports, findings, offices) and
the same selection: district (name as in the tables, e.g. 西城区), offices (office ids; None = all of the
district) and years (None = every year with a report). Rows are office × year (× category / outcome);
a figure no report states stays NaN, never 0. Each figure row carries its quote and source so a chart
can show where it came from.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from gongkai import taxonomy
from gongkai.identities import subtotals
from gongkai.model import UNRECONCILED

UNCLASSIFIED = "unclassified"
# Which figure wins when one office-year has several for a metric/dim (e.g. last year's derived total).
QUALIFIER_RANK = {"exact": 0, "approx": 1, "unreconciled": 1, "derived": 2}
METHOD_RANK = {"manual": 0, "table": 1, "text": 2}
REQUEST_DIMS = ("total", "")
# A median says something about a group only with enough members behind it, a rate only with enough
# requests under it: below these a brief says why it leaves the figure out instead of showing it.
MIN_OFFICES = 3
MIN_REQUESTS = 10


def district_wide_offices(ds) -> set[str]:
    """Ids of the offices whose reports cover their whole district (区政府: "全区主动公开…"): comparing them
    with the offices under the district, or counting them in their median, would mix the whole with its parts."""
    return set(ds.offices.loc[ds.offices.kind.isin(taxonomy.district_wide_kinds()), "office_id"])


def office_grid(ds, district: str | None = None, offices: Iterable[str] | None = None,
                years: Iterable[int] | None = None) -> pd.DataFrame:
    """The selected offices × years: office_id, office (registry name), district, year, sorted.

    offices None means every office of the district under it: streets, towns and departments, not the
    district government, whose report is district-wide (name it in offices to include it).
    """
    registry = ds.offices[["office_id", "name", "district"]].rename(columns={"name": "office"})
    seen = ds.reports[["office_id", "office", "district"]].drop_duplicates("office_id")
    registry = pd.concat([registry, seen[~seen.office_id.isin(registry.office_id)]], ignore_index=True)
    if district is not None:
        registry = registry[registry.district == district]
    if offices:
        registry = registry[registry.office_id.isin([str(o) for o in offices])]
    else:
        registry = registry[~registry.office_id.isin(district_wide_offices(ds))]
    if years is None:
        years = sorted(ds.reports.loc[ds.reports.office_id.isin(registry.office_id), "year"].dropna().astype(int).unique())
    years_frame = pd.DataFrame({"year": sorted(int(y) for y in years)}, dtype="int64")
    return (registry.merge(years_frame, how="cross")
            .sort_values(["district", "office_id", "year"], ignore_index=True))


def mix_category(dim: str) -> str:
    """The category a proactive_items_by_category dim counts under in the category mix: the dim itself
    when it is a known category id, else 'other' ('' and 'other:<raw label>' too)."""
    known = {row["id"] for row in taxonomy.table("categories")}
    head = str(dim).split(":", 1)[0]
    return head if head in known else "other"


def sum_additive(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per report × metric × dim × qualifier × method: an additive metric's statements summed.

    A report may list 内设机构10条 and 领导介绍3条, both org_function: the category holds 13.
    """
    additive = facts.metric.isin(taxonomy.additive_metrics())
    if not additive.any():
        return facts
    keys = ["report", "office_id", "office", "district", "year", "metric", "dim", "qualifier", "method"]
    summed = (facts[additive].groupby(keys, as_index=False, dropna=False, sort=False)
              .agg(value=("value", "sum"), unit=("unit", "first"), quote=("quote", " / ".join)))
    return pd.concat([facts[~additive], summed], ignore_index=True)


def figures(ds, metrics: Iterable[str], dims: Iterable[str] | None = None) -> pd.DataFrame:
    """One figure per office × year × metric × dim (exact before approx before derived), with its source."""
    facts = ds.facts[ds.facts.metric.isin(list(metrics))]
    if dims is not None:
        facts = facts[facts.dim.fillna("").isin(list(dims))]
    facts = sum_additive(facts.assign(dim=facts.dim.fillna("")))
    facts = facts.assign(_q=facts.qualifier.map(QUALIFIER_RANK).fillna(9),
                         _m=facts.method.map(METHOD_RANK).fillna(9))
    best = (facts.sort_values(["_q", "_m", "report"])
            .drop_duplicates(["office_id", "year", "metric", "dim"])
            .drop(columns=["_q", "_m"]))
    best = best.merge(ds.reports[["report", "source"]], on="report", how="left")
    return best[["office_id", "year", "metric", "dim", "value", "unit", "qualifier", "quote", "source", "report"]]


def publication_volume(ds, district: str | None = None, offices: Iterable[str] | None = None,
                       years: Iterable[int] | None = None) -> pd.DataFrame:
    """proactive_items_total per office × year, with year-on-year change and the district median.

    Columns: office_id, office, district, year, value, qualifier, yoy_change, yoy_pct, district_median,
    median_offices, quote, source. yoy compares with the same office's figure for year − 1 (NaN when
    either is missing); district_median is the median over the offices of the district with a figure that
    year (the district government's district-wide figure excluded), median_offices how many they are.
    """
    grid = office_grid(ds, district, offices, years)
    totals = figures(ds, ["proactive_items_total"])
    frame = grid.merge(totals.drop(columns=["metric", "dim", "unit", "report"]),
                       on=["office_id", "year"], how="left")
    previous = totals[["office_id", "year", "value"]].assign(year=totals.year + 1).rename(columns={"value": "_prev"})
    frame = frame.merge(previous, on=["office_id", "year"], how="left")
    frame["yoy_change"] = frame.value - frame._prev
    frame["yoy_pct"] = np.where(frame._prev > 0, frame.yoy_change / frame._prev * 100, np.nan)
    district_of = ds.offices.set_index("office_id").district
    offices_under = totals[~totals.office_id.isin(district_wide_offices(ds))]
    medians = (offices_under.assign(district=offices_under.office_id.map(district_of))
               .groupby(["district", "year"]).value.agg(district_median="median", median_offices="size")
               .reset_index())
    frame = frame.merge(medians, on=["district", "year"], how="left").drop(columns=["_prev"])
    frame["median_offices"] = frame.median_offices.fillna(0).astype("int64")
    return frame[["office_id", "office", "district", "year", "value", "qualifier", "yoy_change", "yoy_pct",
                  "district_median", "median_offices", "quote", "source"]]


def peer_volume(ds, office_id: str, years: Iterable[int] | None = None) -> pd.DataFrame:
    """publication_volume of the OTHER offices of office_id's district that have a report in these years
    (the district government's district-wide report never among them): what an office brief compares the
    office with."""
    district = ds.offices.set_index("office_id").district.get(office_id)
    if district is None or pd.isna(district):                           # no district: no peers
        return publication_volume(ds, offices=[office_id], years=years).iloc[0:0]
    volume = publication_volume(ds, district=district, years=years)
    reporting = ds.reports.loc[ds.reports.year.isin(volume.year.unique()), "office_id"]
    return volume[(volume.office_id != office_id) & volume.office_id.isin(reporting)].reset_index(drop=True)


def median_by_year(volume: pd.DataFrame, min_offices: int = MIN_OFFICES) -> pd.DataFrame:
    """The median of volume's values per year, over the same offices every year when possible.

    When at least min_offices offices state a figure in every year of the frame, the median is taken over
    them alone (same_offices True); otherwise over whichever offices state it each year (same_offices
    False: the line mixes different offices, and a chart must say so). A year with fewer than min_offices
    figures behind it gets no median. Columns: year, median, offices (how many stand behind it), same_offices.
    """
    years = sorted(int(y) for y in volume.year.dropna().unique())
    stated = volume.dropna(subset=["value"])
    by_year = {y: set(stated.office_id[stated.year == y]) for y in years}
    panel = set.intersection(*by_year.values()) if by_year else set()
    same = len(panel) >= min_offices
    base = stated[stated.office_id.isin(panel)] if same else stated
    grouped = base.groupby("year").value.agg(["median", "size"]).reindex(years)
    counts = grouped["size"].fillna(0).astype("int64")
    if not same:      # the sets may still happen to be equal (one year, or every office every year)
        same = len({frozenset(s) for s in by_year.values()}) == 1 and len(panel) >= min_offices
    return pd.DataFrame({"year": years, "median": grouped["median"].where(counts >= min_offices).to_numpy(),
                         "offices": counts.to_numpy(), "same_offices": same})


def headline_year(cover: pd.DataFrame, years: Iterable[int]) -> int:
    """The one year a brief's headline figures speak of: the latest year in which the most of the
    selected offices have a report (coverage frame); the last of years when none has one."""
    present = cover[cover.report_present]
    if present.empty:
        return int(max(years))
    counts = present.groupby("year").office_id.nunique()
    return int(counts[counts == counts.max()].index.max())


YOY_METRICS = ("proactive_items_total", "req_new")


def year_on_year(ds, district: str | None = None, offices: Iterable[str] | None = None,
                 years: Iterable[int] | None = None, metrics: Iterable[str] = YOY_METRICS) -> pd.DataFrame:
    """Each office's figures against its own figure of the year before (同比), office-years with a figure.

    Columns: office_id, office, year, metric, value, qualifier, quote, previous, change, change_pct. previous
    is the office's figure for year − 1 even when that year is outside the selection; change and
    change_pct are NaN when either figure is missing (change_pct also when previous is 0).
    """
    grid = office_grid(ds, district, offices, years)
    stated = figures(ds, list(metrics), ("",) + REQUEST_DIMS)
    stated = (stated.assign(_d=stated.dim.map({"total": 0, "": 1}).fillna(2)).sort_values("_d")
              .drop_duplicates(["office_id", "year", "metric"]))[["office_id", "year", "metric", "value", "qualifier",
                                                                  "quote"]]
    before = stated[["office_id", "year", "metric", "value"]].assign(year=stated.year + 1).rename(
        columns={"value": "previous"})
    frame = (grid[["office_id", "office", "year"]].merge(stated, on=["office_id", "year"])
             .merge(before, on=["office_id", "year", "metric"], how="left"))
    frame["change"] = frame.value - frame.previous
    frame["change_pct"] = np.where(frame.previous > 0, frame.change / frame.previous * 100, np.nan)
    order = {m: i for i, m in enumerate(metrics)}
    frame = frame.assign(_o=frame.metric.map(order)).sort_values(["office_id", "year", "_o"])
    return frame.drop(columns="_o").reset_index(drop=True)[
        ["office_id", "office", "year", "metric", "value", "qualifier", "quote", "previous", "change", "change_pct"]]


def category_mix(ds, district: str | None = None, offices: Iterable[str] | None = None,
                 years: Iterable[int] | None = None) -> pd.DataFrame:
    """Items by category per office × year, as counts and shares of the total.

    Columns: office_id, office, district, year, category, count, share (0–1), total, quote, source.
    The part of the stated total no category covers is a row with category 'unclassified' (未分类).
    total is the share base: the stated proactive_items_total, or the sum of the categories when that
    is larger or the total is not stated. Office-years stating only shares get shares with count NaN.
    """
    grid = office_grid(ds, district, offices, years)
    keys = ["office_id", "year"]
    counts = figures(ds, ["proactive_items_by_category"]).rename(columns={"dim": "category", "value": "count"})
    counts = counts[counts.qualifier != UNRECONCILED]     # a breakdown that exceeds its total is left out (a finding says why)
    counts = counts.merge(grid[keys], on=keys)                               # the selection only
    counts["category"] = counts.category.map(mix_category)
    counts = counts.groupby(keys + ["category"], as_index=False).agg(
        count=("count", "sum"), quote=("quote", "first"), source=("source", "first"))
    totals = figures(ds, ["proactive_items_total"])[keys + ["value", "quote", "source"]].merge(grid[keys], on=keys)
    stated = totals.set_index(keys).value
    rows = []
    for (office_id, year), part in counts.groupby(keys):
        total = stated.get((office_id, year), np.nan)
        covered = part["count"].sum()
        rows.append(part)
        if pd.notna(total) and total > covered:
            quote, source = totals.set_index(keys).loc[(office_id, year), ["quote", "source"]]
            rows.append(pd.DataFrame([dict(office_id=office_id, year=year, category=UNCLASSIFIED,
                                           count=total - covered, quote=quote, source=source)]))
    with_counts = set(counts.set_index(keys).index)
    only_total = totals[[k not in with_counts for k in zip(totals.office_id, totals.year)]]
    rows.append(only_total.rename(columns={"value": "count"}).assign(category=UNCLASSIFIED))
    shares = figures(ds, ["proactive_share_by_category"]).merge(grid[keys], on=keys)
    shares = shares[[k not in with_counts for k in zip(shares.office_id, shares.year)]]
    if len(shares):
        shares = shares.assign(category=shares.dim.map(mix_category), count=np.nan, share=shares.value / 100)
        shares = shares.groupby(keys + ["category"], as_index=False).agg(
            count=("count", "first"), share=("share", "sum"), quote=("quote", "first"), source=("source", "first"))
        rest = 1 - shares.groupby(keys).share.sum()
        rest = rest[rest > 0.005].rename("share").reset_index().assign(category=UNCLASSIFIED, count=np.nan)
        rows.append(pd.concat([shares, rest], ignore_index=True)[keys + ["category", "count", "share", "quote", "source"]])
    stated_rows = [r for r in rows if len(r)]
    mix = pd.concat(stated_rows, ignore_index=True) if stated_rows else pd.DataFrame(columns=keys)
    for column in ("count", "share", "quote", "source", "category"):
        if column not in mix:
            mix[column] = np.nan
    base = mix.groupby(keys)["count"].transform("sum")
    mix["total"] = np.fmax(base, mix.set_index(keys).index.map(stated).to_numpy(dtype=float))
    mix["share"] = mix.share.where(mix.share.notna(), mix["count"] / mix.total.replace(0, np.nan))
    frame = grid.merge(mix, on=keys, how="inner")
    order = {c: i for i, c in enumerate([r["id"] for r in taxonomy.table("categories")] + [UNCLASSIFIED])}
    frame = frame.assign(_o=frame.category.map(order)).sort_values(["district", "office_id", "year", "_o"])
    return frame.drop(columns="_o").reset_index(drop=True)[
        ["office_id", "office", "district", "year", "category", "count", "share", "total", "quote", "source"]]


def _outcome_metrics() -> dict[str, list[str]]:
    return {row["id"]: row["metrics"].split("|") for row in taxonomy.table("outcomes")}


def request_outcomes(ds, district: str | None = None, offices: Iterable[str] | None = None,
                     years: Iterable[int] | None = None) -> pd.DataFrame:
    """Requests by coarse outcome per office × year, all three eras on one scale (outcomes.csv).

    Columns: office_id, office, district, year, outcome, count, share, handled, handled_basis, grant_rate,
    quote, source. A coarse outcome whose `*_total` metric is not stated falls back to the sum of its
    stated sub-rows (e.g. out_unable_not_held for 信息不存在); with neither it is NaN. handled (the grant
    rate's denominator) is out_total when stated ('out_total'), else the sum of the stated decided
    outcomes ('sum'); grant_rate = granted / handled. share is of all stated outcomes incl. carried forward.
    Office-years without any request outcome figure have no rows.
    """
    keys = ["office_id", "year"]
    mapping = _outcome_metrics()
    grid = office_grid(ds, district, offices, years)
    wanted = {m for ms in mapping.values() for m in ms} | {"out_total"}
    members = subtotals()                                   # a group total no table prints: its sub-rows
    facts = figures(ds, wanted | {m for t in wanted for m in members.get(t, ())}, REQUEST_DIMS)
    facts = facts.merge(grid[keys], on=keys)                                 # the selection only
    facts = facts.sort_values("dim", ascending=False).drop_duplicates(keys + ["metric"])  # 'total' before ''
    rows = []
    for (office_id, year), part in facts.groupby(keys):
        stated = {m: (v, q, s) for m, v, q, s in zip(part.metric, part.value, part.quote, part.source)}
        record = dict(office_id=office_id, year=year)
        out = []
        for outcome, metrics in mapping.items():
            used = [m for m in metrics if m in stated]
            used += [s for m in metrics if m not in stated for s in members.get(m, ()) if s in stated]
            count = float(sum(stated[m][0] for m in used)) if used else np.nan
            out.append(dict(record, outcome=outcome, count=count,
                            quote="；".join(str(stated[m][1]) for m in used) or None,
                            source=stated[used[0]][2] if used else None))
        if all(pd.isna(o["count"]) for o in out):
            continue
        decided = [o["count"] for o in out if o["outcome"] != "carried_forward"]
        if "out_total" in stated:
            handled, basis = float(stated["out_total"][0]), "out_total"
        else:
            handled, basis = float(np.nansum(decided)), "sum"
        granted = out[0]["count"]
        rate = granted / handled if handled > 0 and pd.notna(granted) else np.nan
        base = np.nansum([o["count"] for o in out])
        for o in out:
            o.update(share=o["count"] / base if base > 0 else np.nan, handled=handled, handled_basis=basis,
                     grant_rate=rate)
        rows.extend(out)
    columns = ["office_id", "office", "district", "year", "outcome", "count", "share", "handled",
               "handled_basis", "grant_rate", "quote", "source"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = grid.merge(pd.DataFrame(rows), on=keys, how="inner")
    return frame[columns].reset_index(drop=True)


def coverage(ds, district: str | None = None, offices: Iterable[str] | None = None,
             years: Iterable[int] | None = None) -> pd.DataFrame:
    """Which office-years have a report, how many facts it gave, and its error/warning findings.

    Columns: office_id, office, district, year, report_present, reports, facts, errors, warnings, source.
    Every selected office × year has a row (report_present False, counts 0 when there is no report).
    """
    grid = office_grid(ds, district, offices, years)
    reports = ds.reports[["report", "office_id", "year", "source"]]
    fact_counts = ds.facts.groupby("report").size().rename("facts")
    severity = ds.findings.pivot_table(index="report", columns="severity", values="check", aggfunc="size")
    per_report = (reports.set_index("report")
                  .join(fact_counts).join(severity.reindex(columns=["error", "warning"]))
                  .fillna({"facts": 0, "error": 0, "warning": 0}).reset_index())
    per_year = per_report.groupby(["office_id", "year"]).agg(
        reports=("report", "size"), facts=("facts", "sum"), errors=("error", "sum"),
        warnings=("warning", "sum"), source=("source", "first")).reset_index()
    frame = grid.merge(per_year, on=["office_id", "year"], how="left")
    frame[["reports", "facts", "errors", "warnings"]] = (
        frame[["reports", "facts", "errors", "warnings"]].fillna(0).astype("int64"))
    frame.insert(4, "report_present", frame.reports > 0)
    return frame


def findings_of(ds, district: str | None = None, offices: Iterable[str] | None = None,
                years: Iterable[int] | None = None) -> pd.DataFrame:
    """The findings of the selected offices' reports: office_id, office, year, severity, check, metric, dim,
    expected, actual, message, source."""
    grid = office_grid(ds, district, offices, years)
    found = ds.findings.merge(ds.reports[["report", "office_id", "year", "source"]], on="report")
    frame = grid.merge(found, on=["office_id", "year"])
    frame = frame.assign(_s=frame.severity.map({"error": 0, "warning": 1}))
    return frame.sort_values(["_s", "office_id", "year"]).reset_index(drop=True)[
        ["office_id", "office", "year", "severity", "check", "metric", "dim", "expected", "actual", "message",
         "source"]]


def sources(ds, district: str | None = None, offices: Iterable[str] | None = None,
            years: Iterable[int] | None = None, metrics: Iterable[str] | None = None,
            per_applicant: bool = True) -> pd.DataFrame:
    """The figures behind a brief with quote and source: office, year, metric, dim, value, unit, qualifier.

    per_applicant False leaves out table 三's applicant columns (自然人, 商业企业 …) but their 总计: the
    figures a brief charts, without the six-fold detail behind each."""
    grid = office_grid(ds, district, offices, years)
    metrics = list(metrics) if metrics is not None else sorted(set(ds.facts.metric))
    found = figures(ds, metrics)
    if not per_applicant:
        columns = {row["id"] for row in taxonomy.table("applicants")} - {"total"}
        found = found[~found.dim.isin(columns)]
    frame = grid.merge(found, on=["office_id", "year"])
    return frame.sort_values(["office_id", "year", "metric", "dim"]).reset_index(drop=True)[
        ["office_id", "office", "year", "metric", "dim", "value", "unit", "qualifier", "quote", "source"]]
