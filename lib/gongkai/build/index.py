"""The build's records: outputs/manifest.json (machine-readable), outputs/index.html (for people), and the
stable names of the current briefs (outputs/latest/<kind>/<name>.html).

The manifest and the index list every configured brief with its office, years, build time and status, and
are written atomically (temporary file in the same folder, then os.replace), so a reader or a killed build
never sees half a file. The manifest is also the build's memory: `input_hash` is the hash of the inputs
the HTML on disk was built from, so the next run can skip a brief whose inputs are unchanged.

The index speaks the build's language (the language most of its briefs are in: Chinese headers for zh),
groups the briefs by district (each district a section with a fixed anchor, gongkai.links.index_anchor)
and names each brief by its office or district, never by its file name.

A brief's file name carries its years, so briefs link to each other through names without years
(gongkai.links.current_name): after each build, write_current_pages writes, for every district and office
with a built brief, a small page under that name that forwards to the brief (the one over the most years
when several are built), and for a district that has office briefs but no district brief, one that
forwards to its section of the index. Those pages are rewritten only when their target changes.
"""
from __future__ import annotations

import html
import json
import logging
from collections import Counter
from pathlib import Path

from gongkai.atomic import write_atomically
from gongkai.links import current_path, index_anchor
from gongkai.params import DEFAULT_LANG, LANGS, years_label

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
TEXT = {
    "zh": {"title": "政府信息公开年度报告简报", "count": "共{n}份简报：{summary}。",
           "last": "最近一次生成：{when}（gongkai {version}，配置文件 {config}）。", "sep": "，",
           "status": {"built": "已生成", "up to date": "无需更新", "failed": "生成失败", "out of date": "待更新",
                      "not built": "未生成"},
           "headers": ["简报", "类型", "年度", "语言", "生成时间", "用时", "大小", "状态"],
           "kinds": {"district": "全区简报", "office": "单位简报"}, "district_brief": "{district}全区（{n}个单位）",
           "district_brief_all": "{district}全区", "cell": "（第{cell}格）", "kept": "执行后的笔记本：",
           "older": "显示的是上一次成功生成的简报", "districts": "区县：", "unknown": "（未注明区县）",
           "forward": "正在打开：", "seconds": "{s:.1f} 秒"},
    "en": {"title": "Government information disclosure briefs", "count": "{n} briefs: {summary}.",
           "last": "Last build {when} (gongkai {version}, config {config}).", "sep": ", ",
           "status": {"built": "built", "up to date": "up to date", "failed": "FAILED", "out of date": "out of date",
                      "not built": "not built"},
           "headers": ["brief", "kind", "years", "lang", "built at", "build time", "size", "status"],
           "kinds": {"district": "district brief", "office": "office brief"},
           "district_brief": "{district}, all offices ({n})", "district_brief_all": "{district}, all offices",
           "cell": " (cell {cell})", "kept": "executed notebook: ", "older": "the brief shown is the previous good build",
           "districts": "Districts: ", "unknown": "(no district)", "forward": "Opening ", "seconds": "{s:.1f} s"},
}
STATUSES = ("built", "up to date", "failed", "out of date", "not built")


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


def build_language(entries: list[dict]) -> str:
    """The language of the build: the one most of its briefs are in (zh on a tie or with no brief)."""
    counts = Counter(e.get("lang") for e in entries if e.get("lang") in LANGS)
    if not counts:
        return DEFAULT_LANG
    top = max(counts.values())
    return DEFAULT_LANG if counts.get(DEFAULT_LANG) == top else next(k for k, v in counts.items() if v == top)


def _when(iso: str | None) -> str:
    """'2026-11-22T02:16:57+00:00' -> '2026-11-22 02:16' (the manifest keeps the full time)."""
    return (iso or "")[:16].replace("T", " ")


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def brief_label(entry: dict, lang: str) -> str:
    """What a brief is called on the index: its office's name, or its district with its office count."""
    t = TEXT[lang]
    if entry.get("kind") == "office":
        return entry.get("office") or entry.get("office_id") or entry.get("name", "")
    district = entry.get("district") or ""
    return t["district_brief"].format(district=district, n=entry["offices"]) if entry.get("offices") \
        else t["district_brief_all"].format(district=district)


