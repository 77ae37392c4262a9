"""Comparison tables at any level (office, district, city, province, country) as DuckDB SQL, returned as pandas.

Source(data_dir) opens an in-process DuckDB over either form of the dataset: the Parquet big form
(gongkai.columnar, read lazily: only the columns and row groups a query needs are read) or the CSV form
(facts.csv, reports.csv, findings.csv, offices.csv, places.csv: a district's small dataset, read whole with
the contract's reader, gongkai.store.read_table). Both give the same frames. Why DuckDB: on
one machine it scans Parquet in parallel and out of core with a memory limit, pushes filters and column
selection into the scan, and answers a national table from 25 M facts in seconds without loading them into
pandas; pandas stays the notebook-facing API (every function returns a DataFrame). Where the data or the work
spans a cluster, the same Parquet files are read by Dask DataFrame (gongkai.distributed_ingest writes them).

Every function takes a selection (district, city or province, names as in places; none = the country) and
years (None = every year with a report), and `by`: 'office' (one row per office × year, as gongkai.views) or
'district' / 'city' / 'province' / 'country' (one row per group × year). District-wide offices (区政府) are
not counted with the offices under them, as in gongkai.views. A figure no report states stays NaN, never 0.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gongkai import columnar, taxonomy
from gongkai.identities import subtotals
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS

LEVELS = ("office", "district", "city", "province", "country")
OUTCOMES = ("granted", "partially_granted", "denied", "unable_to_provide", "not_processed", "other", "carried_forward")
INT_COLUMNS = columnar.INT_COLUMNS
TOTAL_SQL = "f.metric = 'proactive_items_total'"
CATEGORY_SQL = "f.metric = 'proactive_items_by_category'"
FLOAT_COLUMNS = columnar.FLOAT_COLUMNS


def _q(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """pandas extension dtypes as plain numpy/object columns DuckDB scans directly (NA -> NaN/None)."""
    out = {}
    for c in frame.columns:
        col = frame[c]
        if c in INT_COLUMNS:
            out[c] = col.astype("Int64").astype("float64") if col.isna().any() else col.astype("int64")
        elif c in FLOAT_COLUMNS:
            out[c] = col.astype("float64")
        elif c == "full_year":
            out[c] = col.astype("boolean").fillna(False).astype(bool)
        else:
            out[c] = col.astype(object).where(col.notna(), "")
    return pd.DataFrame(out)


class Source:
    """An in-process DuckDB over one dataset folder (Parquet big form when it has one, else the CSV form)."""

    def __init__(self, data_dir, form: str | None = None, memory_limit: str = "1500MB", threads: int | None = None):
        import duckdb
        self.data_dir = Path(data_dir)
        self.form = form or ("parquet" if columnar.is_columnar(self.data_dir) else "csv")
        self.con = duckdb.connect()
        self.con.execute(f"SET memory_limit = {_q(memory_limit)}")
        self.con.execute("SET preserve_insertion_order = false")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if self.form == "parquet":
            version = columnar.current(self.data_dir)
            if version is None:
                raise FileNotFoundError(f"no Parquet dataset in {self.data_dir}")
            for table in ("facts", "reports"):
                self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({_q(version / table / '*' / '*.parquet' if table == 'facts' else version / table / '*.parquet')})")
            for table in ("findings", "offices", "places"):
                self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({_q(version / (table + '.parquet'))})")
        else:   # the CSV form is a district's small dataset: read with the contract's reader, then query
            from gongkai.store import read_table
            for table, columns in (("facts", FACT_COLUMNS), ("reports", REPORT_COLUMNS), ("findings", FINDING_COLUMNS),
                                   ("offices", columnar.OFFICE_COLUMNS), ("places", columnar.PLACE_COLUMNS)):
                path = self.data_dir / (table + ".csv")
                if path.is_file():
                    frame = read_table(path, columns)
                elif table == "places":
                    districts = self.con.execute("SELECT DISTINCT district FROM offices").df().district
                    frame = pd.DataFrame({"district": districts, "city": "", "province": ""})
                else:
                    raise FileNotFoundError(f"no dataset in {self.data_dir}: {path.name} missing")
                self.con.register(f"_{table}", _plain(frame))
                self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}")
        wide = ", ".join(_q(k) for k in sorted(taxonomy.district_wide_kinds())) or "''"
        self.wide_kinds = wide

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def query(self, sql: str, params=None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    # -- selection ------------------------------------------------------------------------------------
    def selection(self, district=None, city=None, province=None, offices=None) -> tuple[str, list]:
        """A CTE `sel` of the selected offices (office_id, office, district, city, province, wide) and its params."""
        where, params = [], []
        for column, value in (("o.district", district), ("p.city", city), ("p.province", province)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if offices:
            where.append("list_contains(?, o.office_id)")
            params.append(list(offices))
        if not offices:   # as gongkai.views.office_grid: the district government only when named
            where.append(f"o.kind NOT IN ({self.wide_kinds})")
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        registry = ("(SELECT office_id, name, district, kind FROM offices UNION ALL "
                    "SELECT office_id, first(office ORDER BY report), first(district ORDER BY report), '' FROM reports "
                    "WHERE office_id NOT IN (SELECT office_id FROM offices) GROUP BY office_id)")
        return (f"sel AS (SELECT o.office_id, o.name AS office, o.district, COALESCE(p.city, '') AS city, "
                f"COALESCE(p.province, '') AS province, o.kind IN ({self.wide_kinds}) AS wide "
                f"FROM {registry} o LEFT JOIN places p ON p.district = o.district {clause})"), params

    def scoped(self, district, city, province, offices, years) -> tuple[str, str, str, list]:
        """What every view starts from: the sel and yrs CTEs, the facts predicate and their query parameters
        (in the order the SQL uses them)."""
        sel, params = self.selection(district, city, province, offices)
        yrs = self._years(years, params)
        return sel, yrs, self._fact_scope(province, params), params

    def _years(self, years, params: list) -> str:
        if years is None:
            return ("yrs AS (SELECT DISTINCT year FROM reports WHERE office_id IN (SELECT office_id FROM sel) "
                    "AND year IS NOT NULL)")
        params.append([int(y) for y in years])
        return "yrs AS (SELECT UNNEST(?::BIGINT[]) AS year)"

    def _fact_scope(self, province, params: list) -> str:
        """Extra predicate on facts: the province partition when the big form has one."""
        if province and self.form == "parquet":
            params.append(province)
            return " AND f.province = ?"
        return ""


def _group_key(by: str) -> str:
    if by not in LEVELS:
        raise ValueError(f"by must be one of {LEVELS}")
    return {"office": "office_id", "country": "'全国'"}.get(by, by)


def _best(metric_sql: str, scope: str) -> str:
    """One figure per office × year × metric × dim: exact before approx before derived, manual before table before text."""
    return (f"SELECT * FROM (SELECT f.office_id, f.year, f.metric, f.dim, f.value, f.qualifier, f.quote, f.report, "
            f"row_number() OVER (PARTITION BY f.office_id, f.year, f.metric, f.dim ORDER BY "
            f"CASE f.qualifier WHEN 'exact' THEN 0 WHEN 'approx' THEN 1 WHEN 'derived' THEN 2 ELSE 9 END, "
            f"CASE f.method WHEN 'manual' THEN 0 WHEN 'table' THEN 1 WHEN 'text' THEN 2 ELSE 9 END, f.report) AS rn "
            f"FROM facts f WHERE {metric_sql} AND f.district IN (SELECT DISTINCT district FROM sel){scope}) WHERE rn = 1")


def _finish(frame: pd.DataFrame, sort: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(sort, kind="stable").reset_index(drop=True)
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].fillna("").astype("string")
    return frame


def volume(src: Source, district=None, city=None, province=None, years=None, by: str = "office",
           offices=None) -> pd.DataFrame:
    """proactive_items_total per office × year (by='office': value, yoy_change, yoy_pct, district_median, quote,
    source) or per group × year (offices, reporting, items, median_per_office, yoy_pct of items)."""
    key = _group_key(by)
    sel, yrs, scope, params = src.scoped(district, city, province, offices, years)
    base = (f"WITH {sel}, {yrs}, tot AS ({_best(TOTAL_SQL, scope)}), "
            f"grid AS (SELECT * FROM sel CROSS JOIN yrs), "
            f"med AS (SELECT s.district, t.year, median(t.value) AS district_median FROM tot t JOIN sel s USING (office_id) "
            f"WHERE NOT s.wide GROUP BY ALL), "
            f"rows AS (SELECT g.*, t.value, t.qualifier, t.quote, t.report, prev.value AS prev FROM grid g "
            f"LEFT JOIN tot t ON t.office_id = g.office_id AND t.year = g.year "
            f"LEFT JOIN tot prev ON prev.office_id = g.office_id AND prev.year = g.year - 1) ")
    if by == "office":
        sql = base + (f"SELECT r.office_id, r.office, r.district, r.year, r.value, COALESCE(r.qualifier, '') AS qualifier, "
                      f"r.value - r.prev AS yoy_change, CASE WHEN r.prev > 0 THEN (r.value - r.prev) / r.prev * 100 END AS yoy_pct, "
                      f"m.district_median, COALESCE(r.quote, '') AS quote, COALESCE(rep.source, '') AS source "
                      f"FROM rows r LEFT JOIN med m ON m.district = r.district AND m.year = r.year "
                      f"LEFT JOIN reports rep ON rep.report = r.report")
        return _finish(src.query(sql, params), ["district", "office_id", "year"])
    sql = base + (f", agg AS (SELECT {key} AS grp, year, count(*) AS offices, count(value) AS reporting, "
                  f"sum(value) AS items, median(value) AS median_per_office FROM rows WHERE NOT wide GROUP BY ALL) "
                  f"SELECT a.grp AS {by}, a.year, a.offices, a.reporting, a.items, a.median_per_office, "
                  f"CASE WHEN p.items > 0 THEN (a.items - p.items) / p.items * 100 END AS yoy_pct "
                  f"FROM agg a LEFT JOIN agg p ON p.grp = a.grp AND p.year = a.year - 1")
    return _finish(src.query(sql, params), [by, "year"])


def coverage(src: Source, district=None, city=None, province=None, years=None, by: str = "office",
             offices=None) -> pd.DataFrame:
    """Which office-years have a report, with facts and error/warning findings (by='office'), or per group × year:
    offices, reporting (offices with a report), coverage (share), reports, facts, errors, warnings."""
    key = _group_key(by)
    sel, yrs, scope, params = src.scoped(district, city, province, offices, years)
    sql = (f"WITH {sel}, {yrs}, "
           f"fc AS (SELECT f.report, count(*) AS n FROM facts f WHERE f.district IN (SELECT DISTINCT district FROM sel)"
           f"{scope} GROUP BY ALL), "
           f"fi AS (SELECT report, count(*) FILTER (WHERE severity = 'error') AS errors, "
           f"count(*) FILTER (WHERE severity = 'warning') AS warnings FROM findings GROUP BY ALL), "
           f"per AS (SELECT r.office_id, r.year, count(*) AS reports, sum(COALESCE(fc.n, 0))::BIGINT AS facts, "
           f"sum(COALESCE(fi.errors, 0))::BIGINT AS errors, sum(COALESCE(fi.warnings, 0))::BIGINT AS warnings, first(r.source ORDER BY r.report) AS source "
           f"FROM reports r LEFT JOIN fc USING (report) LEFT JOIN fi USING (report) "
           f"WHERE r.office_id IN (SELECT office_id FROM sel) GROUP BY ALL), "
           f"rows AS (SELECT s.*, y.year, COALESCE(p.reports, 0) AS reports, COALESCE(p.facts, 0) AS facts, "
           f"COALESCE(p.errors, 0) AS errors, COALESCE(p.warnings, 0) AS warnings, COALESCE(p.source, '') AS source "
           f"FROM sel s CROSS JOIN yrs y LEFT JOIN per p ON p.office_id = s.office_id AND p.year = y.year) ")
    if by == "office":
        frame = src.query(sql + "SELECT office_id, office, district, year, reports > 0 AS report_present, reports, facts, "
                          "errors, warnings, source FROM rows", params)
        return _finish(frame, ["district", "office_id", "year"])
    frame = src.query(sql + (f"SELECT {key} AS {by}, year, count(*) AS offices, count(*) FILTER (WHERE reports > 0) AS reporting, "
                             f"count(*) FILTER (WHERE reports > 0) / count(*) AS coverage, sum(reports)::BIGINT AS reports, "
                             f"sum(facts)::BIGINT AS facts, sum(errors)::BIGINT AS errors, "
                             f"sum(warnings)::BIGINT AS warnings FROM rows "
                             f"WHERE NOT wide GROUP BY ALL"), params)
    return _finish(frame, [by, "year"])


def category_mix(src: Source, district=None, city=None, province=None, years=None, by: str = "district",
                 offices=None) -> pd.DataFrame:
    """Items by category summed per group (or office) × year: category, count, share of the categorized items."""
    key = _group_key(by)
    sel, yrs, scope, params = src.scoped(district, city, province, offices, years)
    known = ", ".join(_q(r["id"]) for r in taxonomy.table("categories"))
    sql = (f"WITH {sel}, {yrs}, cats AS ({_best(CATEGORY_SQL, scope)}), "
           f"rows AS (SELECT s.*, c.year, CASE WHEN split_part(c.dim, ':', 1) IN ({known}) THEN split_part(c.dim, ':', 1) "
           f"ELSE 'other' END AS category, c.value FROM cats c JOIN sel s USING (office_id) "
           f"WHERE c.year IN (SELECT year FROM yrs) AND NOT s.wide), "
           f"agg AS (SELECT {key} AS grp, year, category, sum(value) AS count FROM rows GROUP BY ALL) "
           f"SELECT grp AS {by}, year, category, count, count / sum(count) OVER (PARTITION BY grp, year) AS share FROM agg")
    return _finish(src.query(sql, params), [by, "year", "category"])


def request_outcomes(src: Source, district=None, city=None, province=None, years=None, by: str = "district",
                     offices=None) -> pd.DataFrame:
    """Requests by coarse outcome (outcomes.csv) summed per group (or office) × year, with handled (out_total when
    stated, else the sum of the decided outcomes) and grant_rate = granted / handled. Rows only where stated."""
    key = _group_key(by)
    mapping = {row["id"]: row["metrics"].split("|") for row in taxonomy.table("outcomes")}
    wanted = {m for ms in mapping.values() for m in ms} | {"out_total"}
    members = {t: ms for t, ms in subtotals().items() if t in wanted}   # a group total no table prints: its sub-rows
    metrics = sorted(wanted | {m for ms in members.values() for m in ms})
    sel, yrs, scope, params = src.scoped(district, city, province, offices, years)
    case = " ".join(f"WHEN metric IN ({', '.join(_q(m) for m in ms)}) THEN {_q(o)}" for o, ms in mapping.items())
    parent = " ".join(f"WHEN metric IN ({', '.join(_q(m) for m in ms)}) THEN {_q(t)}" for t, ms in members.items())
    subs = ", ".join(_q(m) for ms in members.values() for m in ms)
    metric_sql = f"f.metric IN ({', '.join(_q(m) for m in metrics)}) AND f.dim IN ('total', '')"
    sql = (f"WITH {sel}, {yrs}, figs AS ({_best(metric_sql, scope)}), "
           f"one AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY office_id, year, metric ORDER BY dim DESC) AS k "
           f"FROM figs) WHERE k = 1), "
           f"folded AS (SELECT office_id, year, metric, COALESCE(max(value) FILTER (WHERE NOT sub), "
           f"sum(value) FILTER (WHERE sub)) AS value FROM (SELECT office_id, year, value, metric IN ({subs}) AS sub, "
           f"CASE {parent} ELSE metric END AS metric FROM one) GROUP BY office_id, year, metric), "
           f"rows AS (SELECT s.office_id, s.district, s.city, s.province, o.year, CASE {case} ELSE '_handled' END AS outcome, "
           f"o.value FROM folded o JOIN sel s USING (office_id) WHERE o.year IN (SELECT year FROM yrs) AND NOT s.wide), "
           f"per AS (SELECT office_id, district, city, province, year, "
           + ", ".join(f"sum(value) FILTER (WHERE outcome = {_q(o)}) AS {o}" for o in OUTCOMES)
           + ", sum(value) FILTER (WHERE outcome = '_handled') AS out_total FROM rows GROUP BY ALL), "
           f"per2 AS (SELECT *, COALESCE(out_total, " + " + ".join(f"COALESCE({o}, 0)" for o in OUTCOMES[:-1])
           + ") AS handled, CASE WHEN out_total IS NULL THEN 'sum' ELSE 'out_total' END AS handled_basis FROM per) "
           f"SELECT {key} AS {by}, year, count(*) AS offices, " + ", ".join(f"sum({o}) AS {o}" for o in OUTCOMES)
           + ", sum(handled) AS handled, count(*) FILTER (WHERE handled_basis = 'out_total') AS handled_from_out_total, "
           f"CASE WHEN sum(handled) > 0 THEN sum(granted) / sum(handled) END AS grant_rate FROM per2 GROUP BY ALL")
    return _finish(src.query(sql, params), [by, "year"])


VIEWS = {"volume": volume, "yoy": volume, "coverage": coverage, "mix": category_mix, "category_mix": category_mix,
         "outcomes": request_outcomes}
