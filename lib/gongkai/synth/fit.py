"""Fit the synthetic country's distributions to the real corpus (data/facts.csv, reports.csv, offices.csv).

fit(ds) returns the parameters as rows (name, value, how) and write_params() stores them in
lib/gongkai/data/synth_params.csv, which gongkai.synth reads: the generator never looks at the real data, so
a synthetic country is the same on every machine. Re-fit with `python -m gongkai.synth.fit` after the sample
dataset changes. How each parameter is fitted is in its `how` column:

- office kinds: the shares of street / town / department / district_government in the registry;
- presence (gaps): reports per office over the years between its first and last report;
- proactive totals: a log-normal (mean and sd of log) of proactive_items_total, split into an office effect
  and a year-to-year effect from offices with several years;
- category mix: how often each category is listed (weights) and how many categories a report lists;
- requests: the share of reports stating 0 requests and a log-normal of the positive req_new;
- outcomes: the shares of the coarse outcomes (granted, partial, denied, unable, not processed, other) in the
  sum of the stated out_* totals;
- statement rates: the share of pre2019 reports stating the total, the categories, requests, the full-text rate.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from gongkai.identities import subtotals

PARAMS_PATH = Path(__file__).resolve().parent.parent / "data" / "synth_params.csv"
OUTCOME_METRICS = {"granted": ["out_granted"], "partial": ["out_partially_granted"],
                   "denied": ["out_denied_total"], "unable": ["out_unable_total"],
                   "not_processed": ["out_not_processed_total"], "other": ["out_other_total"]}


def _outcome_sums(facts) -> dict[str, float]:
    """Each coarse outcome summed over reports: its stated total, else the sum of its sub-rows (tables print
    不予公开, 无法提供, 不予处理 only as sub-rows)."""
    outs = facts[facts.dim.isin(["", "total"])].drop_duplicates(["report", "metric"])
    by = outs.pivot_table(index="report", columns="metric", values="value", aggfunc="first")
    members = subtotals()
    sums = {}
    for k, metrics in OUTCOME_METRICS.items():
        value = 0.0
        for m in metrics:
            stated = by[m] if m in by else pd.Series(np.nan, index=by.index)
            parts = [c for c in members.get(m, ()) if c in by]
            value += float(stated.fillna(by[parts].sum(axis=1, min_count=1)).sum() if parts else stated.sum())
        sums[k] = value
    return sums


def fit(ds) -> list[tuple[str, float, str]]:
    """The fitted parameters of the dataset ds (a gongkai Dataset) as (name, value, how) rows."""
    facts, reports, offices = ds.facts, ds.reports, ds.offices
    rows: list[tuple[str, float, str]] = []
    kinds = offices.kind.value_counts(normalize=True)
    for kind in ("street", "town", "department", "district_government"):
        rows.append((f"kind.{kind}", round(float(kinds.get(kind, 0.0)), 4), "share of the registry's offices"))
    span = reports.groupby("office_id").year.agg(["min", "max", "count"])
    multi = span[span["count"] > 1]
    presence = float((multi["count"] / (multi["max"] - multi["min"] + 1)).mean()) if len(multi) else 0.8
    rows.append(("presence", round(presence, 4), "mean reports/(last-first+1) over offices with >1 report"))
    totals = facts[facts.metric == "proactive_items_total"].drop_duplicates(["office_id", "year"])
    logs = np.log(totals.value.clip(lower=1).astype(float))
    within = totals.assign(l=logs).groupby("office_id").l.std().dropna()
    year_sd = float(within.mean()) if len(within) else 0.3
    total_sd = float(logs.std())
    rows += [("total.log_mean", round(float(logs.mean()), 4), "mean of log proactive_items_total"),
             ("total.log_sd_office", round(float(np.sqrt(max(total_sd ** 2 - year_sd ** 2, 0.01))), 4),
              "sqrt(sd(log total)^2 - year sd^2): between offices"),
             ("total.log_sd_year", round(year_sd, 4), "mean within-office sd of log total: year to year")]
    cats = facts[facts.metric == "proactive_items_by_category"]
    per_report = cats.groupby("report").dim.nunique()
    rows.append(("categories.mean_listed", round(float(per_report.mean()), 4), "categories listed per report"))
    weights = cats.dim.str.split(":").str[0].value_counts(normalize=True)
    for cat, w in weights.items():
        rows.append((f"category.{cat}", round(float(w), 4), "share of category statements"))
    req = facts[(facts.metric == "req_new") & facts.dim.isin(["", "total"])].drop_duplicates("report")
    positive = np.log(req.value[req.value > 0].astype(float))
    rows += [("requests.p_zero", round(float((req.value == 0).mean()), 4), "share of reports stating 0 requests"),
             ("requests.log_mean", round(float(positive.mean()), 4), "mean log of positive req_new"),
             ("requests.log_sd", round(float(positive.std()), 4), "sd log of positive req_new")]
    sums = _outcome_sums(facts)
    whole = sum(sums.values()) or 1.0
    for k, v in sums.items():
        rows.append((f"outcome.{k}", round(v / whole, 4), "share of the stated coarse outcome totals"))
    pre = reports[reports.era == "pre2019"].report
    pre_facts = facts[facts.report.isin(pre)]
    for name, metric in (("total", "proactive_items_total"), ("categories", "proactive_items_by_category"),
                         ("requests", "req_new"), ("fulltext", "proactive_fulltext_rate"),
                         ("consultations", "consultations_total")):
        rate = pre_facts[pre_facts.metric == metric].report.nunique() / max(len(pre), 1)
        rows.append((f"states.{name}", round(float(rate), 4), f"share of pre2019 reports stating {metric}"))
    era19 = reports[reports.year == 2019].era
    rows.append(("fmt2019_in_2019", round(float((era19 == "fmt2019").mean()) if len(era19) else 0.7, 4),
                 "share of data-year-2019 reports already in fmt2019"))
    return rows


def write_params(rows, path: Path = PARAMS_PATH) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["name", "value", "how"])
        writer.writerows(rows)


def load_params(path: Path = PARAMS_PATH) -> dict[str, float]:
    with open(path, encoding="utf-8") as f:
        return {row["name"]: float(row["value"]) for row in csv.DictReader(f)}


if __name__ == "__main__":  # re-fit from the committed sample dataset
    from gongkai.dataset import load
    write_params(fit(load()))
    print(f"wrote {PARAMS_PATH}")
