"""Render ONE brief: validate its parameters, execute its notebook with papermill, export offline HTML.

render_brief() is a plain top-level function (gongkai.build ships it to process pools and dask workers):
validate_params() -> papermill.execute_notebook() on the registered `gongkai` kernel (gongkai.kernel:
looked up only in this interpreter's prefix) -> error check of the executed notebook -> nbconvert
HTMLExporter with the gongkai_brief template (no code, no prompts, plotly.js — its cartesian bundle —
inlined once in <head>, no external URL) -> out_dir/<kind>/<slug>.html written atomically. Output is
byte-for-byte deterministic for the same inputs apart from the one <time class="gongkai-build-time">
element. It returns a BriefResult or raises ParameterError / BriefError (a kernel that dies mid-cell is
"kernel died in cell N", with the cells run so far kept); it logs, never prints.

What a brief is (kinds, parameters, years, slug) lives in gongkai.params; what its cells display
(show, section, headline, table) in gongkai.briefpage.
"""
from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import gongkai
from gongkai import config, kernel, plotlyjs
from gongkai.atomic import write_atomically
from gongkai.briefpage import brief_title
from gongkai.errors import BriefError, ParameterError
from gongkai.params import (DEFAULT_LANG, KINDS, LANGS, PARAMETERS, REQUIRED, best_covered_years, brief_slug,
                            closest_names, default_notebook, did_you_mean, is_year_spec_word, only_district_wide,
                            parse_year_spec, parse_years)

if TYPE_CHECKING:
    from gongkai.dataset import Dataset

log = logging.getLogger(__name__)

TEMPLATES_DIR = config.PACKAGE_DIR / "templates"
TEMPLATE_NAME = "gongkai_brief"
CELL_TIMEOUT = 600  # seconds one notebook cell may run before the brief fails


@dataclass
class BriefResult:
    """A rendered brief: where it is, its slug, how long rendering took (s) and its size (bytes)."""
    html_path: Path
    slug: str
    seconds: float
    size: int


def _listing(items: Iterable) -> str:
    return "、".join(str(i) for i in items) if items else "(none)"


def office_table(dataset: Dataset):
    """Every office of the registry or of the reports: office_id, name, district, kind, reports (how many),
    district_wide (its report covers the whole district: office_kinds.csv). Unregistered offices have kind ''."""
    import pandas as pd

    from gongkai import taxonomy
    registry = dataset.offices[["office_id", "name", "district", "kind"]].astype(str)
    reports = dataset.reports[dataset.reports.office_id.astype(str) != ""]
    seen = (reports[["office_id", "office", "district"]].astype(str).rename(columns={"office": "name"})
            .drop_duplicates("office_id"))
    seen = seen[~seen.office_id.isin(registry.office_id)].assign(kind="")
    table = pd.concat([registry, seen], ignore_index=True)
    counts = reports.groupby(reports.office_id.astype(str)).size()
    return table.assign(reports=table.office_id.map(counts).fillna(0).astype(int),
                        district_wide=table.kind.isin(taxonomy.district_wide_kinds()))


def _named(rows) -> list[str]:
    return [f"{i} ({n})" for i, n in zip(rows.office_id, rows.name)]


def _unknown_district(district: str, table) -> ParameterError:
    from gongkai.taxonomy import district_slugs
    with_reports = sorted(set(table.loc[table.reports > 0, "district"]) - {""})
    slugs = {slug: name for name, slug in district_slugs().items()}
    hint = did_you_mean(closest_names(district, with_reports, slugs))
    return ParameterError(f"unknown district {district!r}{hint} (districts with reports: {_listing(with_reports)})")


def _unknown_office(office_id: str, table) -> ParameterError:
    with_reports = table[table.reports > 0]
    names = dict(zip(with_reports.name, with_reports.office_id))
    names.update({i.split(".", 1)[-1]: i for i in with_reports.office_id})
    labels = dict(zip(with_reports.office_id, _named(with_reports)))
    hint = did_you_mean([labels[i] for i in closest_names(office_id, with_reports.office_id, names)])
    return ParameterError(f"unknown office_id {office_id!r}{hint} (offices with reports: "
                          f"{_listing(_named(with_reports))})")


