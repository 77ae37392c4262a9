"""Render ONE brief: validate its parameters, execute its notebook with papermill, export offline HTML.

render_brief() is a plain top-level function (gongkai.build ships it to process pools and dask workers):
validate_params() -> papermill.execute_notebook() on the registered `gongkai` kernel (looked up only in
this interpreter's prefix) -> error check of the executed notebook -> nbconvert HTMLExporter with the
gongkai_brief template (no code, no prompts, plotly.js — its cartesian bundle — inlined once in <head>,
no external URL) ->
out_dir/<kind>/<slug>.html written atomically. Output is byte-for-byte deterministic for the same inputs
apart from the one <time class="gongkai-build-time"> element.

What a brief's cells display (show, section, headline, table) lives in gongkai.briefpage.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from gongkai import config, plotlyjs
from gongkai.atomic import write_atomically
from gongkai.briefpage import brief_title
from gongkai.errors import BriefError, ParameterError
from gongkai.kernel import block_slow_imports
from gongkai.taxonomy import district_slugs

log = logging.getLogger(__name__)

TEMPLATES_DIR = config.PACKAGE_DIR / "templates"
TEMPLATE_NAME = "gongkai_brief"
NOTEBOOKS = {"district": "district_brief.ipynb", "office": "office_brief.ipynb"}
PARAMETERS = {"district": ("district", "years", "offices", "lang"), "office": ("office_id", "years", "lang")}
REQUIRED = {"district": ("district", "years"), "office": ("office_id", "years")}
LANGS = ("zh", "en")
CELL_TIMEOUT = 600  # seconds one notebook cell may run before the brief fails
KERNEL_START_TIMEOUT = 120  # seconds for the kernel to come up (a busy 2-core machine needs more than 60)
@dataclass
class BriefResult:
    """A rendered brief: where it is, its slug, how long rendering took (s) and its size (bytes)."""
    html_path: Path
    slug: str
    seconds: float
    size: int


def parse_years(years) -> list[int]:
    """'2009-2017', '2015,2016,2017', 2017, or a list of ints/strings -> sorted unique ints (may be empty)."""
    if years is None:
        return []
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        out: set[int] = set()
        for part in filter(None, (p.strip() for p in years.split(","))):
            match = re.fullmatch(r"(\d{4})\s*[-–~]\s*(\d{4})", part)
            if match:
                out.update(range(int(match[1]), int(match[2]) + 1))
            elif re.fullmatch(r"\d{4}", part):
                out.add(int(part))
            else:
                raise ParameterError(f"years: {part!r} is not a year or a range like 2009-2017")
        return sorted(out)
    try:
        return sorted({int(y) for y in years})
    except (TypeError, ValueError):
        raise ParameterError(f"years: {years!r} is not a list of years") from None


def _listing(items) -> str:
    return "、".join(str(i) for i in items) if items else "(none)"


def validate_params(kind: str, params: dict, dataset=None) -> dict:
    """Check a brief's parameters against the dataset; return them normalized.

    kind 'district': district, years, offices (ids; empty = all), lang. kind 'office': office_id, years,
    lang. Returns years as a sorted list of ints and office ids as strings. Raises ParameterError, whose
    message lists what exists, for an unknown kind, parameter, district or office, an empty year range,
    a year the dataset holds no report for, or a range in which the chosen offices have no report at all.
    """
    if kind not in PARAMETERS:
        raise ParameterError(f"unknown brief kind {kind!r}; kinds: {_listing(PARAMETERS)}")
    unknown = sorted(set(params) - set(PARAMETERS[kind]))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {_listing(unknown)} for a {kind} brief; "
                             f"parameters: {_listing(PARAMETERS[kind])}")
    missing = [p for p in REQUIRED[kind] if params.get(p) in (None, "", [])]
    if missing:
        raise ParameterError(f"missing parameter(s) {_listing(missing)} for a {kind} brief")
    if dataset is None:
        from gongkai.dataset import load
        dataset = load()
    lang = params.get("lang") or "zh"
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


def _years_slug(years: list[int]) -> str:
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return "_".join(str(y) for y in years)


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def brief_slug(kind: str, params: dict) -> str:
    """ASCII-safe, deterministic file name stem, e.g. district-xicheng-2009-2017 or office-xicheng-yuetan-2017."""
    years = _years_slug(parse_years(params.get("years")))
    if kind == "district":
        name = str(params["district"])
        stem = district_slugs().get(name) or ("d" + _short_hash(name))
        offices = sorted(str(o) for o in params.get("offices") or [])
        suffix = f"-o{_short_hash(','.join(offices))}" if offices else ""
    else:
        office_id = str(params["office_id"])
        stem = re.sub(r"[^a-z0-9]+", "-", office_id.lower()).strip("-")
        if not office_id.isascii() or not stem:
            stem = "o" + _short_hash(office_id)
        suffix = ""
    lang = "" if (params.get("lang") or "zh") == "zh" else "-" + str(params["lang"])
    return f"{kind}-{stem}-{years}{suffix}{lang}"


def _kernel_manager_class():
    """An AsyncKernelManager that finds kernels only in this interpreter's prefix (sys.prefix/share/jupyter).

    A user-level kernelspec named `gongkai` (~/.local/share/jupyter, JUPYTER_PATH) cannot take over.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ProjectKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return KernelSpecManager(kernel_dirs=[project_kernel_dir()], ensure_native_kernel=False)

    return ProjectKernelManager


def project_kernel_dir() -> str:
    """The only place render_brief looks for the `gongkai` kernelspec."""
    return str(Path(sys.prefix) / "share" / "jupyter" / "kernels")


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
    block_slow_imports()
    from gongkai.dataset import load

    out_dir, data_dir = Path(out_dir), Path(data_dir or config.DATA_DIR).resolve()
    notebook = Path(notebook or config.NOTEBOOKS_DIR / NOTEBOOKS[kind]).resolve()
    dataset = load(data_dir)
    params = validate_params(kind, params, dataset)
    slug = brief_slug(kind, params)
    title = brief_title(kind, params, dataset)
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
                start_timeout=KERNEL_START_TIMEOUT,
                kernel_manager_class=_kernel_manager_class())
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


def brief_command(args) -> int:
    """`gongkai brief district|office ...`: render one brief, print its path; 1 on bad parameters or failure."""
    if args.kind == "district":
        params = dict(district=args.district, years=args.years,
                      offices=[o.strip() for o in (args.offices or "").split(",") if o.strip()], lang=args.lang)
    else:
        params = dict(office_id=args.office_id, years=args.years, lang=args.lang)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        result = render_brief(args.kind, params, Path(args.out or config.OUTPUTS_DIR))
    except ParameterError as error:
        print(f"gongkai brief: {error}", file=sys.stderr)
        return 1
    except BriefError as error:
        print(f"gongkai brief: {error}\n  error: {error.error}\n  executed notebook: {error.notebook}\n"
              f"  cell:\n{error.cell}", file=sys.stderr)
        return 1
    print(result.html_path)
    return 0



def suggest_params(kind: str, dataset) -> dict:
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
