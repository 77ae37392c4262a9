"""The office registry (data/offices.csv): stable office ids across renames, district and kind of each office.

Columns: office_id, name, aliases ('|'-separated former or variant names, e.g. 宣武区大栅栏街道 for
西城区大栅栏街道), district, kind (one of gongkai/data/office_kinds.csv: street, town, area_office,
department, district_government). An office the registry does not know gets an id derived from its district
and name (pinyin) and is reported as new; new_office_lines() writes its offices.csv line, ready to paste,
and add_offices() appends such lines to offices.csv (what `gongkai offices add` runs).

An office id is made of ASCII letters, digits, '.', '_' and '-' (starting with a letter or digit), at most
MAX_OFFICE_ID characters, and no two ids of the registry may share a file-name stem (wording.office_stem:
xicheng.yuetan and xicheng-yuetan would write one brief file): a registry breaking this is refused with a
DatasetError naming the file and the ids.

Names are compared by their key (canonical_name): no spaces, no province/city/district prefix, 街道办事处 as
街道, and a short form spelled out (office_short_names.csv: 上海市科委 is 上海市科学技术委员会). Only a name
that reads like an office (ends in 局, 委员会, 街道, 政府 …) becomes a new office: a file whose only "office"
is its folder's name (reports/, 平潭综合实验区/) is no office.
"""
from __future__ import annotations

import csv
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import taxonomy
from gongkai.atomic import write_atomically
from gongkai.errors import DatasetError
from gongkai.wording import office_stem
from gongkai.errors import RegistryError
from gongkai.taxonomy import district_slugs

log = logging.getLogger(__name__)

OFFICE_COLUMNS = ["office_id", "name", "aliases", "district", "kind"]
MAX_OFFICE_ID = 80
OFFICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DISTRICT_PART = 30          # characters of a generated id's district part; the rest is the office's
_SPACE = re.compile(r"[\s\u3000]+")
_PROVINCE = re.compile(r"^(?:北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,7}(?:省|自治区))")
_CITY = re.compile(r"^[\u4e00-\u9fff]{2,5}市(?=[\u4e00-\u9fff]{1,6}(?:区|县))")
# a district in front of an office's name; 海坛片区, 科技园区, 风景区 are parts of a name, not districts
_DISTRICT_PREFIX = re.compile(r"^(?P<d>[\u4e00-\u9fff]{1,5}?(?:新区|(?<![片园社景校])区|县))(?=[\u4e00-\u9fff]{2})")
_PAREN = re.compile(r"[(（][^)）]*[)）]")
# the part of a name an id leaves out: 月坛街道办事处 -> yuetan, 西集镇 -> xiji, 东城区审计局 -> shenjiju
_ID_SUFFIX = re.compile(r"(?:街道办事处|地区办事处|街道|办事处|镇人民政府|乡人民政府|镇|乡|地区)$")
# folder names that stand for a district when a report names none
DISTRICT_ENDINGS = ("区", "县")
CITY_FOLDERS = ("北京市",)
GOVERNMENT_NAMES = {"人民政府", "政府", "区政府", "人民政府办公室", "政府办公室"}
# what an office name ends in (a folder called reports/ or 2019/ is no office)
_OFFICE_ENDING = re.compile(r"[\u4e00-\u9fff]+?(?:街道|街|办事处|处|镇|乡|地区|片区|局|委员会|委|办|办公室|政府|厅|"
                            r"中心|管委会|队|所|院|会|站|部|署|室|馆|社)$")
_DISTRICT_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:新区|实验区|区|县|市)$")


def kind_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """(name pattern, kind) from office_kinds.csv, in its order; the first match wins, no match is a department."""
    return tuple((re.compile(row["name_pattern"]), row["id"]) for row in taxonomy.table("office_kinds")
                 if row.get("name_pattern"))


def office_kinds() -> tuple[str, ...]:
    """The registry kinds (office_kinds.csv ids)."""
    return tuple(row["id"] for row in taxonomy.table("office_kinds"))


def short_names() -> dict[str, str]:
    """Short form -> full form of office names (office_short_names.csv): 科委 -> 科学技术委员会."""
    return {row["short"]: row["full"] for row in taxonomy.table("office_short_names")}


def spelled_out(name: str) -> str:
    """A name whose office part is a known short form, spelled out: 科委 -> 科学技术委员会; others unchanged."""
    return short_names().get(name, name)


