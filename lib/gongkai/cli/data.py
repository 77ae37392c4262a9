"""Commands on the dataset: `gongkai ingest`, `extract`, `check`, `sample` and `offices` — printing and exit codes.

Each command takes the parsed arguments, calls the library (gongkai.ingest, gongkai.extract,
gongkai.dataset, gongkai.sample, gongkai.registry), prints what it returned and gives the exit status:
ingest 0, or 1 when nothing could be read, a folder or file could not be opened (the summary names it; its
reports keep their previous rows), another ingest uses the data folder or the tables cannot be written;
extract 0, or 1 when any file could not be read (the other files' facts are printed all the same); check 0,
1 when any finding is an error, 2 without a readable dataset (missing, corrupt or cut short); sample 0, or 1
without a corpus or a readable report; offices new|add 0, or 1 for a line or id that cannot be added
(nothing is written then). Every message passes through wording.terminal_safe: a file name holding terminal
escape codes is printed escaped.

After an ingest, offices the registry lacks are listed twice: one line each among the counts, then their
offices.csv lines (office_id,name,aliases,district,kind; kind guessed from the name), ready to paste into
data/offices.csv or to register with `gongkai offices add`.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from gongkai import config
from gongkai.dataset import load
from gongkai.errors import GongkaiError, ReadError, RegistryError
from gongkai.extract import extract_file
from gongkai.ingest import IngestSummary, fact_rows, ingest, place_report
from gongkai.model import FACT_COLUMNS
from gongkai.registry import (Office, Registry, add_offices, load_registry, office_line, parse_office_lines,
                              unregistered_in, unregistered_offices)
from gongkai.sample import build_sample
from gongkai.store import write_rows
from gongkai.wording import terminal_safe

DEFAULT_CORPUS = config.PROJECT_ROOT.parent / "shared" / "corpus"


def _error(command: str, message: object) -> None:
    print(terminal_safe(f"gongkai {command}: {message}", keep_newlines=True), file=sys.stderr)


def summary_lines(summary: IngestSummary) -> list[str]:
    """The ingest summary as printed: one line of counts, then one per unreadable folder or file, failed, skipped
    file, new office, note; file names with their terminal control characters escaped."""
    safe = terminal_safe
    out = [f"ingested {summary.reports} report(s) of {summary.files} file(s) into {safe(summary.data_dir)} "
           f"({summary.extracted} extracted, {summary.cached} unchanged): {summary.facts} facts, "
           f"{summary.errors} error and {summary.warnings} warning finding(s)"]
    out += [f"  error: {safe(path)}: {safe(problem)}" for path, problem in summary.unreadable]
    if summary.unreadable:
        out.append(f"  error: {summary.kept} report(s) of what could not be read kept as the previous ingest left "
                   f"them")
    out += [f"  failed: {safe(path)}: {safe(problem)}" for path, problem in summary.failed]
    out += [f"  skipped: {safe(path)}: same content as {safe(first)}" for path, first in summary.duplicates]
    out += [f"  skipped: {safe(path)}: {safe(why)}" for path, why in summary.skipped]
    out += [f"  new office (not in offices.csv): {safe(oid)} {safe(name)} ({safe(district) or 'district unknown'})"
            for oid, name, district in summary.new_offices]
    out += [f"  note: {safe(note)}" for note in summary.notes]
    new = unregistered_offices(summary.new_offices, Registry())
    if new:
        out += [safe(new_offices_header(new, summary.data_dir / "offices.csv")), *(safe(office_line(o)) for o in new)]
    return out


def new_offices_header(offices: list[Office], registry: Path) -> str:
    """The sentence above the offices.csv lines of offices the registry lacks."""
    return (f"{len(offices)} office(s) not in {registry} yet: check these lines (kind is guessed from the name: "
            f"street, town, area_office, district_government or department), then register them with "
            f"`gongkai offices add` or paste them into {registry.name}:")


def ingest_command(args) -> int:
    """`gongkai ingest [DIR...] [--data D] [--force]`: prints the summary; 1 when nothing could be read, a folder
    or file could not be opened, another ingest uses D or the dataset cannot be written."""
    try:
        summary = ingest(args.dirs or [], args.data, force=args.force)
    except GongkaiError as exc:
        _error("ingest", exc)
        return 1
    print("\n".join(summary_lines(summary)))
    return 1 if summary.unreadable else 0


def extract_command(args) -> int:
    """`gongkai extract FILE... [--format csv|json]`: facts of the files on stdout, data/ untouched.

    Columns: facts.csv's plus source (each path exactly as given). Exit 1 when any file could not be read
    (its error on stderr), after printing the other files' facts.
    """
    try:
        registry = load_registry(config.DATA_DIR / "offices.csv")
    except GongkaiError as exc:        # a damaged offices.csv: say which, no traceback
        _error("extract", exc)
        return 1
    columns = FACT_COLUMNS + ["source"]
    rows: list[dict] = []
    status = 0
    for given in args.files:
        try:
            report = extract_file(given)
        except ReadError as exc:
            _error("extract", exc)
            status = 1
            continue
        except Exception as exc:  # report the file and go on with the others
            _error("extract", f"{given}: extraction failed: {type(exc).__name__}: {exc}")
            status = 1
            continue
        place = place_report(report, registry, Path(given))
        rows += [r | {"source": given} for r in fact_rows(report, place)]
    try:
        if getattr(args, "format", "csv") == "json":
            json.dump([{c: r.get(c) for c in columns} for r in rows], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            write_rows(sys.stdout, columns, rows)
        sys.stdout.flush()
    except BrokenPipeError:  # `gongkai extract … | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status


def check_command(args) -> int:
    """`gongkai check [--data D] [--severity S]`: print findings; exit 1 when any has severity error."""
    try:
        ds = load(args.data)
    except GongkaiError as exc:
        _error("check", exc)
        return 2
    findings = ds.findings
    sources = dict(zip(ds.reports["report"], ds.reports["source"]))
    shown = findings[findings["severity"] == args.severity] if getattr(args, "severity", None) else findings
    for f in shown.itertuples(index=False):
        print(terminal_safe(f"{f.severity:7} {f.check:14} {f.report} {sources.get(f.report, '')}: {f.message}"))
    errors = int((findings["severity"] == "error").sum())
    warnings = int((findings["severity"] == "warning").sum())
    print(f"{len(ds.reports)} report(s): {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def offices_new_command(args) -> int:
    """`gongkai offices new [--data D]`: print the offices.csv lines of the offices reports are filed under
    that offices.csv lacks (nothing when every office is registered)."""
    data_dir = Path(args.data or config.DATA_DIR)
    new = unregistered_in(data_dir)
    if new:
        print(new_offices_header(new, data_dir / "offices.csv"))
        print("\n".join(office_line(o) for o in new))
    else:
        print(f"every office of {data_dir / 'reports.csv'} is in {data_dir / 'offices.csv'}")
    return 0


def offices_add_command(args) -> int:
    """`gongkai offices add [ID...] [--from FILE|-] [--data D]`: add offices to data/offices.csv, atomically.

    Without --from: the offices reports are filed under that offices.csv lacks (all, or the ids given).
    With --from: the offices.csv lines of FILE ('-': standard input), e.g. the ones ingest printed, edited.
    Prints the lines added; 1 (and nothing written) for an id that is not unregistered or a line that is wrong.
    """
    data_dir = Path(args.data or config.DATA_DIR)
    registry = data_dir / "offices.csv"
    try:
        if args.from_file:
            text = sys.stdin.read() if args.from_file == "-" else Path(args.from_file).read_text(encoding="utf-8")
            offices = parse_office_lines(text)
            if args.ids:
                offices = [o for o in offices if o.office_id in args.ids]
        else:
            pending = {o.office_id: o for o in unregistered_in(data_dir)}
            unknown = [i for i in args.ids if i not in pending]
            if unknown:
                raise RegistryError(f"not an unregistered office of {data_dir / 'reports.csv'}: {', '.join(unknown)}"
                                    f" (unregistered: {', '.join(pending) or 'none'})")
            offices = [pending[i] for i in args.ids] if args.ids else list(pending.values())
        added = add_offices(registry, offices)
    except (RegistryError, OSError) as exc:
        print(f"gongkai offices add: {exc}", file=sys.stderr)
        return 1
    if not added:
        print(f"nothing to add: {registry} already holds every office given")
        return 0
    print(f"added {len(added)} office(s) to {registry}:")
    print("\n".join(office_line(o) for o in added))
    print("run `gongkai ingest` again to file reports under an id you changed")
    return 0


def offices_command(args) -> int:
    """`gongkai offices new|add`: dispatch to offices_new_command or offices_add_command."""
    return {"new": offices_new_command, "add": offices_add_command}[args.offices_command](args)


def sample_command(args) -> int:
    """`gongkai sample [--corpus C] [--data D] [--force]`: rebuild the sample dataset from the corpus."""
    try:
        done = build_sample(Path(args.corpus or DEFAULT_CORPUS), Path(args.data or config.DATA_DIR),
                            force=args.force)
    except GongkaiError as exc:
        _error("sample", exc)
        return 1
    district = f"{done.district_reports} reports of {done.district}, " if done.district_reports else ""
    print(terminal_safe(f"{district}{done.reports} Beijing reports, {done.offices_added} office(s) added to "
                        f"{done.registry}"))
    print("\n".join(summary_lines(done.ingest)))
    return 0