def district_offices(dataset: Dataset, district: str, table=None) -> list[str]:
    """The offices a district brief of `district` shows by default: those under it (streets, towns, area
    offices, departments; not the district government, whose report covers the whole district).

    Raises ParameterError, in one sentence, for an unknown district (suggesting the closest names that have
    reports), a district without any report, and a district whose only reports are its government's own
    (pointing at that office's brief).
    """
    table = office_table(dataset) if table is None else table
    in_district = table[table.district == district]
    if in_district.empty:
        raise _unknown_district(district, table)
    if not (in_district.reports > 0).any():
        raise ParameterError(f"{district} has no report in the dataset yet (its offices are registered: "
                             f"ingest their reports first)")
    under = in_district[~in_district.district_wide]
    if not (under.reports > 0).any():
        wide = in_district[in_district.reports > 0]
        raise ParameterError(only_district_wide(district, list(zip(wide.office_id, wide.name)),
                                                "gongkai brief office --office-id {id} --years all"))
    return list(under.office_id)


def _years(spec: object, chosen: list[str], district: str, dataset: Dataset) -> list[int]:
    """The years a brief shows: spec as parse_years reads it, or 'all' (the years the chosen offices have a
    report) or 'last N years' (counted back from the district's latest year with a report)."""
    reports = dataset.reports
    with_data = sorted(set(reports.loc[reports.office_id.isin(chosen), "year"].dropna().astype(int)))
    if is_year_spec_word(spec):
        district_years = sorted(set(reports.loc[reports.district == district, "year"].dropna().astype(int)))
        requested = parse_year_spec(str(spec).strip(), district_years)
        years = with_data if requested is None else requested
        if not years:
            raise ParameterError(f"years {spec!r}: no report of {_listing(chosen)} in the dataset" if requested is None
                                 else f"years {spec!r}: no report of {district} to count back from")
    else:
        years = parse_years(spec)
        if not years:
            raise ParameterError(f"years {spec!r} is an empty year range")
    # A year the dataset knows nothing about is a wrong parameter; a year inside the range for which some
    # of the chosen offices have no report is a gap the brief shows (missing is not zero).
    known_years = set(reports.year.dropna().astype(int))
    unknown_years = [y for y in years if y not in known_years]
    if unknown_years or not set(years) & set(with_data):
        empty = unknown_years or years
        raise ParameterError(f"no data for year(s) {_listing(empty)}; years with data: {_listing(with_data)}")
    return years