def canonical_district(district: str) -> str:
    """'北京市西城区' -> '西城区'; '北京市(市级部门)' -> '北京市'; other provinces keep their last level."""
    d = _SPACE.sub("", district or "")
    if not d:
        return ""
    d = _PAREN.sub("", d)
    stripped = _CITY.sub("", _PROVINCE.sub("", d))
    return stripped or d


def canonical_name(name: str, district: str = "") -> str:
    """An office name without spaces, province/city/district prefix or 办事处 ending: the registry's key."""
    full = _SPACE.sub("", name or "")
    n = _CITY.sub("", _PROVINCE.sub("", full)) or full
    d = canonical_district(district)
    if d and n.startswith(d) and len(n) > len(d) + 1 and n[len(d):] not in GOVERNMENT_NAMES:
        n = n[len(d):]
    else:
        m = _DISTRICT_PREFIX.match(n)
        if m and n[m.end():] not in GOVERNMENT_NAMES:
            n = n[m.end():]
    return spelled_out(re.sub(r"街道办事处$", "街道", n))


def office_kind(name: str) -> str:
    """The kind a name reads as (office_kind_patterns: 街道 street, 镇/乡 town, 片区 area_office, a district's
    人民政府 district_government), else department."""
    for pattern, kind in kind_patterns():
        if pattern.search(canonical_name(name)):
            return kind
    return "department"


def office_id_problem(office_id: str) -> str | None:
    """Why an office id is not acceptable (characters, length), or None when it is."""
    if len(office_id) > MAX_OFFICE_ID:
        return f"office id {office_id[:40]!r}… is {len(office_id)} characters long (at most {MAX_OFFICE_ID})"
    if not OFFICE_ID.match(office_id):
        return (f"office id {office_id!r} may hold only ASCII letters, digits, '.', '_' and '-' and must start "
                f"with a letter or digit")
    return None


def check_office_ids(office_ids: list[str], path) -> None:
    """DatasetError naming path when an id is malformed or two ids share a file-name stem (a.b and a-b)."""
    stems: dict[str, str] = {}
    for office_id in office_ids:
        problem = office_id_problem(office_id)
        if problem:
            raise DatasetError(path, problem)
        other = stems.setdefault(office_stem(office_id), office_id)
        if other != office_id:
            raise DatasetError(path, f"office ids {other!r} and {office_id!r} differ only in punctuation or case, "
                                     f"so their briefs would share one file name: rename one")


def read_office_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """offices.csv as validated (header, rows): the table checks of gongkai.store.read_rows, then the office ids
    (check_office_ids). Rows without an office id are left out. DatasetError names the file and problem."""
    from gongkai.store import read_rows

    header, rows = read_rows(path, OFFICE_COLUMNS)
    col = header.index("office_id")
    rows = [r for r in rows if r[col].strip()]
    check_office_ids([r[col].strip() for r in rows], path)
    return header, rows
def display_name(name: str, district: str = "") -> str:
    """How a new office is shown: without province and city, short forms spelled out (苏州市吴中区财政局 ->
    吴中区财政局); a city's own office keeps its city (上海市科委 in 上海市 -> 上海市科学技术委员会)."""
    full = _SPACE.sub("", name or "")
    d = canonical_district(district)
    if d.endswith("市") and full.startswith(d) and len(full) > len(d) + 1:
        return d + spelled_out(full[len(d):])
    local = _CITY.sub("", _PROVINCE.sub("", full)) or full
    m = _DISTRICT_PREFIX.match(local)
    if m:
        return m.group("d") + spelled_out(local[m.end():])
    return spelled_out(local)


def looks_like_office(name: str) -> bool:
    """True for a name that reads like an office (月坛街道, 上海市科委, 平潭县财政局), False for a folder name
    such as reports, 2019 or a bare district (平潭综合实验区)."""
    n = _SPACE.sub("", name or "")
    return bool(_OFFICE_ENDING.search(n)) and not _DISTRICT_ONLY.match(n)


def _slug(text: str) -> str:
    from pypinyin import lazy_pinyin
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())


@dataclass(frozen=True)
class Placement:
    """The office a report is filed under: its id, display name and district, and whether it is new."""
    office_id: str
    office: str
    district: str
    is_new: bool


@dataclass
class Office:
    office_id: str
    name: str
    district: str
    kind: str
    aliases: list[str] = field(default_factory=list)


