"""Commands on briefs: `gongkai brief` (render one) and `gongkai build` (many), with their printing and exit codes.

gongkai brief: prints the HTML path; exit 1 on bad parameters, a missing or corrupt dataset or a failing
notebook (the message, the error, the kept notebook and the failing cell on stderr).
gongkai build: prints a summary (counts, built paths, failures with their cell and kept notebook);
exit 0 all built or up to date, 1 a brief failed or another build runs, 2 a bad config or -j or a missing
or corrupt dataset, 128+n after signal n. Messages pass through wording.terminal_safe.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from gongkai import config
from gongkai.briefs import render_brief
from gongkai.build import BuildConfig, BuildReport, load_config, run_build, short_cell
from gongkai.errors import BriefError, ConfigError, GongkaiError
from gongkai.wording import terminal_safe

SUMMARY_BUILT = 50           # built briefs listed by name in the summary


def brief_command(args: argparse.Namespace) -> int:
    """`gongkai brief district|office ...`: render one brief, print its path; 1 on bad parameters or failure."""
    if args.kind == "district":
        params = dict(district=args.district, years=args.years,
                      offices=[o.strip() for o in (args.offices or "").split(",") if o.strip()], lang=args.lang)
    elif args.kind == "city":
        params = dict(city=args.city, years=args.years, lang=args.lang)
    else:
        params = dict(office_id=args.office_id, years=args.years, lang=args.lang)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        result = render_brief(args.kind, params, Path(args.out or config.OUTPUTS_DIR),
                              data_dir=Path(args.data) if getattr(args, "data", None) else None)
    except BriefError as error:
        print(terminal_safe(f"gongkai brief: {error}\n  error: {error.error}\n  executed notebook: {error.notebook}\n"
                            f"  cell:\n{error.cell}", keep_newlines=True), file=sys.stderr)
        return 1
    except GongkaiError as error:      # a bad parameter, no dataset, a corrupt one
        print(terminal_safe(f"gongkai brief: {error}", keep_newlines=True), file=sys.stderr)
        return 1
    print(terminal_safe(result.html_path))
    return 0


def _print_summary(report: BuildReport, build_config: BuildConfig) -> None:
    out = build_config.output_dir
    print(f"{len(report.built)} built, {len(report.up_to_date)} up to date, {len(report.failed)} failed"
          f" -> {out / 'index.html'}")
    for name in report.built[:SUMMARY_BUILT]:
        print(f"  built  {out / name}.html")
    if len(report.built) > SUMMARY_BUILT:
        print(f"  ... and {len(report.built) - SUMMARY_BUILT} more (see {out / 'manifest.json'})")
    for outcome in report.failed:
        where = f" in cell {short_cell(outcome.cell)}" if outcome.cell is not None else ""
        print(terminal_safe(f"  FAILED {outcome.name}{where}: {outcome.error}"))
        if outcome.failed_notebook:
            print(f"         executed notebook: {outcome.failed_notebook}")


def build_command(args: argparse.Namespace) -> int:
    """`gongkai build`: returns 0 (all good), 1 (a brief failed), 2 (bad config or dataset), 128+n (signal n)."""
    try:
        build_config = load_config(Path(args.config) if args.config else None)
    except GongkaiError as exc:        # a bad config, no dataset or a corrupt one
        print(terminal_safe(f"gongkai build: {exc}", keep_newlines=True), file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("gongkai build: -j must be at least 1", file=sys.stderr)
        return 2
    try:
        report = run_build(build_config, jobs=args.jobs, force=args.force, only=args.only, scheduler=args.scheduler)
    except ConfigError as exc:
        print(terminal_safe(f"gongkai build: {exc}", keep_newlines=True), file=sys.stderr)
        return 2
    except GongkaiError as exc:
        print(terminal_safe(f"gongkai build: {exc}", keep_newlines=True), file=sys.stderr)
        return 1
    _print_summary(report, build_config)
    return report.status
