"""The `gongkai` console script: parses arguments and dispatches; each command lives in cli/data.py
(ingest, extract, check, sample, offices) or cli/briefs.py (brief, build), which own printing and exit codes."""
from __future__ import annotations

import argparse
import logging
import sys

from gongkai.cli import briefs, data, scale
from gongkai.params import DEFAULT_LANG, KINDS, LANGS
from gongkai.wording import terminal_safe


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gongkai", description="Government information-disclosure annual reports: "
                                 "ingest, check, compare, brief.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read every report under DIR into data/facts.csv, reports.csv, findings.csv")
    p.add_argument("dirs", nargs="*", metavar="DIR", help="folders (or files) of reports; default data/reports")
    p.add_argument("--data", help="dataset folder to write (default: the project's data/)")
    p.add_argument("--force", action="store_true", help="re-extract files whose content hash is unchanged")
    scale.add_cluster_arguments(p)

    p = sub.add_parser("extract", help="print the facts of the given files (facts.csv columns plus source)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("csv", "json"), default="csv")

    p = sub.add_parser("check", help="print the findings of the dataset; exit 1 if any has severity error")
    p.add_argument("--data", help="dataset folder (default: the project's data/)")
    p.add_argument("--severity", choices=("error", "warning"), help="only this severity")

    p = sub.add_parser("sample", help="rebuild the sample dataset in data/ from the corpus: its complete district "
                       "and the Beijing reports")
    p.add_argument("--corpus", help="the real-report corpus (default: ../shared/corpus beside the project)")
    p.add_argument("--data", help="dataset folder to write (default: the project's data/)")
    p.add_argument("--force", action="store_true", help="re-extract every file (ignore the cache)")

    p = sub.add_parser("offices", help="offices the registry (data/offices.csv) lacks: list them, add them")
    offices = p.add_subparsers(dest="offices_command", required=True)
    q = offices.add_parser("new", help="print the offices.csv lines of offices reports are filed under that "
                           "offices.csv lacks")
    q.add_argument("--data", help="dataset folder (default: the project's data/)")
    q = offices.add_parser("add", help="add offices to data/offices.csv (atomically): those `offices new` lists, "
                           "or the lines of --from")
    q.add_argument("ids", nargs="*", metavar="OFFICE_ID", help="only these offices (default: all)")
    q.add_argument("--from", dest="from_file", metavar="FILE", help="offices.csv lines to add ('-': stdin)")
    q.add_argument("--data", help="dataset folder (default: the project's data/)")

    p = sub.add_parser("brief", help="render one brief to outputs/<kind>/<slug>.html")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--district")
    p.add_argument("--city", help="city or province (city brief)")
    p.add_argument("--office-id")
    p.add_argument("--years", default="all", help="2009-2017, 2015,2016,2017, 'last 5 years' or all (default: "
                   "every year the brief's offices have a report)")
    p.add_argument("--offices", help="comma-separated office ids (district brief; default all)")
    p.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG)
    p.add_argument("--data", help="dataset folder to read (default: the project's data/, or $GONGKAI_DATA)")
    p.add_argument("--out", help="output folder (default outputs/)")

    p = sub.add_parser("build", help="build every brief of briefs.yaml: incremental, parallel")
    p.add_argument("--config", default=None, help="config file (default: briefs.yaml at the project root)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel renders (default: number of cores)")
    p.add_argument("--force", action="store_true", help="rebuild even when inputs are unchanged")
    p.add_argument("--only", metavar="PATTERN", help="only briefs whose name matches this glob")
    p.add_argument("--scheduler", metavar="ADDRESS", help="dask.distributed scheduler address (tcp://host:8786)")
    scale.add_arguments(sub)
    return ap


COMMANDS = {
    "ingest": data.ingest_command,
    "extract": data.extract_command,
    "check": data.check_command,
    "sample": data.sample_command,
    "offices": data.offices_command,
    "brief": briefs.brief_command,
    "build": briefs.build_command,
    "synth": scale.synth_command,
    "table": scale.table_command,
}


class _TerminalSafeFormatter(logging.Formatter):
    """Log lines with terminal control characters escaped (a logged file name cannot drive the terminal)."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record), keep_newlines=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the process exit status."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_TerminalSafeFormatter("%(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    args = _parser().parse_args(argv)
    if args.command == "ingest" and (args.scheduler or args.workers):   # on Dask, into the Parquet form
        return scale.ingest_command(args) or 0
    return COMMANDS[args.command](args) or 0