def _row(entry: dict, lang: str) -> str:
    t = TEXT[lang]
    status = entry.get("status", "not built")
    label = _e(brief_label(entry, lang))
    link = f'<a href="{_e(entry["html"])}">{label}</a>' if entry.get("built_at") and entry.get("html") else label
    problem = ""
    if status == "failed":
        where = t["cell"].format(cell=_e(entry.get("cell"))) if entry.get("cell") is not None else ""
        kept = (f'<br>{_e(t["kept"])}<a href="{_e(entry["failed_notebook"])}">{_e(entry["failed_notebook"])}</a>'
                if entry.get("failed_notebook") else "")
        older = f"<br>{_e(t['older'])}" if entry.get("built_at") else ""
        problem = f'<div class="err">{_e(entry.get("error"))}{where}{kept}{older}</div>'
    size = f"{entry['size'] / 1e6:.1f} MB" if entry.get("size") else ""
    seconds = t["seconds"].format(s=entry["seconds"]) if entry.get("seconds") is not None else ""
    cells = [f"{link}{problem}", _e(t["kinds"].get(entry.get("kind"), entry.get("kind"))),
             _e(years_label(entry.get("years") or [])), _e(entry.get("lang")), _e(_when(entry.get("built_at"))),
             _e(seconds), _e(size), _e(t["status"].get(status, status))]
    return f'<tr class="{_e(status.replace(" ", "-"))}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def render_index(entries: list[dict], run: dict, lang: str | None = None) -> str:
    """The offline index page (no scripts, no external resources; every text escaped), grouped by district,
    in the build's language (build_language) unless lang is given."""
    lang = lang or build_language(entries)
    t = TEXT[lang]
    counts = Counter(e.get("status") for e in entries)
    summary = t["sep"].join(f"{counts[s]} {t['status'][s]}" if lang == "en" else f"{t['status'][s]}{counts[s]}份"
                            for s in STATUSES if counts[s])
    districts: dict[str, list[dict]] = {}
    for entry in entries:
        districts.setdefault(entry.get("district") or "", []).append(entry)
    heads = "".join(f"<th>{_e(h)}</th>" for h in t["headers"])
    sections, menu = [], []
    for district, group in districts.items():
        anchor = index_anchor(district) if district else "district-none"
        group = sorted(group, key=lambda e: (e.get("kind") != "district", brief_label(e, lang), e.get("name", "")))
        rows = "\n".join(_row(e, lang) for e in group)
        sections.append(f'<section id="{_e(anchor)}"><h2>{_e(district or t["unknown"])}</h2>\n<div class="scroll">'
                        f'<table>\n<thead><tr>{heads}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div></section>')
        menu.append(f'<a href="#{_e(anchor)}">{_e(district or t["unknown"])}</a>')
    config = Path(str(run.get("config", ""))).name
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{_e(t["title"])}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;
padding:0 1em;color:#222}}
h2{{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:2px solid #4e79a7}} nav a{{margin-right:1em}}
.scroll{{overflow-x:auto}} table{{border-collapse:collapse;width:100%}}
th,td{{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left;vertical-align:top}} th{{background:#f1f4f8}}
tr.failed td{{background:#fde8e8}} .err{{color:#a00;font-size:.85em;white-space:pre-wrap;overflow-wrap:anywhere}}
</style></head><body>
<h1>{_e(t["title"])}</h1>
<p>{_e(t["count"].format(n=len(entries), summary=summary))}
{_e(t["last"].format(when=_when(run.get("finished")), version=run.get("gongkai", ""), config=config))}</p>
<nav>{_e(t["districts"])}{"".join(menu)}</nav>
{"".join(sections)}
</body></html>
"""


def write_index(path: Path, entries: list[dict], run: dict) -> None:
    """Write index.html atomically, then the forwarding pages of the current briefs beside it."""
    write_atomically(path, render_index(entries, run).encode("utf-8"))
    write_current_pages(path.parent, entries)


def _preference(entry: dict) -> tuple:
    years = entry.get("years") or []
    return (not (entry.get("params") or {}).get("offices"), len(years), max(years, default=0), entry.get("name", ""))


def _forward_page(target: str, title: str, lang: str) -> str:
    t = TEXT[lang]
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={_e(target)}"><title>{_e(title)}</title></head>'
            f'<body><p>{_e(t["forward"])}<a href="{_e(target)}">{_e(title)}</a></p></body></html>\n')


def current_pages(entries: list[dict]) -> dict[str, str]:
    """The forwarding pages to write: path relative to the output folder (latest/<kind>/<name>.html) -> page."""
    best: dict[tuple, dict] = {}
    for entry in entries:
        if not (entry.get("built_at") and entry.get("html")) or entry.get("kind") not in ("district", "office"):
            continue
        key_value = entry.get("district") if entry["kind"] == "district" else entry.get("office_id")
        if not key_value:
            continue
        key = (entry["kind"], key_value, entry.get("lang") or DEFAULT_LANG)
        if key not in best or _preference(entry) > _preference(best[key]):
            best[key] = entry
    pages = {}
    for (kind, value, lang), entry in best.items():
        pages[current_path(kind, value, lang)] = _forward_page(f"../../{entry['html']}", brief_label(entry, lang), lang)
    for (kind, district, lang) in {("district", e.get("district"), e.get("lang") or DEFAULT_LANG)
                                   for e in entries if e.get("kind") == "office" and e.get("district")}:
        name = current_path("district", district, lang)
        if name not in pages:      # no district brief: its office briefs link to the district's part of the index
            pages[name] = _forward_page(f"../../index.html#{index_anchor(district)}", district, lang)
    return pages


def write_current_pages(output_dir: Path, entries: list[dict]) -> None:
    """Write (atomically, only when changed) the forwarding pages of current_pages under output_dir."""
    for relative, page in current_pages(entries).items():
        path = output_dir / relative
        data = page.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
