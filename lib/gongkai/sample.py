"""Build the committed sample dataset in data/ from the real corpus: one real district, complete, and Beijing.

    gongkai sample --corpus ../shared/corpus [--data data/]     (what `make sample` runs)

Takes
- district/: every report of the corpus's complete district (平潭综合实验区: its government, its area
  offices 片区管理局 and its departments, 2009–2025), listed in district/index.csv with the office as
  printed and the original URL. Its offices are the rows of gongkai/data/sample_district_offices.csv
  (offices.csv rows: one id per office across renames, e.g. 国有资产管理局 -> 投资促进局, 平潭县公安局 ->
  公安局; the county's own government and bureaus, which published reports of their own alongside the
  area's in 2011–2013 with other figures — 平潭县人民政府, 平潭县财政局, 平潭县经济发展局 — are offices of
  their own, not former names); each index.csv office must be one of their names or aliases, with or
  without the district in front.
- seeds/ and the pages/ files whose header names a Beijing district or a 北京市 department (ids from the
  corpus file names: xicheng_yuetan_2017.txt -> xicheng.yuetan; names and districts from the headers).
It registers their offices in data/offices.csv (rows already there are kept) and ingests all of them.
reports.csv's source is the page URL the copy names, else the path relative to the project. Only figures
and short quotes are written; the report texts stay in the corpus.
"""
from __future__ import annotations

import csv
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from gongkai import config
from gongkai.errors import GongkaiError
from gongkai.ingest import IngestSummary, ingest
from gongkai.registry import (Office, canonical_district, canonical_name, load_registry, office_kind,
                              parse_office_lines, save_registry)

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
DISTRICT_FOLDER = "district"          # the corpus's complete district: index.csv and reports/
SAMPLE_DISTRICT_OFFICES = "sample_district_offices"   # its offices, gongkai/data/<this>.csv
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


def header_office_name(printed: str) -> str:
    """The office name of a copy's header without its note: '大栅栏街道(原)' -> 大栅栏街道; a bare kind word
    whose note names the office ('镇(名称未见于摘录;…推断为永乐店镇)') -> 永乐店镇."""
    printed = printed.replace(" ", "")
    name = re.sub(r"[(（][^)）]*[)）]$", "", printed)
    inferred = re.search(r"推断为([\u4e00-\u9fff]{2,})", printed)
    return inferred.group(1) if inferred and len(name) <= 2 else name


def update_registry(entries: list[tuple[Path, str, str, str]], path: Path) -> int:
    """Add the offices of entries to the registry at path (existing rows kept; names seen become aliases)."""
    registry = load_registry(path)
    added = 0
    for _, office_id, name, district in entries:
        name = header_office_name(name)
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


def sample_district_offices() -> list[Office]:
    """The offices of the sample district (gongkai/data/sample_district_offices.csv) as registry offices."""
    text = (config.TAXONOMY_DIR / f"{SAMPLE_DISTRICT_OFFICES}.csv").read_text(encoding="utf-8")
    return parse_office_lines(text)


def _printed_names(office: Office) -> set[str]:
    names = {office.name, *office.aliases}
    return names | {office.district + n for n in names if not n.startswith(office.district)}


def district_reports(corpus: Path, offices: list[Office]) -> list[tuple[Path, str, str, str]]:
    """(path, office_id, office as printed, district) of every report in corpus/district/index.csv.

    Empty when the corpus has no district/ folder. Raises GongkaiError naming the index line when its
    office is none of the offices' names or aliases (so a new office is added to the table, not guessed).
    """
    index = corpus / DISTRICT_FOLDER / "index.csv"
    if not index.is_file():
        return []
    by_name = {name: office for office in offices for name in _printed_names(office)}
    found = []
    with index.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            office = by_name.get(row["office"].strip())
            if office is None:
                raise GongkaiError(f"{index}:{line}: office {row['office']!r} is not in "
                                   f"gongkai/data/{SAMPLE_DISTRICT_OFFICES}.csv (name or alias)")
            found.append((corpus / DISTRICT_FOLDER / row["file"], office.office_id, row["office"].strip(),
                          office.district))
    return found


def register_district(offices: list[Office], with_reports: set[str], path: Path) -> int:
    """Write the sample district's offices that have reports into the registry at path (the table's row wins
    over an older one of the same id; other rows are kept); return how many were new."""
    registry = load_registry(path)
    added = 0
    for office in offices:
        if office.office_id not in with_reports:
            continue
        added += office.office_id not in registry.offices
        registry.add(office)
    save_registry(registry, path)
    return added


@dataclass
class SampleSummary:
    """What build_sample did: the reports found (Beijing, the sample district), the offices registered, the ingest."""
    reports: int
    offices_added: int
    registry: Path
    ingest: IngestSummary
    district_reports: int = 0
    district: str = ""


def build_sample(corpus: Path, data_dir: Path, force: bool = False) -> SampleSummary:
    """Register the offices of the sample district and of Beijing in data_dir/offices.csv and ingest their
    reports there.

    Sources are written relative to the project root, so a report without a URL names a portable path.
    Raises GongkaiError when corpus holds no pages/ folder or no report could be read.
    """
    # the corpus as given, symlinks kept: a source relative to the project follows the project's layout
    corpus, data_dir = Path(os.path.abspath(corpus)), Path(data_dir).resolve()
    if not (corpus / "pages").is_dir():
        raise GongkaiError(f"no corpus at {corpus} (expected pages/ and seeds/ there)")
    offices = sample_district_offices()
    district = district_reports(corpus, offices)
    beijing = beijing_reports(corpus)
    registry = data_dir / "offices.csv"
    data_dir.mkdir(parents=True, exist_ok=True)
    added = register_district(offices, {office_id for _, office_id, _, _ in district}, registry)
    added += update_registry(beijing, registry)
    entries = district + beijing
    files = [Path(os.path.relpath(os.path.abspath(p), config.PROJECT_ROOT)) for p, *_ in entries]
    hints = {str(f): office_id for f, (_, office_id, _, _) in zip(files, entries)}
    cwd = os.getcwd()
    os.chdir(config.PROJECT_ROOT)
    try:
        summary = ingest(files, data_dir, force=force, office_hints=hints)
    finally:
        os.chdir(cwd)
    log.debug("%d reports of %s and %d Beijing reports, %d office(s) added to %s", len(district),
              offices[0].district if offices else "", len(beijing), added, registry)
    return SampleSummary(reports=len(beijing), offices_added=added, registry=registry, ingest=summary,
                         district_reports=len(district), district=offices[0].district if offices and district else "")
