"""Render ONE brief: validate its parameters, execute its notebook with papermill, export offline HTML.

render_brief() is a plain top-level function (gongkai.build ships it to process pools and dask workers):
validate_params() -> papermill.execute_notebook() on the registered `gongkai` kernel (gongkai.kernel:
looked up only in this interpreter's prefix) -> error check of the executed notebook -> nbconvert
HTMLExporter with the gongkai_brief template (no code, no prompts, plotly.js — its cartesian bundle —
inlined once in <head>, no external URL) -> out_dir/<kind>/<slug>.html written atomically. Output is
byte-for-byte deterministic for the same inputs apart from the one <time class="gongkai-build-time">
element. It returns a BriefResult or raises ParameterError / BriefError; it logs, never prints.

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
from gongkai.params import DEFAULT_LANG, KINDS, LANGS, PARAMETERS, REQUIRED, brief_slug, default_notebook, parse_years

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


def validate_params(kind: str, params: dict, dataset: Dataset | None = None) -> dict:
    """Check a brief's parameters against the dataset; return them normalized.

    kind 'district': district, years, offices (ids; empty = all), lang. kind 'office': office_id, years,
    lang. Returns years as a sorted list of ints and office ids as strings. Raises ParameterError, whose
    message lists what exists, for an unknown kind, parameter, district or office, an empty year range,
    a year the dataset holds no report for, or a range in which the chosen offices have no report at all.
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
    years = parse_years(params["years"])
    if not years:
        raise ParameterError(f"years {params['years']!r} is an empty year range")
    reports, registry = dataset.reports, dataset.offices
    if kind == "district":
        district = str(params["district"])
        districts = sorted(set(registry.district.dropna()) | set(reports.district.dropna()))
        if district not in districts:
            raise ParameterError(f"unknown district {district!r}; districts: {_listing(districts)}")
        in_district = registry[registry.district == district]
        offices = [str(o) for o in (params.get("offices") or [])]
        strangers = [o for o in offices if o not in set(in_district.office_id)]
        if strangers:
            known = [f"{i} ({n})" for i, n in zip(in_district.office_id, in_district.name)]
            raise ParameterError(f"unknown office(s) {_listing(strangers)} in {district}; offices: {_listing(known)}")
        chosen = offices or list(in_district.office_id)
        normalized = dict(district=district, years=years, offices=offices, lang=lang)
    else:
        office_id = str(params["office_id"])
        if office_id not in set(registry.office_id):
            known = [f"{i} ({n})" for i, n in zip(registry.office_id, registry.name)]
            raise ParameterError(f"unknown office_id {office_id!r}; offices: {_listing(known)}")
        chosen = [office_id]
        normalized = dict(office_id=office_id, years=years, lang=lang)
    # A year the dataset knows nothing about is a wrong parameter; a year inside the range for which some
    # of the chosen offices have no report is a gap the brief shows (missing is not zero).
    with_data = sorted(set(reports.loc[reports.office_id.isin(chosen), "year"].dropna().astype(int)))
    known_years = set(reports.year.dropna().astype(int))
    unknown_years = [y for y in years if y not in known_years]
    if unknown_years or not set(years) & set(with_data):
        empty = unknown_years or years
        raise ParameterError(f"no data for year(s) {_listing(empty)}; years with data: {_listing(with_data)}")
    return normalized


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
        try:
            nb = papermill.execute_notebook(
                str(notebook), str(executed), parameters=dict(params, data_dir=str(data_dir)),
                kernel_name=config.KERNEL_NAME, cwd=str(notebook.parent), progress_bar=False,
                log_output=False, request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT,
                start_timeout=kernel.START_TIMEOUT, kernel_manager_class=kernel.kernel_manager_class())
        except PapermillExecutionError as error:
            failure, cause = (f"{kind} brief {slug}: cell {error.exec_count} failed", error.source,
                              f"{error.ename}: {error.evalue}"), error
        except Exception as error:  # kernel missing or dead, unreadable notebook...
            failure, cause = (f"{kind} brief {slug}: {type(error).__name__}: {error}", None, None), error
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
    """Parameters of a sensible brief for this dataset: the district (or office) with the most reports,
    over its longest run of consecutive years with data. Used by tests, the benchmark and newcomers."""
    reports = dataset.reports[dataset.reports.office_id.astype(str) != ""]
    key = "district" if kind == "district" else "office_id"
    best = reports.groupby(key).size().sort_values(ascending=False, kind="stable").index[0]
    years = sorted(set(reports.loc[reports[key] == best, "year"].dropna().astype(int)))
    runs, run = [], [years[0]]
    for year in years[1:]:
        run = run + [year] if year == run[-1] + 1 else [year]
        runs.append(run)
    longest = max(runs or [run], key=len)
    if kind == "district":
        return dict(district=str(best), years=longest, offices=[], lang="zh")
    return dict(office_id=str(best), years=longest, lang="zh")