class Registry:
    """Offices by id, and by (district, canonical name) for every name and alias."""

    def __init__(self, offices: list[Office] | None = None, path: Path | None = None):
        self.path = path
        self.offices: dict[str, Office] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._by_name: dict[str, set[str]] = {}
        self._district_slug: dict[str, str] = {}
        for office in offices or []:
            self.add(office)

    def add(self, office: Office) -> None:
        self.offices[office.office_id] = office
        district = canonical_district(office.district)
        for name in [office.name, *office.aliases]:
            if not name:
                continue
            # an alias may carry its own district (宣武区大栅栏街道): index it under that one as well
            for d in {district, canonical_district(_DISTRICT_PREFIX.match(name).group("d"))
                      if _DISTRICT_PREFIX.match(name) else district}:
                key = canonical_name(name, d)
                self._by_key.setdefault((d, key), office.office_id)
                self._by_name.setdefault(key, set()).add(office.office_id)
        if "." in office.office_id and district:
            self._district_slug.setdefault(district, office.office_id.split(".")[0])

    def _taken(self, office_id: str) -> bool:
        """Whether office_id, or an id with the same file-name stem, is registered."""
        stem = office_stem(office_id)
        return office_id in self.offices or any(office_stem(o) == stem for o in self.offices)

    def resolve(self, name: str, district: str = "") -> Office | None:
        """The registered office with this name or alias (in this district when given), else None."""
        if not name:
            return None
        d = canonical_district(district)
        key = canonical_name(name, d)
        found = self._by_key.get((d, key))
        if found:
            return self.offices[found]
        candidates = self._by_name.get(key, set())
        if len(candidates) == 1 and (not d or self.offices[next(iter(candidates))].district in ("", d)
                                     or not self._district_slug.get(d)):
            return self.offices[next(iter(candidates))]
        return None

    def new_office(self, name: str, district: str) -> Office:
        """An unregistered office: id '<district pinyin>.<name pinyin>' (unique), kind from the name."""
        d = canonical_district(district)
        short = canonical_name(name, d)
        district_part = (self._district_slug.get(d) or district_slugs().get(d)
                         or _slug(re.sub(r"(?:新区|区|县|市)$", "", d)) or "unknown")
        kind = office_kind(display_name(name, d))
        office_part = "quzhengfu" if kind == "district_government" else _slug(_ID_SUFFIX.sub("", short) or short)
        if not office_part:
            office_part = "office" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        district_part = district_part[:_DISTRICT_PART]
        room = MAX_OFFICE_ID - len(district_part) - 1 - 4      # '.', and a number when the id is taken
        if len(office_part) > room:                             # a long name: cut, with a hash of the whole
            office_part = office_part[:room - 8] + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        office_id, n = f"{district_part}.{office_part}", 2
        while self._taken(office_id) and canonical_name(self.offices.get(office_id, Office("", "", "", "")).name,
                                                         d) != short:
            office_id, n = f"{district_part}.{office_part}{n}", n + 1
        office = Office(office_id=office_id, name=display_name(name, d) or short, district=d, kind=kind)
        self.add(office)
        return office

    def place(self, name: str, district: str = "", folder: str = "") -> Placement:
        """Where a report belongs: the registered office with this name (in this district), else a new office.

        district is the one the report names; when it names none, a folder called like a district
        (西城区/, 密云县/, 北京市/) stands in. No name gives no office (an empty office_id), and neither does a
        name that is no office's (a folder's name the report fell back on: reports, 平潭综合实验区).
        """
        district = canonical_district(district)
        if not district and (folder.endswith(DISTRICT_ENDINGS) or folder in CITY_FOLDERS):
            district = canonical_district(folder)
        office = self.resolve(name, district)
        if office:
            return Placement(office.office_id, office.name, office.district or district, is_new=False)
        if not name or not looks_like_office(name):
            return Placement("", "", district, is_new=False)
        office = self.new_office(name, district)
        return Placement(office.office_id, office.name, office.district, is_new=True)

    def rows(self) -> list[dict[str, str]]:
        return [{"office_id": o.office_id, "name": o.name, "aliases": "|".join(o.aliases), "district": o.district,
                 "kind": o.kind} for o in sorted(self.offices.values(), key=lambda o: o.office_id)]


