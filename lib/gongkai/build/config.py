"""briefs.yaml: which briefs `gongkai build` renders, validated before anything runs.

The file is read as hostile input by gongkai.build.configfile (size cap, UTF-8 only, no anchors or aliases,
bounded nesting, one value where one belongs - SCALAR_KEYS and LIST_KEYS below), which keeps each value's line,
so every error here names the line of the offending entry (unknown key, kind, district, office or notebook,
bad year range). Each entry of `briefs:` expands into one or more BriefSpec: a district brief per entry, an
office brief per office (`offices: all` = every office of the district in data/offices.csv).

A district brief with `offices: all` shows the offices under the district, not its government (its report
covers the whole district): for a district whose only reports are its government's, the entry is an error
that says to build the government's office brief instead. Unknown names are answered with the closest ones
that have reports ("did you mean 平潭综合实验区?").

Year ranges (grammar in gongkai.params.parse_year_spec): `2009-2017`, `2016`, `[2015, 2017]`, `all`, or
`last N years`, where "last" counts back from the latest data year of the brief's district (not from the
calendar), so a cron build widens the window when a new year's reports are ingested and is otherwise
reproducible. Validation reads the dataset through DataSnapshot (csv module, no pandas).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.build.configfile import YamlValue, read_config_file
from gongkai.build.inputs import DataSnapshot
from gongkai.config import DATA_DIR, OUTPUTS_DIR, PROJECT_ROOT
from gongkai.errors import ConfigError, ParameterError
from gongkai.params import (DEFAULT_LANG, KINDS, LANGS, closest_names, default_notebook, did_you_mean,
                            only_district_wide, parse_year_spec, years_label)
from gongkai.taxonomy import district_slugs, district_wide_kinds

log = logging.getLogger(__name__)

TOP_KEYS = {"output", "data", "lang", "notebooks", "briefs"}
ENTRY_KEYS = {"kind", "district", "offices", "years", "lang", "notebook", "city"}
SCALAR_KEYS = {"output", "data", "lang", "kind", "district", "notebook", "city"}    # one value, never a list or mapping
LIST_KEYS = {"offices", "years"}                                            # one value or a list of single values


@dataclass
class BriefSpec:
    """One brief to build: kind, the parameters its notebook receives, and where it came from."""
    kind: str
    params: dict
    notebook: Path
    line: int
    district: str
    offices: tuple[str, ...]          # the offices whose rows the brief shows (hash inputs)
    office_id: str | None = None


@dataclass
class BuildConfig:
    """A validated briefs.yaml: output and data folders and the expanded list of briefs."""
    path: Path
    output_dir: Path
    data_dir: Path
    data: DataSnapshot
    briefs: list[BriefSpec] = field(default_factory=list)



def _check_keys(node: YamlValue, allowed: set[str], where: str, path: Path) -> None:
    for key in node.value:
        if key not in allowed:
            raise ConfigError(f"unknown key {key!r} in {where} (allowed: {', '.join(sorted(allowed))})",
                              node.key_lines[key], path)


def _resolve_path(value: object, line: int, base: Path, path: Path, what: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{what} must be a path", line, path)
    p = Path(value).expanduser()
    return p if p.is_absolute() else (base / p).resolve()


def requested_years(node: YamlValue | None, district_years: list[int], line: int, path: Path) -> list[int] | None:
    """The `years:` of an entry -> the requested years (None = all years with data); ConfigError naming the line."""
    value = None if node is None else node.value
    if isinstance(value, list):
        value = [item.value for item in value]
    try:
        return parse_year_spec(value, district_years)
    except ParameterError as exc:
        raise ConfigError(str(exc), line, path) from None


def shown_years(requested: list[int] | None, with_reports: list[int], known: set[int]) -> list[int]:
    """The years a brief shows: all = the years its offices have a report; a range = its years the dataset
    knows (a year without a report of these offices is a gap the brief shows), if it holds one of theirs."""
    if requested is None:
        return list(with_reports)
    years = [y for y in requested if y in known]
    return years if set(years) & set(with_reports) else []


def _offices(node: YamlValue | None, district: str | None, data: DataSnapshot, path: Path,
             line: int) -> list[str]:
    """`offices:` -> office ids; 'all' (or absent) = every office of the district."""
    if node is None or node.value == "all":
        if district is None:
            raise ConfigError("offices: 'all' needs a district", line, path)
        return data.offices_of(district)
    if not isinstance(node.value, list) or not node.value:
        raise ConfigError("offices: give 'all' or a list of office ids", node.line, path)
    ids = []
    for item in node.value:
        if item.value not in data.offices:
            raise ConfigError(_unknown_office(str(item.value), district, data), item.line, path)
        if district and data.offices[item.value]["district"] != district:
            raise ConfigError(f"office {item.value!r} is in {data.offices[item.value]['district']}, "
                              f"not {district}", item.line, path)
        ids.append(item.value)
    return ids


def _with_reports(office_ids: list[str], data: DataSnapshot) -> list[str]:
    return [o for o in office_ids if data.years_with_reports([o])]


def _unknown_office(office_id: str, district: str | None, data: DataSnapshot) -> str:
    """'unknown office …; did you mean …? (offices of 西城区 with reports: …)': only offices that have reports."""
    candidates = _with_reports(data.offices_of(district) if district else list(data.offices), data)
    names = {data.offices[o].get("name", ""): o for o in candidates if o in data.offices}
    hint = did_you_mean(closest_names(office_id, candidates, names))
    where = f"offices of {district} with reports" if district else "offices with reports"
    return f"unknown office {office_id!r}{hint} ({where}: {', '.join(candidates) or 'none'})"


def _unknown_district(district: str, data: DataSnapshot) -> str:
    """'unknown district …; did you mean …? (districts with reports: …)': only districts that have reports."""
    with_reports = sorted(d for d in data.districts if _with_reports(data.offices_of(d), data))
    slugs = {slug: name for name, slug in district_slugs().items()}
    hint = did_you_mean(closest_names(district, with_reports, slugs))
    return f"unknown district {district!r}{hint} (districts with reports: {', '.join(with_reports)})"


def _offices_under(district: str, office_ids: list[str], data: DataSnapshot, line: int, path: Path) -> list[str]:
    """The offices of a district brief with `offices: all`: those under the district, not its government
    (district-wide report). ConfigError when none of them has a report (only the government's, or none)."""
    wide = district_wide_kinds()
    under = [o for o in office_ids if data.offices.get(o, {}).get("kind") not in wide]
    if _with_reports(under, data):
        return under
    governments = [(o, data.offices[o].get("name", o)) for o in _with_reports(office_ids, data)]
    if governments:
        raise ConfigError(only_district_wide(district, governments,
                                             f"kind: office, district: {district}, offices: [{{id}}]"), line, path)
    raise ConfigError(f"{district} has no report in the dataset yet (ingest its reports first)", line, path)


def _notebook(value: YamlValue | None, kind: str, defaults: dict[str, Path], base: Path, path: Path) -> Path:
    if value is None:
        notebook = defaults[kind]
        line = None
    else:
        notebook = _resolve_path(value.value, value.line, base, path, "notebook")
        line = value.line
    if not notebook.is_file():
        raise ConfigError(f"notebook not found: {notebook}", line, path)
    return notebook


def _expand(entry: YamlValue, defaults: dict, data: DataSnapshot, base: Path, path: Path) -> list[BriefSpec]:
    if not isinstance(entry.value, dict):
        raise ConfigError("each brief is a mapping with at least 'kind'", entry.line, path)
    m: dict[str, YamlValue] = entry.value
    _check_keys(entry, ENTRY_KEYS, "a brief", path)
    kind_node = m.get("kind")
    if kind_node is None or kind_node.value not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}, got "
                          f"{kind_node.value if kind_node else None!r}", (kind_node or entry).line, path)
    kind = kind_node.value
    lang_node = m.get("lang")
    lang = defaults["lang"] if lang_node is None else lang_node.value
    if lang not in LANGS:
        raise ConfigError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}",
                          (lang_node or entry).line, path)
    if kind == "city":      # one brief comparing the districts of a city or province (issue #11)
        return [_city_spec(m, entry, lang, data, base, path, defaults)]
    district_node = m.get("district")
    district = district_node.value if district_node else None
    if district is not None and district not in data.districts:
        raise ConfigError(_unknown_district(str(district), data), district_node.line, path)
    if kind == "district" and district is None:
        raise ConfigError("a district brief needs 'district'", entry.line, path)
    offices_node = m.get("offices")
    office_ids = _offices(offices_node, district, data, path, entry.line)
    notebook = _notebook(m.get("notebook"), kind, defaults["notebooks"], base, path)
    years_node = m.get("years")
    years_line = (years_node or entry).line
    specs = []
    if kind == "district":
        if offices_node is None or offices_node.value == "all":   # the offices under the district, as views do
            office_ids = _offices_under(district, office_ids, data, (district_node or entry).line, path)
        requested = requested_years(years_node, data.years_of(district), years_line, path)
        years = shown_years(requested, data.years_with_reports(office_ids), data.known_years)
        if not years:
            raise ConfigError(f"years: no report of {district} in {_span(requested)} (years with reports: "
                              f"{_span(data.years_with_reports(office_ids))})", years_line, path)
        shown = [] if offices_node is None or offices_node.value == "all" else office_ids
        specs.append(BriefSpec("district", {"district": district, "years": years, "offices": shown,
                                            "lang": lang}, notebook, entry.line, district, tuple(office_ids)))
        return specs
    every = offices_node is None or offices_node.value == "all"
    for office_id in office_ids:
        office_district = data.offices[office_id]["district"]
        requested = requested_years(years_node, data.years_of(office_district), years_line, path)
        years = shown_years(requested, data.years_with_reports([office_id]), data.known_years)
        if not years:
            if every:       # "all offices": an office without a report in the window has no brief
                log.info("no office brief for %s: no report in %s", office_id, _span(requested))
                continue
            raise ConfigError(f"years: office {office_id} has no report in {_span(requested)} (years with "
                              f"reports: {_span(data.years_with_reports([office_id]))})", years_line, path)
        specs.append(BriefSpec("office", {"office_id": office_id, "years": years, "lang": lang}, notebook,
                               entry.line, office_district, (office_id,), office_id))
    return specs


