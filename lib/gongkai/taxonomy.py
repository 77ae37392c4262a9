"""The vocabularies of the domain, read from the CSV tables in gongkai/data (data, not code).

metrics.csv    metric id -> zh/en label, unit
categories.csv category dim -> zh/en label, phrasings ('|'-separated) that map onto it
channels.csv   channel dim -> zh/en label, phrasings
applicants.csv applicant dim (table 三 columns, in the template's column order) -> zh/en label
outcomes.csv   coarse cross-era outcome -> zh/en label, the metrics that roll up into it
office_kinds.csv registry kinds -> zh/en label, district_wide (1: the report speaks for the whole district)
districts.csv  district name -> ASCII slug for ids and file names (pinyin misreads polyphones: 朝阳 -> chaoyang)
"""
from __future__ import annotations

import csv
from functools import lru_cache

from gongkai.config import TAXONOMY_DIR


@lru_cache(maxsize=None)
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of gongkai/data/<name>.csv as dicts (cached, read once per process)."""
    with open(TAXONOMY_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


@lru_cache(maxsize=None)
def labels(name: str, lang: str = "zh") -> dict[str, str]:
    """id -> label in lang ('zh' or 'en') for one vocabulary table."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return {row["id"]: row[lang] for row in table(name)}


def metric_label(metric: str, lang: str = "zh") -> str:
    return labels("metrics", lang).get(metric, metric)


def metric_unit(metric: str) -> str:
    return {row["id"]: row["unit"] for row in table("metrics")}.get(metric, "")


@lru_cache(maxsize=None)
def phrasings(name: str) -> tuple[tuple[str, str], ...]:
    """(phrase, id) pairs of a vocabulary, longest phrase first, for matching text against it."""
    pairs = [(p, row["id"]) for row in table(name) for p in row.get("phrasings", "").split("|") if p]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=None)
def district_slugs() -> dict[str, str]:
    """District (or city-level) name -> ASCII slug, e.g. 西城区 -> xicheng."""
    return {row["name"]: row["slug"] for row in table("districts")}


@lru_cache(maxsize=None)
def district_wide_kinds() -> frozenset[str]:
    """Registry kinds whose report covers the whole district (区政府 "全区主动公开…"), not one office under it."""
    return frozenset(row["id"] for row in table("office_kinds") if row["district_wide"] == "1")


@lru_cache(maxsize=None)
def additive_metrics() -> frozenset[str]:
    """Metrics whose several statements in one report add up (sub-items of one category, channel or
    outcome; metrics.csv column 'additive'). Reconcile keeps them, views and checks sum them."""
    return frozenset(row["id"] for row in table("metrics") if row.get("additive") == "1")


@lru_cache(maxsize=None)
def applicant_order() -> tuple[str, ...]:
    """The applicant dims of table 三 in the template's column order, 总计 ('total') last (applicants.csv)."""
    return tuple(row["id"] for row in table("applicants"))