def validate_params(kind: str, params: dict, dataset: Dataset | None = None) -> dict:
    """Check a brief's parameters against the dataset; return them normalized.

    kind 'district': district, years, offices (ids; empty = the offices under the district), lang. kind
    'office': office_id, years, lang. years may be a range or list (parse_years), 'all' or 'last N years'.
    Returns years as a sorted list of ints and office ids as strings. Raises ParameterError, whose message
    says in one sentence what is wrong and lists what exists (suggesting the closest names with reports),
    for an unknown kind, parameter, district or office, a district whose only report is its government's
    own, an office without a report, an empty year range, a year the dataset holds no report for, or a
    range in which the chosen offices have no report at all.
    """
    if kind not in KINDS:
        raise ParameterError(f"unknown brief kind {kind!r}; kinds: {_listing(KINDS)}")
    unknown = sorted(set(params) - set(PARAMETERS[kind]))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {_listing(unknown)} for a {kind} brief; "
                             f"parameters: {_listing(PARAMETERS[kind])}")
    missing = [p for p in REQUIRED[kind] if params.get(p) in (None, "", [])]
    if missing:
        raise ParameterError(f"missing parameter(s) {_listing(missing)} for a {kind} brief")
    if dataset is None:
        dataset = gongkai.load()
    lang = params.get("lang") or DEFAULT_LANG
    if lang not in LANGS:
        raise ParameterError(f"lang {lang!r} unknown; languages: {_listing(LANGS)}")
    if not is_year_spec_word(params["years"]):
        parse_years(params["years"])          # a malformed year says so before anything else
    table = office_table(dataset)
    if kind == "district":
        district = str(params["district"])
        offices = [str(o) for o in (params.get("offices") or [])]
        if offices:
            in_district = table[table.district == district]
            if in_district.empty:
                raise _unknown_district(district, table)
            strangers = [o for o in offices if o not in set(in_district.office_id)]
            if strangers:
                raise ParameterError(f"unknown office(s) {_listing(strangers)} in {district}; offices: "
                                     f"{_listing(_named(in_district))}")
            chosen = offices
        else:
            chosen = district_offices(dataset, district, table)
        years = _years(params["years"], chosen, district, dataset)
        return dict(district=district, years=years, offices=offices, lang=lang)
    office_id = str(params["office_id"])
    row = table[table.office_id == office_id]
    if row.empty:
        raise _unknown_office(office_id, table)
    if int(row.reports.iloc[0]) == 0:
        raise ParameterError(f"office {office_id} ({row.name.iloc[0]}) has no report in the dataset "
                             "(ingest its reports first)")
    years = _years(params["years"], [office_id], str(row.district.iloc[0]), dataset)
    return dict(office_id=office_id, years=years, lang=lang)


def explore_selection(dataset: Dataset, district: str) -> dict:
    """What the explore notebook shows of a district: dict(district, offices, years) for the views.

    offices are those under the district (or, when only its government reported, that government, so the
    notebook still has something to show); years are every year they have a report. Raises ParameterError
    (one sentence, closest names with reports) for an unknown district or one without reports.
    """
    table = office_table(dataset)
    try:
        offices = district_offices(dataset, district, table)
    except ParameterError:
        in_district = table[(table.district == district) & (table.reports > 0)]
        if in_district.empty:
            raise
        offices = list(in_district.office_id)
    reports = dataset.reports
    years = sorted(set(reports.loc[reports.office_id.isin(offices), "year"].dropna().astype(int)))
    return dict(district=district, offices=offices, years=years)


def _failing_cell(nb) -> tuple[str | None, str | None]:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return cell.source, f"{output.get('ename')}: {output.get('evalue')}"
    return None, None


def _clean_for_export(nb) -> None:
    """Keep outputs that belong in the brief: drop empty cells and stderr, give cells fixed ids."""
    keep = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
            if not cell.outputs:
                continue
        elif cell.cell_type != "markdown":
            continue
        keep.append(cell)
    for number, cell in enumerate(keep):
        cell.id = f"cell-{number}"
    nb.cells = keep


