"""gongkai.views_sql: the Parquet and CSV forms give identical tables; office rows agree with gongkai.views."""
from __future__ import annotations

import pandas as pd
import pytest

from gongkai import views, views_sql
from gongkai.dataset import load
from gongkai.synth import generate

YEARS = [2018, 2019, 2020, 2021]


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    out = tmp_path_factory.mktemp("country")
    generate(out, 150, YEARS, seed=6, form="both", offices_per_district=20, districts_per_city=2)
    return out


@pytest.mark.parametrize("view", ["volume", "coverage", "mix", "outcomes"])
@pytest.mark.parametrize("by", ["office", "district", "city", "province", "country"])
def test_parquet_and_csv_forms_give_identical_views(country, view, by):
    with views_sql.Source(country, form="parquet") as a, views_sql.Source(country, form="csv") as b:
        fa, fb = views_sql.VIEWS[view](a, by=by), views_sql.VIEWS[view](b, by=by)
    assert len(fa)
    pd.testing.assert_frame_equal(fa, fb, check_dtype=False)


def test_selection_by_level(country):
    with views_sql.Source(country) as src:
        places = src.query("SELECT * FROM places")
        city = places.city.iloc[0]
        frame = views_sql.volume(src, city=city, by="district", years=[2020])
        assert set(frame.district) == set(places[places.city == city].district)
        assert list(frame.year.unique()) == [2020]
        one = views_sql.coverage(src, district=places.district.iloc[0], by="office")
        assert one.district.nunique() == 1


@pytest.mark.parametrize("district", ["西城区", "通州区", "密云区"])
def test_office_rows_agree_with_pandas_views_on_the_sample(district):
    ds = load()
    with views_sql.Source(ds.data_dir, form="csv") as src:
        a = views.publication_volume(ds, district).sort_values(["district", "office_id", "year"]).reset_index(drop=True)
        b = views_sql.volume(src, district=district)
        cols = ["office_id", "year", "value", "yoy_change", "yoy_pct", "district_median"]
        pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)
        a = views.coverage(ds, district).sort_values(["district", "office_id", "year"]).reset_index(drop=True)
        b = views_sql.coverage(src, district=district)
        cols = ["office_id", "year", "report_present", "reports", "facts", "errors", "warnings"]
        pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)


def test_group_totals_add_up(country):
    with views_sql.Source(country) as src:
        offices = views_sql.volume(src, by="office")
        country_rows = views_sql.volume(src, by="country")
    per_year = offices.groupby("year").value.sum()
    assert (country_rows.set_index("year")["items"] == per_year).all()
