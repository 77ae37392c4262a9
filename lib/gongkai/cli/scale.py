"""Commands at scale: `gongkai synth`, `gongkai table`, and `gongkai ingest --scheduler/--workers`.

synth: 0, or 2 on bad arguments. table: 0; 2 on a bad view, level or years, or without a dataset; 1 when the
selection names a district/city/province the dataset does not have (the message lists what exists).
ingest on a cluster: 0, or 1 when nothing could be read (the previous dataset stays current).
"""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai import config

FORMATS = ("csv", "xlsx")


def add_arguments(sub) -> None:
    """Register synth and table on the subparsers of the gongkai parser."""
    p = sub.add_parser("synth", help="write a synthetic country (CSV and Parquet forms, optionally report texts)")
    p.add_argument("--offices", type=int, required=True, help="number of offices")
    p.add_argument("--years", required=True, help="data years, e.g. 2011-2025")
    p.add_argument("--out", required=True, help="folder to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--texts", action="store_true", help="also write every report as a text, and truth.csv")
    p.add_argument("--form", choices=("csv", "parquet", "both"), default="both")
    p.add_argument("--offices-per-district", type=int, default=25)
    p.add_argument("--districts-per-city", type=int, default=8)

    p = sub.add_parser("table", help="print or write a comparison table at any level (DuckDB over either form)")
    p.add_argument("view", choices=("volume", "yoy", "mix", "outcomes", "coverage"))
    p.add_argument("--data", help="dataset folder (default: the project's data/)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--district")
    where.add_argument("--city")
    where.add_argument("--province")
    p.add_argument("--by", choices=("office", "district", "city", "province", "country"),
                   help="rows per ... (default: office for a district, district for a city or province, "
                        "province for the country)")
    p.add_argument("--years", help="e.g. 2015-2020 or 2015,2017 (default: every year with a report)")
    p.add_argument("--format", choices=FORMATS, default="csv")
    p.add_argument("--out", help="file to write (default: CSV on stdout; xlsx needs --out)")


def add_cluster_arguments(parser) -> None:
    parser.add_argument("--scheduler", metavar="ADDRESS", help="ingest on a Dask cluster (tcp://host:8786) into the "
                        "Parquet form")
    parser.add_argument("--workers", metavar="N", help="ingest on a local Dask cluster of N worker processes")


def parse_years(text: str | None) -> list[int] | None:
    if not text or text == "all":
        return None
    years: list[int] = []
    for piece in text.split(","):
        piece = piece.strip()
        if "-" in piece:
            a, b = (int(x) for x in piece.split("-", 1))
            if b < a:
                raise ValueError(f"empty year range {piece}")
            years += list(range(a, b + 1))
        elif piece:
            years.append(int(piece))
    return sorted(set(years))


def synth_command(args) -> int:
    from gongkai.synth import generate
    try:
        years = parse_years(args.years)
    except ValueError as exc:
        print(f"gongkai synth: bad --years: {exc}", file=sys.stderr)
        return 2
    if not years or args.offices < 1:
        print("gongkai synth: need --offices >= 1 and a year range", file=sys.stderr)
        return 2
    summary = generate(args.out, args.offices, years, seed=args.seed, texts=args.texts, form=args.form,
                       offices_per_district=args.offices_per_district, districts_per_city=args.districts_per_city)
    print(f"wrote {summary.offices} offices in {summary.districts} districts of {summary.provinces} provinces, "
          f"{summary.reports} reports, {summary.facts} facts"
          + (f", {summary.texts} texts" if args.texts else "") + f" to {summary.out}")
    return 0


def table_command(args) -> int:
    from gongkai import views_sql
    data_dir = Path(args.data or config.DATA_DIR)
    try:
        years = parse_years(args.years)
    except ValueError as exc:
        print(f"gongkai table: bad --years: {exc}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and not args.out:
        print("gongkai table: --format xlsx needs --out FILE", file=sys.stderr)
        return 2
    by = args.by or ("office" if args.district else "district" if (args.city or args.province) else "province")
    try:
        src = views_sql.Source(data_dir)
    except Exception as exc:  # no dataset, unreadable files
        print(f"gongkai table: no dataset in {data_dir}: {exc}", file=sys.stderr)
        return 2
    with src:
        for level, value in (("district", args.district), ("city", args.city), ("province", args.province)):
            if value:
                known = src.query(f"SELECT DISTINCT {level} FROM places WHERE {level} <> '' ORDER BY 1")[level].tolist()
                if value not in known:
                    print(f"gongkai table: unknown {level} {value!r} ({level}s: {', '.join(known[:40])}"
                          f"{' …' if len(known) > 40 else ''})", file=sys.stderr)
                    return 1
        frame = views_sql.VIEWS[args.view](src, district=args.district, city=args.city, province=args.province,
                                           years=years, by=by)
    if args.format == "xlsx":
        frame.to_excel(args.out, index=False, sheet_name=args.view)
    elif args.out:
        frame.to_csv(args.out, index=False, lineterminator="\n")
    else:
        try:
            frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        except BrokenPipeError:   # `| head`
            sys.stderr.close()
            return 0
    if args.out:
        print(f"wrote {len(frame)} rows to {args.out}", file=sys.stderr)
    return 0


def ingest_command(args) -> int:
    """`gongkai ingest --scheduler ADDRESS | --workers N`: ingest on Dask into the Parquet form."""
    from gongkai.cli.data import summary_lines
    from gongkai.distributed_ingest import distributed_ingest, worker_count
    from gongkai.errors import GongkaiError
    try:
        workers = worker_count(args.workers)
        summary = distributed_ingest(args.dirs or [], args.data, scheduler=args.scheduler, workers=workers,
                                     force=args.force)
    except (GongkaiError, ValueError) as exc:
        print(f"gongkai ingest: {exc}", file=sys.stderr)
        return 1
    lines = summary_lines(summary)
    lines[0] = lines[0].replace(" into ", " into the Parquet form of ", 1)
    print("\n".join(lines))
    return 0