def export_html(nb, title: str, lang: str = "zh") -> str:
    """The executed notebook as one offline HTML page (gongkai_brief template, plotly.js inlined once)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"metadata": {"name": title},
                 "gongkai": {"plotlyjs": plotlyjs.bundle(), "title": title, "lang": lang,
                             "built": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def render_brief(kind: str, params: dict, out_dir: Path, *, data_dir: Path | None = None,
                 notebook: Path | None = None, keep_failed: Path | None = None) -> BriefResult:
    """Validate, execute and export one brief to out_dir/<kind>/<slug>.html; return a BriefResult.

    Raises ParameterError for bad parameters (nothing executed) and BriefError (cell, error, notebook)
    when the notebook fails; the executed notebook is then kept in keep_failed (default
    out_dir/_failed/) and any previous HTML of the brief is left untouched.
    """
    started = time.perf_counter()
    kernel.block_slow_imports()
    out_dir, data_dir = Path(out_dir), Path(data_dir or config.DATA_DIR).resolve()
    if kind == "city":       # compares districts lazily (gongkai.citypage): no full load
        from gongkai import citypage
        params = citypage.validate(params, data_dir)
        title = citypage.title(params)
    else:
        dataset = gongkai.load(data_dir)
        params = validate_params(kind, params, dataset)
        title = brief_title(kind, params, dataset)
    notebook = Path(notebook or default_notebook(kind)).resolve()
    slug = brief_slug(kind, params)
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with tempfile.TemporaryDirectory(prefix="gongkai-brief-") as tmp:
        executed = Path(tmp) / f"{slug}.ipynb"
        failure: tuple[str, str | None, str | None] | None = None
        cause: BaseException | None = None
        nb = None
        running: list = []          # the notebook being executed: still at hand if the kernel dies mid-cell
        try:
            nb = papermill.execute_notebook(
                str(notebook), str(executed), parameters=dict(params, data_dir=str(data_dir)),
                kernel_name=config.KERNEL_NAME, cwd=str(notebook.parent), progress_bar=False,
                log_output=False, request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT,
                start_timeout=kernel.START_TIMEOUT, kernel_manager_class=kernel.kernel_manager_class(),
                engine_name=kernel.papermill_engine(), keep_notebook=running)
        except PapermillExecutionError as error:
            failure, cause = (f"{kind} brief {slug}: cell {error.exec_count} failed", error.source,
                              f"{error.ename}: {error.evalue}"), error
        except Exception as error:  # kernel missing or dead, unreadable notebook...
            died = kernel.died_in_cell(error, running[0] if running else None)
            if died:                # a notebook failure (killed, out of memory), not a kernel that failed to start
                number, cell = died
                nb = running[0]
                failure = (f"{kind} brief {slug}: kernel died in cell {number}", cell.source,
                           f"kernel died in cell {number} (killed, out of memory or crashed)")
            else:
                failure = (f"{kind} brief {slug}: {type(error).__name__}: {error}", None, None)
            cause = error
        if failure is None:
            cell, problem = _failing_cell(nb)
            if problem:
                failure = (f"{kind} brief {slug}: a cell recorded an error", cell, problem)
        if failure is not None:
            kept = None
            if executed.exists() or nb is not None:
                kept = Path(keep_failed or out_dir / "_failed") / executed.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                if nb is not None:
                    nbformat.write(nb, kept)
                else:
                    os.replace(executed, kept)
            raise BriefError(failure[0], cell=failure[1], error=failure[2], notebook=kept) from cause
    _clean_for_export(nb)
    html_text = export_html(nb, title, params["lang"])
    html_path = out_dir / kind / f"{slug}.html"
    write_atomically(html_path, html_text)
    seconds = time.perf_counter() - started
    log.info("%s: %.1f s, %d bytes", html_path, seconds, html_path.stat().st_size)
    return BriefResult(html_path=html_path, slug=slug, seconds=seconds, size=html_path.stat().st_size)


def suggest_params(kind: str, dataset: Dataset) -> dict:
    """Parameters of a sensible brief for this dataset. Used by tests, the benchmark and newcomers.

    district: the district with the most reports from offices under it (its government's own not counted),
    over its best-covered years (params.best_covered_years); office: the office with the most reports, over
    its longest run of consecutive years with data.
    """
    table = office_table(dataset)
    reports = dataset.reports[dataset.reports.office_id.astype(str) != ""]
    if kind == "district":
        under = reports[reports.office_id.isin(table.loc[~table.district_wide, "office_id"])]
        best = under.groupby("district").size().sort_values(ascending=False, kind="stable").index[0]
        per_year = under[under.district == best].dropna(subset=["year"]).groupby("year").office_id.nunique()
        years = best_covered_years({int(y): int(n) for y, n in per_year.items()})
        return dict(district=str(best), years=years, offices=[], lang="zh")
    best = reports.groupby("office_id").size().sort_values(ascending=False, kind="stable").index[0]
    years = sorted(set(reports.loc[reports.office_id == best, "year"].dropna().astype(int)))
    runs = [[years[0]]]
    for year in years[1:]:
        if year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return dict(office_id=str(best), years=max(runs, key=len), lang="zh")