def load_registry(path: Path) -> Registry:
    """Read data/offices.csv; a missing file is an empty registry. DatasetError names the file when it is not
    valid UTF-8 CSV or holds a malformed or clashing office id (check_office_ids)."""
    path = Path(path)
    offices = []
    if path.is_file():
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                for row in csv.DictReader(f):
                    if not (row.get("office_id") or "").strip():
                        continue
                    offices.append(Office(office_id=row["office_id"].strip(), name=(row.get("name") or "").strip(),
                                          district=(row.get("district") or "").strip(),
                                          kind=(row.get("kind") or "").strip() or office_kind(row.get("name") or ""),
                                          aliases=[a.strip() for a in (row.get("aliases") or "").split("|")
                                                   if a.strip()]))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DatasetError(path, f"not a readable UTF-8 CSV file: {exc}") from exc
        check_office_ids([o.office_id for o in offices], path)
    return Registry(offices, path)


def save_registry(registry: Registry, path: Path) -> None:
    """Write the registry as CSV, atomically."""
    import io
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=OFFICE_COLUMNS)
    writer.writeheader()
    writer.writerows(registry.rows())
    write_atomically(path, out.getvalue())


def office_line(office: Office) -> str:
    """The offices.csv line of an office (office_id,name,aliases,district,kind), CSV-quoted as needed."""
    import io
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="").writerow([office.office_id, office.name, "|".join(office.aliases),
                                                 office.district, office.kind])
    return out.getvalue()


def unregistered_offices(filed: Iterable[tuple[str, str, str]], registry: Registry) -> list[Office]:
    """The offices reports were filed under that the registry lacks, once each, kind guessed from the name.

    filed: (office_id, name, district) per report (reports.csv columns, or IngestSummary.new_offices).
    """
    found: dict[str, Office] = {}
    for office_id, name, district in filed:
        office_id, name, district = (str(v or "").strip() for v in (office_id, name, district))
        if office_id and office_id not in registry.offices and office_id not in found:
            found[office_id] = Office(office_id=office_id, name=name, district=district, kind=office_kind(name))
    return sorted(found.values(), key=lambda o: o.office_id)


def unregistered_in(data_dir: Path) -> list[Office]:
    """The offices data_dir/reports.csv files reports under that data_dir/offices.csv lacks (see
    unregistered_offices); none without a reports.csv."""
    data_dir = Path(data_dir)
    if not (data_dir / "reports.csv").is_file():
        return []
    with open(data_dir / "reports.csv", encoding="utf-8", newline="") as f:
        filed = [(row.get("office_id"), row.get("office"), row.get("district")) for row in csv.DictReader(f)]
    return unregistered_offices(filed, load_registry(data_dir / "offices.csv"))


def parse_office_lines(text: str) -> list[Office]:
    """Offices from offices.csv lines (a header line is skipped); RegistryError naming the line if one is wrong."""
    offices = []
    kinds = office_kinds()
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip() or row[:len(OFFICE_COLUMNS)] == OFFICE_COLUMNS:
            continue
        if len(row) != len(OFFICE_COLUMNS):
            raise RegistryError(f"line {number}: {len(row)} field(s), expected {len(OFFICE_COLUMNS)} "
                                f"({','.join(OFFICE_COLUMNS)})")
        office_id, name, aliases, district, kind = (field.strip() for field in row)
        if not re.fullmatch(r"[a-z0-9_\-]+\.[a-z0-9_\-]+", office_id):
            raise RegistryError(f"line {number}: office_id {office_id!r} is not like xicheng.yuetan "
                                "(lower-case ASCII, one dot)")
        if not name:
            raise RegistryError(f"line {number}: {office_id} has no name")
        if kind not in kinds:
            raise RegistryError(f"line {number}: kind {kind!r} unknown; kinds: {', '.join(kinds)}")
        offices.append(Office(office_id=office_id, name=name, district=district, kind=kind,
                              aliases=[a.strip() for a in aliases.split("|") if a.strip()]))
    return offices


def add_offices(path: Path, offices: list[Office]) -> list[Office]:
    """Add offices to the registry file at path (written atomically: all of them or none); return those added.

    An office already registered with the same line is left as it is; an id registered as another office
    raises RegistryError, and nothing is written.
    """
    registry = load_registry(path)
    added = []
    for office in offices:
        known = registry.offices.get(office.office_id)
        if known is not None:
            if office_line(known) != office_line(office):
                raise RegistryError(f"{office.office_id} is already in {path} as {office_line(known)}")
            continue
        registry.add(office)
        added.append(office)
    if added:
        save_registry(registry, path)
    return added
