"""`gongkai synth`: a synthetic country for tests and benchmarks, deterministic for a seed.

generate() writes N offices across districts, cities and provinces (gongkai.synth.country) with figures
drawn from distributions fitted to the real corpus (gongkai.synth.fit, lib/gongkai/data/synth_params.csv),
as the CSV form (facts.csv, reports.csv, findings.csv, offices.csv, places.csv), the Parquet form
(columnar/, gongkai.columnar) or both, one province at a time so memory stays flat. With texts it also
writes every report as a text in its era's layout (gongkai.synth.texts) under reports/, and truth.csv: the
figures each text states, to measure ingest accuracy against.
"""
from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gongkai.columnar import Writer
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS
from gongkai.synth.country import geography, province_chunk

log = logging.getLogger(__name__)
FORMS = ("csv", "parquet", "both")


@dataclass
class SynthSummary:
    out: Path
    offices: int = 0
    districts: int = 0
    provinces: int = 0
    reports: int = 0
    facts: int = 0
    texts: int = 0


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as the CSV form writes them: whole floats without '.0', missing as ''."""
    out = frame.copy()
    for c in ("value", "expected", "actual"):
        if c in out:
            v = out[c].astype(float)
            whole = np.isfinite(v) & (v == np.round(v))
            text = v.astype(str)
            text[whole] = v[whole].astype(np.int64).astype(str)
            text[~np.isfinite(v)] = ""
            out[c] = text
    return out


def _append_csv(path: Path, frame: pd.DataFrame, columns: list[str], first: bool) -> None:
    csv_frame(frame)[columns].to_csv(path, mode="w" if first else "a", header=first, index=False, na_rep="",
                                     lineterminator="\n")


def generate(out, offices: int, years: list[int], seed: int = 0, texts: bool = False, form: str = "both",
             offices_per_district: int = 25, districts_per_city: int = 8, progress=None) -> SynthSummary:
    """Write a synthetic country into out (created). form: csv, parquet or both. Deterministic for seed."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    geo = geography(offices, seed, offices_per_district, districts_per_city)
    summary = SynthSummary(out=out, offices=len(geo.offices), districts=len(geo.places),
                           provinces=geo.places.province.nunique())
    provinces = sorted(geo.places.province.unique())
    writer = Writer(out) if form in ("parquet", "both") else None
    truth_file = None
    try:
        if texts:
            from gongkai.synth.texts import write_texts
            truth_file = open(out / "truth.csv", "w", encoding="utf-8", newline="")
            csv.writer(truth_file, lineterminator="\n").writerow(["path", "office_id", "year", "metric", "dim", "value"])
        for i, province in enumerate(provinces):
            reports, facts = province_chunk(geo, province, years, seed)
            summary.reports += len(reports)
            summary.facts += len(facts)
            if form in ("csv", "both"):
                _append_csv(out / "facts.csv", facts, FACT_COLUMNS, i == 0)
                _append_csv(out / "reports.csv", reports, REPORT_COLUMNS, i == 0)
            if writer is not None:
                facts = facts.assign(province=province)
                for year, part in facts.groupby("year", sort=True):
                    writer.write("facts", part, f"{province}/{year}", sort_by=["district", "office_id"])
                writer.write("reports", reports.assign(province=province), province, sort_by=["district", "office_id"])
            if texts:
                summary.texts += write_texts(out / "reports", geo, reports, facts, truth_file)
            if progress:
                progress(i + 1, len(provinces))
        offices_frame = geo.offices[["office_id", "name", "aliases", "district", "kind"]]
        offices_frame.to_csv(out / "offices.csv", index=False, lineterminator="\n")
        geo.places.to_csv(out / "places.csv", index=False, lineterminator="\n")
        if form in ("csv", "both"):
            pd.DataFrame(columns=FINDING_COLUMNS).to_csv(out / "findings.csv", index=False)
        if writer is not None:
            writer.write("offices", offices_frame)
            writer.write("places", geo.places)
            writer.write("findings", pd.DataFrame(columns=FINDING_COLUMNS))
            writer.commit()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        if truth_file is not None:
            truth_file.close()
    return summary
