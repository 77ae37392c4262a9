"""The build's records: outputs/manifest.json (machine-readable) and outputs/index.html (for people).

Both list every configured brief with its office, years, build time and status, and are written
atomically (temporary file in the same folder, then os.replace), so a reader or a killed build never
sees half a file. The manifest is also the build's memory: `input_hash` is the hash of the inputs the
HTML on disk was built from, so the next run can skip a brief whose inputs are unchanged.
"""
from __future__ import annotations

import html
import json
import logging
from pathlib import Path

from gongkai.atomic import write_atomically
from gongkai.params import years_label

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
STATUS_LABELS = {"built": "built", "up to date": "up to date", "failed": "FAILED", "out of date": "out of date",
                 "not built": "not built"}


def read_manifest(path: Path) -> dict[str, dict]:
    """Entries of a previous build by brief name; an absent or unreadable manifest means none."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return {entry["name"]: entry for entry in doc.get("briefs", []) if "name" in entry}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("ignoring unreadable manifest %s (%s): every brief will be rebuilt", path, exc)
        return {}


def write_manifest(path: Path, entries: list[dict], run: dict) -> None:
    """Write manifest.json: the run's summary and one entry per configured brief."""
    doc = {"manifest_version": MANIFEST_VERSION, "run": run, "briefs": entries}
    write_atomically(path, json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


def _when(iso: str | None) -> str:
    """'2026-11-22T02:16:57+00:00' -> '2026-11-22 02:16' (the manifest keeps the full time)."""
    return (iso or "")[:16].replace("T", " ")


def _office(entry: dict) -> str:
    if entry.get("office"):
        return entry["office"]
    return f"{entry['offices']} offices" if entry.get("offices") else ""


def _row(entry: dict) -> str:
    e = lambda value: html.escape("" if value is None else str(value))       # noqa: E731
    status = entry.get("status", "not built")
    link = e(entry["name"])
    if entry.get("built_at") and entry.get("html"):
        link = f'<a href="{e(entry["html"])}">{e(entry.get("title") or entry["name"])}</a>'
    problem = ""
    if status == "failed":
        where = f" (cell {e(entry.get('cell'))})" if entry.get("cell") is not None else ""
        kept = f'<br>executed notebook: <a href="{e(entry["failed_notebook"])}">{e(entry["failed_notebook"])}</a>' \
            if entry.get("failed_notebook") else ""
        older = "<br>the brief shown is the previous good build" if entry.get("built_at") else ""
        problem = f'<div class="err">{e(entry.get("error"))}{where}{kept}{older}</div>'
    size = f"{entry['size'] / 1e6:.1f} MB" if entry.get("size") else ""
    seconds = f"{entry['seconds']:.1f} s" if entry.get("seconds") is not None else ""
    return ("<tr class=\"{cls}\"><td>{link}{problem}</td><td>{kind}</td><td>{district}</td><td>{office}</td>"
            "<td>{years}</td><td>{lang}</td><td>{built}</td><td>{seconds}</td><td>{size}</td>"
            "<td>{status}</td></tr>").format(
        cls=e(status.replace(" ", "-")), link=link, problem=problem, kind=e(entry.get("kind")),
        district=e(entry.get("district")), office=e(_office(entry)),
        years=e(years_label(entry.get("years") or [])), lang=e(entry.get("lang")),
        built=e(_when(entry.get("built_at"))), seconds=seconds, size=size, status=e(STATUS_LABELS.get(status, status)))


def render_index(entries: list[dict], run: dict) -> str:
    """The offline index page (no scripts, no external resources; every text escaped)."""
    counts = {s: sum(1 for x in entries if x.get("status") == s) for s in STATUS_LABELS}
    summary = ", ".join(f"{n} {STATUS_LABELS[s]}" for s, n in counts.items() if n)
    rows = "\n".join(_row(entry) for entry in entries)
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>gongkai briefs</title>
<style>
body{{font-family:"Noto Sans CJK SC",sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse}} th,td{{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left;vertical-align:top}}
tr.failed td{{background:#fde8e8}} .err{{color:#a00;font-size:.85em;white-space:pre-wrap}}
</style></head><body>
<h1>Briefs 简报</h1>
<p>{len(entries)} briefs: {html.escape(summary)}. Last build {html.escape(_when(run.get("finished")))}
(gongkai {html.escape(str(run.get("gongkai", "")))}, config {html.escape(str(run.get("config", "")))}).</p>
<table>
<thead><tr><th>brief</th><th>kind</th><th>district</th><th>office</th><th>years</th><th>lang</th>
<th>built at</th><th>build time</th><th>size</th><th>status</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""


def write_index(path: Path, entries: list[dict], run: dict) -> None:
    """Write index.html atomically."""
    write_atomically(path, render_index(entries, run).encode("utf-8"))
