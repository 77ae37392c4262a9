"""Build the committed sample dataset in data/ from the Beijing reports of the real corpus.

    gongkai sample --corpus ../shared/corpus [--data data/]     (what `make sample` runs)

Takes seeds/ and the pages/ files whose header names a Beijing district or a 北京市 department,
registers their offices in data/offices.csv (ids from the corpus file names: xicheng_yuetan_2017.txt ->
xicheng.yuetan; names and districts from the copies' headers) and ingests them. reports.csv's source is
the page URL the copy names, else the path relative to the project. Only figures and short quotes are
written; the report texts stay in the corpus.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from gongkai import config
from gongkai.errors import GongkaiError
from gongkai.ingest import IngestSummary, ingest
from gongkai.registry import Office, canonical_district, canonical_name, load_registry, office_kind, save_registry

log = logging.getLogger(__name__)

BEIJING_DISTRICTS = ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区",
                     "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "北京市")
# Streets of the former 宣武区, merged into 西城区 in 2010: reports before the merger carry the old name.
FORMER_NAMES = {"xicheng.dashilan": ["宣武区大栅栏街道"], "xicheng.tianqiao": ["宣武区天桥街道"],
                "xicheng.niujie": ["宣武区牛街街道"], "xicheng.baizhifang": ["宣武区白纸坊街道"],
                "xicheng.guanganmennei": ["宣武区广安门内街道"], "xicheng.guanganmenwai": ["宣武区广安门外街道"],
                "xicheng.taoranting": ["宣武区陶然亭街道"], "xicheng.chunshu": ["宣武区椿树街道"]}
# what the seeds' file names stand for (they carry no header)
SEED_OFFICES = {"miyun_guoyuan": ("果园街道", "密云区"), "xicheng_yuetan": ("月坛街道", "西城区")}
_FILE = re.compile(r"^(?P<prefix>[a-z\-]+?)(?:_(?P<office>[a-z]+))?_(?P<year>\d{4})(?:_big5)?$")
HEADER_LINES = 8


def read_header(path: Path) -> dict[str, str]:
    """The provenance lines (key: value) at the top of a corpus copy."""
    header: dict[str, str] = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for _, line in zip(range(HEADER_LINES), f):
            key, sep, value = line.partition(":")
            if sep and re.fullmatch(r"[a-z_]+", key.strip()):
                header[key.strip()] = value.strip()
    return header


def office_id_from_name(stem: str) -> str | None:
    """xicheng_yuetan_2017 -> xicheng.yuetan; beijing-shixinfangban_2009_big5 -> beijing.shixinfangban."""
    m = _FILE.match(stem)
    if not m:
        return None
    prefix, office = m.group("prefix"), m.group("office")
    if office is None:
        if "-" not in prefix:
            return None
        prefix, office = prefix.split("-", 1)
    return f"{prefix}.{office}"


def is_beijing(district: str) -> bool:
    d = district.replace(" ", "")
    return d.startswith("北京") or d in BEIJING_DISTRICTS


def beijing_reports(corpus: Path) -> list[tuple[Path, str, str, str]]:
    """(path, office_id, office name, district) of every Beijing report in the corpus."""
    found = []
    for path in sorted((corpus / "seeds").glob("*.txt")):
        stem = re.sub(r"_\d{4}$", "", path.stem)
        if stem in SEED_OFFICES:
            name, district = SEED_OFFICES[stem]
            found.append((path, stem.replace("_", "."), name, district))
    for path in sorted((corpus / "pages").glob("*.txt")):
        header = read_header(path)
        district = header.get("district", "")
        office_id = office_id_from_name(path.stem)
        if not office_id or not is_beijing(district):
            continue
        found.append((path, office_id, header.get("office", ""), canonical_district(district) or "北京市"))
    return found


def update_registry(entries: list[tuple[Path, str, str, str]], path: Path) -> int:
    """Add the offices of entries to the registry at path (existing rows kept; names seen become aliases)."""
    registry = load_registry(path)
    added = 0
    for _, office_id, name, district in entries:
        name = re.sub(r"[(（][^)）]*[)）]$", "", name.replace(" ", ""))
        office = registry.offices.get(office_id)
        if office is None:
            office = Office(office_id=office_id, name=name, district=district, kind=office_kind(name),
                            aliases=list(FORMER_NAMES.get(office_id, [])))
            registry.add(office)
            added += 1
        elif name and canonical_name(name, district) != canonical_name(office.name, district) \
                and name not in office.aliases:
            office.aliases.append(name)
            registry.add(office)
    save_registry(registry, path)
    return added


@dataclass
class SampleSummary:
    """What build_sample did: the Beijing reports found, the offices it registered, the ingest."""
    reports: int
    offices_added: int
    registry: Path
    ingest: IngestSummary


def build_sample(corpus: Path, data_dir: Path, force: bool = False) -> SampleSummary:
    """Register the Beijing offices of the corpus in data_dir/offices.csv and ingest their reports there.

    Sources are written relative to the project root, so a report without a URL names a portable path.
    Raises GongkaiError when corpus holds no pages/ folder or no report could be read.
    """
    corpus, data_dir = Path(corpus).resolve(), Path(data_dir).resolve()
    if not (corpus / "pages").is_dir():
        raise GongkaiError(f"no corpus at {corpus} (expected pages/ and seeds/ there)")
    entries = beijing_reports(corpus)
    registry = data_dir / "offices.csv"
    added = update_registry(entries, registry)
    files = [Path(os.path.relpath(p.resolve(), config.PROJECT_ROOT)) for p, *_ in entries]
    hints = {str(f): office_id for f, (_, office_id, _, _) in zip(files, entries)}
    cwd = os.getcwd()
    os.chdir(config.PROJECT_ROOT)
    try:
        summary = ingest(files, data_dir, force=force, office_hints=hints)
    finally:
        os.chdir(cwd)
    log.debug("%d Beijing reports, %d office(s) added to %s", len(entries), added, registry)
    return SampleSummary(reports=len(entries), offices_added=added, registry=registry, ingest=summary)