def _city_spec(m: dict, entry: YamlValue, lang: str, data: DataSnapshot, base: Path, path: Path,
               defaults: dict) -> BriefSpec:
    """`kind: city`, `city: 北京市` (a city or province of places.csv): the offices of its districts are its inputs."""
    import csv
    city_node = m.get("city")
    if city_node is None or not isinstance(city_node.value, str):
        raise ConfigError("a city brief needs 'city' (a city or province of places.csv)", entry.line, path)
    places = data.data_dir / "places.csv"
    rows = list(csv.DictReader(open(places, encoding="utf-8"))) if places.is_file() else []
    districts = sorted({r["district"] for r in rows if city_node.value in (r.get("city"), r.get("province"))})
    if not districts:
        known = sorted({r.get("city", "") for r in rows} | {r.get("province", "") for r in rows} - {""})
        raise ConfigError(f"unknown city {city_node.value!r} (cities and provinces: {', '.join(known) or 'none'})",
                          city_node.line, path)
    offices = [o for d in districts for o in data.district_offices.get(d, [])]
    years_node = m.get("years")
    known_years = sorted({y for d in districts for y in data.years_of(d)})
    requested = requested_years(years_node, known_years, (years_node or entry).line, path)
    years = shown_years(requested, data.years_with_reports(offices), data.known_years)
    if not years:
        raise ConfigError(f"years: no report of {city_node.value} in {_span(requested)}", (years_node or entry).line,
                          path)
    notebook = _notebook(m.get("notebook"), "city", defaults["notebooks"], base, path)
    return BriefSpec("city", {"city": city_node.value, "years": years, "lang": lang}, notebook, entry.line,
                     city_node.value, tuple(offices))


