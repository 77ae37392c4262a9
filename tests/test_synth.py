"""gongkai.synth: deterministic for a seed, identities holding, texts read back exactly by the extractor."""
from __future__ import annotations

import hashlib
import math

import pandas as pd

from gongkai.synth import generate
from gongkai.synth.accuracy import measure
from gongkai.synth.country import geography
from gongkai.synth.fit import fit, load_params
from gongkai.dataset import load

YEARS = [2017, 2018, 2019, 2020, 2021, 2022]


def _digest(folder, names=("facts.csv", "reports.csv", "offices.csv", "places.csv")):
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def test_same_seed_same_country_other_seed_other(tmp_path):
    generate(tmp_path / "a", 60, YEARS, seed=7, form="csv")
    generate(tmp_path / "b", 60, YEARS, seed=7, form="csv")
    generate(tmp_path / "c", 60, YEARS, seed=8, form="csv")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["facts.csv"] != _digest(tmp_path / "c")["facts.csv"]


def test_geography_kinds_and_unique_districts():
    geo = geography(400, seed=1, offices_per_district=25, districts_per_city=4)
    assert len(geo.offices) == 400 and geo.offices.office_id.is_unique
    assert geo.places.district.is_unique and len(geo.places) == 16
    assert (geo.offices.kind == "district_government").sum() == 16
    assert {"street", "department"} <= set(geo.offices.kind)
    assert not geo.offices.duplicated(["district", "name"]).any()


def test_table_three_identities_hold(tmp_path):
    generate(tmp_path, 80, YEARS, seed=2, form="csv")
    facts = load(tmp_path, form="csv").facts
    t3 = facts[facts.dim == "total"].pivot_table(index="report", columns="metric", values="value", aggfunc="first")
    t3 = t3.dropna(subset=["out_total"])
    assert len(t3)
    assert ((t3.req_new + t3.req_carried_in) == (t3.out_total + t3.req_carried_out)).all()
    parts = [m for m in t3.columns if m.startswith("out_") and m != "out_total"]   # printed rows, no group totals
    assert not {"out_denied_total", "out_unable_total", "out_not_processed_total"} & set(parts)
    assert (t3[parts].sum(axis=1) == t3.out_total).all()


def test_gaps_and_eras_as_fitted(tmp_path):
    summary = generate(tmp_path, 200, YEARS, seed=3, form="csv")
    reports = load(tmp_path, form="csv").reports
    share = summary.reports / (200 * len(YEARS))
    assert 0.3 < share < 0.9                       # offices miss years, as in the corpus
    eras = {y: set(part.era) for y, part in reports.groupby("year")}
    assert eras[2018] == {"pre2019"} and eras[2021] == {"fmt2021"} and "fmt2019" in eras[2020]


def test_texts_are_read_back_exactly(tmp_path):
    generate(tmp_path, 40, YEARS, seed=4, form="csv", texts=True)
    acc = measure(tmp_path)
    assert acc.texts > 50 and acc.truth > 1000
    assert acc.precision == 1.0 and acc.recall == 1.0, (acc.missed.most_common(5), acc.spurious.most_common(5))


def test_parameters_are_fitted_from_the_sample():
    """The stored table is what the fit gives on the sample (names always; re-run `python -m gongkai.synth.fit`
    after the sample changes to refresh the values)."""
    fitted = {name: value for name, value, _ in fit(load())}
    stored = load_params()
    assert set(fitted) == set(stored)
    assert all(math.isfinite(v) for v in fitted.values())
    assert 0 < stored["presence"] <= 1 and abs(sum(v for k, v in stored.items() if k.startswith("outcome.")) - 1) < 0.01
