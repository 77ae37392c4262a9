"""What a brief is, as `gongkai brief`, the notebooks and `gongkai build` all understand it.

One place for: the brief kinds and the notebook each renders by default, the parameters each kind takes
(and the required ones), the languages, the year grammar (parse_years for `--years` and notebook
parameters, parse_year_spec for briefs.yaml, `gongkai brief --years` and notebook parameters, which adds
`all` and `last N years`), the way a list of years is written back (years_label), a brief's file name
(brief_slug), the best-covered years of a district (best_covered_years), and what a wrong name is told:
the closest names that have data (closest_names, "did you mean 平潭综合实验区?") and the sentence for a
district whose only report is its government's own (only_district_wide).

Cheap to import (no pandas, no Jupyter): `gongkai build` plans with it before deciding to render anything.
Errors are ParameterError; briefs.yaml turns them into ConfigError naming the line.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from gongkai.config import NOTEBOOKS_DIR
from gongkai.errors import ParameterError
from gongkai.taxonomy import district_slugs
from gongkai.wording import office_stem, year_span

KINDS = ("district", "office", "city")
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
NOTEBOOK_FILES = {"district": "district_brief.ipynb", "office": "office_brief.ipynb", "city": "city_brief.ipynb"}
PARAMETERS = {"district": ("district", "years", "offices", "lang"), "office": ("office_id", "years", "lang"),
              "city": ("city", "years", "lang")}
REQUIRED = {"district": ("district", "years"), "office": ("office_id", "years"), "city": ("city", "years")}
ALL_YEARS = "all"
LAST_N_YEARS = re.compile(r"^last\s+(\d+)\s+years?$")
YEAR_RANGE = re.compile(r"(\d{4})\s*[-–~]\s*(\d{4})")
YEAR = re.compile(r"\d{4}")
MAX_STEM = 80                # characters of an office id kept in a brief's file name (longer ones end in a hash)
SUGGESTIONS = 3              # closest names offered for a wrong one


def default_notebook(kind: str) -> Path:
    """The project's notebook for a brief kind: notebooks/<kind>_brief.ipynb."""
    return NOTEBOOKS_DIR / NOTEBOOK_FILES[kind]


def parse_years(years: object) -> list[int]:
    """'2009-2017', '2015,2016,2017', 2017, or a list of ints/strings -> sorted unique ints (may be empty).

    A backwards range ('2019-2017') is empty; anything else that is not a year raises ParameterError.
    """
    if years is None:
        return []
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        out: set[int] = set()
        for part in filter(None, (p.strip() for p in years.split(","))):
            match = YEAR_RANGE.fullmatch(part)
            if match:
                out.update(range(int(match[1]), int(match[2]) + 1))
            elif YEAR.fullmatch(part):
                out.add(int(part))
            else:
                raise ParameterError(f"years: {part!r} is not a year or a range like 2009-2017")
        return sorted(out)
    try:
        return sorted({int(y) for y in years})      # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ParameterError(f"years: {years!r} is not a list of years") from None


def parse_year_spec(spec: object, district_years: list[int]) -> list[int] | None:
    """A `years:` value of briefs.yaml -> the requested years, or None for `all` (or no value).

    Accepts 2016, [2015, 2017] (a YAML list of ints), the parse_years strings ('2009-2017', '2015, 2017'),
    'all', and 'last N years': the N latest years counted back from the last of district_years (sorted
    years with data), so the window moves when a new year's reports arrive. Raises ParameterError.
    """
    if spec is None or spec == ALL_YEARS:
        return None
    if isinstance(spec, bool):
        raise ParameterError(f"years: {spec!r} is not a year range")
    if isinstance(spec, int):
        return [spec]
    if isinstance(spec, list):
        if not spec or not all(isinstance(y, int) and not isinstance(y, bool) for y in spec):
            raise ParameterError(f"years: a list must hold years, got {spec!r}")
        return sorted(set(spec))
    if isinstance(spec, str) and (m := LAST_N_YEARS.match(spec.strip())):
        n = int(m.group(1))
        if n < 1:
            raise ParameterError("years: 'last N years' needs N >= 1")
        return [y for y in district_years if y > district_years[-1] - n] if district_years else []
    if isinstance(spec, str):
        try:
            years: list[int] | None = parse_years(spec)
        except ParameterError:
            years = None
        if years == [] and "-" in spec:
            raise ParameterError(f"years: {spec!r} runs backwards")
        if years:
            return years
    raise ParameterError(f"years: {spec!r} is not a year range (e.g. 2009-2017, 'last 5 years', all)")


def is_run(years: list[int]) -> bool:
    """True for consecutive years (one year included), False for a list with gaps or an empty one."""
    return bool(years) and list(years) == list(range(years[0], years[-1] + 1))