def _span(years: list[int] | None) -> str:
    """Years for a message: 'any year' (None = all), '2015–2017', '2015, 2017' or 'none'."""
    if years is None:
        return "any year"
    return years_label(years) or "none"


def load_config(path: Path | None = None, data: DataSnapshot | None = None) -> BuildConfig:
    """Read and validate briefs.yaml (default: the project's); raise ConfigError naming the line.

    `data` is the dataset snapshot to validate against; by default it is read from the config's
    `data:` folder (or GONGKAI_DATA / the project's data/).
    """
    path = Path(path or PROJECT_ROOT / "briefs.yaml").resolve()
    root = read_config_file(path, SCALAR_KEYS, LIST_KEYS)
    if not isinstance(root.value, dict):
        raise ConfigError("the config must be a mapping with a 'briefs' list", root.line, path)
    top: dict[str, YamlValue] = root.value
    _check_keys(root, TOP_KEYS, "the config", path)
    base = path.parent
    output = top.get("output")
    output_dir = _resolve_path(output.value, output.line, base, path, "output") if output else OUTPUTS_DIR
    data_node = top.get("data")
    data_dir = _resolve_path(data_node.value, data_node.line, base, path, "data") if data_node else DATA_DIR
    if data is None:
        if not (data_dir / "offices.csv").is_file():
            raise ConfigError(f"no dataset at {data_dir} (offices.csv missing)",
                              data_node.line if data_node else None, path)
        data = DataSnapshot.read(data_dir)
    notebooks = {kind: default_notebook(kind) for kind in KINDS}
    nb_node = top.get("notebooks")
    if nb_node is not None:
        if not isinstance(nb_node.value, dict):
            raise ConfigError("notebooks: give kind: path pairs", nb_node.line, path)
        _check_keys(nb_node, set(KINDS), "notebooks", path)
        for kind, item in nb_node.value.items():
            notebooks[kind] = _notebook(item, kind, notebooks, base, path)
    lang_node = top.get("lang")
    defaults = {"lang": lang_node.value if lang_node else DEFAULT_LANG, "notebooks": notebooks}
    if defaults["lang"] not in LANGS:
        raise ConfigError(f"lang must be one of {', '.join(LANGS)}", lang_node.line, path)
    briefs_node = top.get("briefs")
    if briefs_node is None or not isinstance(briefs_node.value, list) or not briefs_node.value:
        raise ConfigError("'briefs' must be a non-empty list", (briefs_node or root).line, path)
    config = BuildConfig(path, output_dir, data_dir, data)
    for entry in briefs_node.value:
        config.briefs.extend(_expand(entry, defaults, data, base, path))
    log.debug("config %s: %d briefs", path, len(config.briefs))
    return config
