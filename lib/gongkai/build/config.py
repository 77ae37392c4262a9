"""briefs.yaml: which briefs `gongkai build` renders, validated before anything runs.

The file is composed with yaml.compose so every error names the line of the offending entry
(unknown key, kind, district, office or notebook, bad year range, duplicate key). It is read as
hostile input: UTF-8 only (another encoding names the line and byte), at most MAX_CONFIG_BYTES, no YAML
anchors or aliases (a billion-laughs file or a recursive alias stops at its first anchor), at most
MAX_DEPTH levels of nesting, a list or mapping where one value belongs is refused, and a value YAML
cannot build (a 13th month, a 5,000-digit number, a python/object tag) is a ConfigError naming its line. Each entry of
`briefs:` expands into one or more BriefSpec: a district brief per entry, an office brief per office
(`offices: all` = every office of the district in data/offices.csv).

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

import yaml

from gongkai.build.inputs import DataSnapshot
from gongkai.config import DATA_DIR, OUTPUTS_DIR, PROJECT_ROOT
from gongkai.errors import ConfigError, ParameterError
from gongkai.params import (DEFAULT_LANG, KINDS, LANGS, closest_names, default_notebook, did_you_mean,
                            only_district_wide, parse_year_spec, years_label)
from gongkai.taxonomy import district_slugs, district_wide_kinds
from gongkai.wording import shorten

log = logging.getLogger(__name__)

TOP_KEYS = {"output", "data", "lang", "notebooks", "briefs"}
ENTRY_KEYS = {"kind", "district", "offices", "years", "lang", "notebook", "city"}
SCALAR_KEYS = {"output", "data", "lang", "kind", "district", "notebook", "city"}    # one value, never a list or mapping
LIST_KEYS = {"offices", "years"}                                            # one value or a list of single values
MAX_CONFIG_BYTES = 1_000_000   # a briefs.yaml is a few kilobytes: more is a mistake (or an attack)
MAX_DEPTH = 8                  # nesting of YAML lists and mappings (the config itself needs 3)
VALUE_WIDTH = 60               # characters of an unreadable value quoted in a message


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


@dataclass
class _Node:
    """A YAML value with its 1-based line; mappings hold _Node values and the line of each key."""
    value: object
    line: int
    key_lines: dict[str, int] | None = None


class _ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors and aliases (their expansion is exponential: billion laughs;
    a recursive alias never ends) and nesting deeper than MAX_DEPTH (the composer recurses)."""

    def __init__(self, text: str, path: Path):
        super().__init__(text)
        self.path, self.depth = path, 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise ConfigError(f"YAML anchors and aliases are not allowed ({sign}{event.anchor}): write each value "
                              "out", line, self.path)
        if self.depth >= MAX_DEPTH:
            raise ConfigError(f"nested more than {MAX_DEPTH} levels deep", line, self.path)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _read_text(path: Path) -> str:
    """The config's text: ConfigError when it cannot be read, is not a file, is too large or is not UTF-8."""
    try:
        if path.exists() and not path.is_file():
            raise ConfigError("the config is not a regular file", None, path)
        with path.open("rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the config: {exc.strerror}", None, path) from exc
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"the config is larger than {MAX_CONFIG_BYTES:,} bytes (a briefs.yaml takes a few "
                          "kilobytes)", None, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise ConfigError(f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at byte {exc.start}, column "
                          f"{exc.start - line_start + 1} of the line, cannot be decoded): save it as UTF-8",
                          data.count(b"\n", 0, exc.start) + 1, path) from None


def _compose(text: str, path: Path) -> yaml.Node | None:
    """The YAML node tree of text (_ConfigLoader); ConfigError naming the line of a syntax error."""
    loader = None
    try:
        loader = _ConfigLoader(text, path)      # the reader checks the characters here
        return loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or b"?")
        raise ConfigError(f"not valid YAML: the control character U+{code:04X} is not allowed",
                          text.count("\n", 0, exc.position) + 1, path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}",
                          mark.line + 1 if mark else None, path) from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_shape(key: str, node: yaml.Node, path: Path) -> None:
    """A list or mapping where one value belongs (district: [x]) -> ConfigError naming the line."""
    shape = {yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}
    if key in SCALAR_KEYS and not isinstance(node, yaml.ScalarNode):
        raise ConfigError(f"{key}: give one value, not {shape[type(node)]}", node.start_mark.line + 1, path)
    if key in LIST_KEYS:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for item in items:
            if not isinstance(item, yaml.ScalarNode):
                raise ConfigError(f"{key}: give one value or a list of values, not {shape[type(item)]}",
                                  item.start_mark.line + 1, path)


def _plain(node: yaml.Node, path: Path) -> _Node:
    """Turn a composed node into nested _Node values (dicts/lists of _Node), keeping 1-based lines."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, _Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            key = _plain(key_node, path).value if isinstance(key_node, yaml.ScalarNode) else key_node.id
            if not isinstance(key, str) or not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError(f"keys must be names, not {shorten(repr(key), VALUE_WIDTH)}", key_line, path)
            if key in out:
                raise ConfigError(f"duplicate key {key!r}", key_line, path)
            _check_shape(key, value_node, path)
            out[key] = _plain(value_node, path)
            key_lines[key] = key_line
        return _Node(out, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_plain(item, path) for item in node.value], line)
    try:
        return _Node(yaml.constructor.SafeConstructor().construct_object(node), line)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:     # 2017-13-45, 5,000 digits, !!python/...
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"cannot read the value {shorten(repr(node.value), VALUE_WIDTH)} ({node.tag}): "
                          f"{shorten(problem, VALUE_WIDTH * 2)}", line, path) from None


def _check_keys(node: _Node, allowed: set[str], where: str, path: Path) -> None:
    for key in node.value:
        if key not in allowed:
            raise ConfigError(f"unknown key {key!r} in {where} (allowed: {', '.join(sorted(allowed))})",
                              node.key_lines[key], path)


def _resolve_path(value: object, line: int, base: Path, path: Path, what: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{what} must be a path", line, path)
    p = Path(value).expanduser()
    return p if p.is_absolute() else (base / p).resolve()


def requested_years(node: _Node | None, district_years: list[int], line: int, path: Path) -> list[int] | None:
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


def _offices(node: _Node | None, district: str | None, data: DataSnapshot, path: Path,
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


def _notebook(value: _Node | None, kind: str, defaults: dict[str, Path], base: Path, path: Path) -> Path:
    if value is None:
        notebook = defaults[kind]
        line = None
    else:
        notebook = _resolve_path(value.value, value.line, base, path, "notebook")
        line = value.line
    if not notebook.is_file():
        raise ConfigError(f"notebook not found: {notebook}", line, path)
    return notebook


def _expand(entry: _Node, defaults: dict, data: DataSnapshot, base: Path, path: Path) -> list[BriefSpec]:
    if not isinstance(entry.value, dict):
        raise ConfigError("each brief is a mapping with at least 'kind'", entry.line, path)
    m: dict[str, _Node] = entry.value
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


def _city_spec(m: dict, entry: _Node, lang: str, data: DataSnapshot, base: Path, path: Path,
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
    root_node = _compose(_read_text(path), path)
    if root_node is None:
        raise ConfigError("the config is empty", None, path)
    root = _plain(root_node, path)
    if not isinstance(root.value, dict):
        raise ConfigError("the config must be a mapping with a 'briefs' list", root.line, path)
    top: dict[str, _Node] = root.value
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