def years_label(years: Iterable[int], dash: str = "–", sep: str = ", ") -> str:
    """A run of years as first–last ('2015–2017', '2017'), other lists joined ('2015, 2017'), '' for none."""
    years = sorted(int(y) for y in years)
    return year_span(years, dash) if is_run(years) or not years else sep.join(map(str, years))


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def brief_slug(kind: str, params: Mapping) -> str:
    """ASCII-safe, deterministic file name stem, e.g. district-xicheng-2009-2017 or office-xicheng-yuetan-2017.

    Years with gaps are joined with '_' (2015_2017); a district brief limited to some offices gets a hash
    of their ids (-o1a2b3c4d); a language other than zh is a suffix (-en). Names without an ASCII slug
    (districts.csv) become a hash, so a hostile name never reaches a file name; an office id longer than
    MAX_STEM is cut and ends in a hash of the whole id, so no slug makes a file name too long.
    """
    year_list = parse_years(params.get("years"))
    years = years_label(year_list, dash="-", sep="_")
    if len(years) > MAX_STEM:               # many years with gaps: first-last and a hash of the list
        years = f"{year_list[0]}-{year_list[-1]}-y{_short_hash(years)}"
    if kind == "district":
        name = str(params["district"])
        stem = district_slugs().get(name) or ("d" + _short_hash(name))
        offices = sorted(str(o) for o in params.get("offices") or [])
        suffix = f"-o{_short_hash(','.join(offices))}" if offices else ""
    elif kind == "city":     # a city or province: the hash of its name (issue #11)
        stem, suffix = "c" + _short_hash(str(params["city"])), ""
    else:
        office_id = str(params["office_id"])
        stem = office_stem(office_id)
        if not office_id.isascii() or not stem:
            stem = "o" + _short_hash(office_id)
        elif len(stem) > MAX_STEM:          # a file name stays far below the 255 bytes a file system allows
            stem = stem[:MAX_STEM - 9].rstrip("-") + "-" + _short_hash(office_id)
        suffix = ""
    lang = "" if (params.get("lang") or DEFAULT_LANG) == DEFAULT_LANG else "-" + str(params["lang"])
    return f"{kind}-{stem}-{years}{suffix}{lang}"


def is_year_spec_word(years: object) -> bool:
    """True for the briefs.yaml words a --years or notebook `years` may also be: 'all', 'last N years'."""
    return isinstance(years, str) and (years.strip() == ALL_YEARS or bool(LAST_N_YEARS.match(years.strip())))


def best_covered_years(offices_per_year: Mapping[int, int]) -> list[int]:
    """The longest run of consecutive years in which at least half as many offices reported as in the best
    year (the later run on a tie): the years a district brief says most about. [] for no year."""
    if not offices_per_year:
        return []
    enough = max(offices_per_year.values()) / 2
    runs: list[list[int]] = []
    for year in sorted(offices_per_year):
        if offices_per_year[year] < enough:
            continue
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return max(reversed(runs), key=len)


def closest_names(name: object, candidates: Iterable[str], also_known_as: Mapping[str, str] | None = None,
                  n: int = SUGGESTIONS) -> list[str]:
    """The candidates a mistyped name most likely meant, best first (at most n, maybe none).

    Sure matches first and alone: a candidate another name stands for (also_known_as: office name -> id,
    district slug -> district), candidates that contain the name or are contained in it ('平潭' ->
    平潭综合实验区). Without one, the closest spellings ('xicheng.yuetna' -> xicheng.yuetan; difflib, the
    best and those nearly as close).
    """
    text = re.sub(r"\s+", "", str(name or ""))
    pool = list(dict.fromkeys(str(c) for c in candidates))
    if not text or not pool:
        return []
    others = {k: v for k, v in (also_known_as or {}).items() if v in pool}
    sure = [others[text]] if text in others else []
    sure += [c for c in pool if len(text) >= 2 and (text in c or (len(c) >= 2 and c in text))]
    sure += [v for k, v in others.items() if len(text) >= 2 and text in k]
    if sure:
        return list(dict.fromkeys(sure))[:n]
    scored = [(difflib.SequenceMatcher(None, text, c).ratio(), c) for c in pool]
    scored += [(difflib.SequenceMatcher(None, text, k).ratio(), v) for k, v in others.items()]
    best = max(score for score, _ in scored)
    if best < 0.5:
        return []
    close = [c for score, c in sorted(scored, key=lambda sc: -sc[0]) if score >= best - 0.1]
    return list(dict.fromkeys(close))[:n]


def did_you_mean(suggestions: list[str]) -> str:
    """'; did you mean 平潭综合实验区?' (or '…A or B?'), '' without a suggestion."""
    if not suggestions:
        return ""
    return "; did you mean " + (suggestions[0] if len(suggestions) == 1
                                else ", ".join(suggestions[:-1]) + " or " + suggestions[-1]) + "?"


def only_district_wide(district: str, governments: list[tuple[str, str]], instead: str) -> str:
    """The sentence for a district brief of a district whose only reports are its government's own.

    governments: (office_id, name) of the district-wide offices with reports; instead: how to ask for their
    office brief where the sentence is read ('gongkai brief office --office-id {id}', a briefs.yaml entry).
    """
    names = "、".join(f"{name} ({office_id})" for office_id, name in governments)
    how = instead.format(id=governments[0][0]) if governments else instead
    return (f"{district} has no report from an office under it, only the district government's own report "
            f"({names}), which covers the whole district and so is not compared with offices under it: "
            f"its office brief shows it ({how})")
