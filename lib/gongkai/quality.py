"""The data-quality section in plain words: one sentence per finding, for an office head, not a programmer.

Each check's sentence is a row of data/finding_texts.csv (check, metric, when, group, zh, en): the first row
whose check and metric match (metric empty: any; check '*': any check) and whose `when` holds ('more':
actual > expected, 'less': actual < expected, 'over100': actual > 100, 'expected_over100': expected > 100,
'several': one figure restated more than one other way, empty: always) gives the template. Placeholders:
{office} {year} {prev} (year − 1) {metric} {dim} (labels, never ids; {metric} names its dim when it has one)
{expected} {actual} {diff} {unit} {detail} {about} {years} {count} {values}. A row in group 'hidden' keeps
its finding out of the brief.

What never reaches the reader: check codes, local paths (a source is its URL or the file name alone),
the same finding twice (one per applicant column of table 三: the 总计 column's kept; one per report of a
conflicting pair; each other way a figure is restated: merged into one sentence), and two
kinds of false alarm the extractor still produces (false_alarm): a figure made of table cells whose
digits ran together (1000001 read from "1" and "1"), and a 0 read from words of a table heading.
Groups, in this order: figures that may be wrong / figures missing / report dated or partial.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from gongkai import taxonomy
from gongkai.links import source_label

APPLICANT_DIMS = tuple(row["id"] for row in taxonomy.table("applicants"))
GROUPS = ("wrong", "missing", "period")
GROUP_LABELS = {"zh": {"wrong": "可能有误的数字", "missing": "缺少的数字", "period": "报告日期或期间"},
                "en": {"wrong": "Figures that may be wrong", "missing": "Figures missing",
                       "period": "Report dated or partial"}}
COLUMNS = ["group", "office_id", "office", "year", "sentence", "source"]
RUN_TOGETHER = re.compile(r"^[1-9]\d*0{3,}[1-9]\d*$")   # 1000001, 4200006: cells "1" "0" "0" … read as one
RUN_TOGETHER_RATIO = 100                                 # …and far from the figure it is compared with
DISCARDED_QUOTE = re.compile(r"says [^(]*\((?P<quote>[^()]*)\); kept")   # the figure a conflict set aside
DETAIL = re.compile(r":\s*(?P<detail>[^:]+)$")
TOTAL_DIMS = ("", "total")
RESTATED = ("text_vs_table", "restated_differently")


@lru_cache(maxsize=None)
def _templates() -> tuple[dict[str, str], ...]:
    return taxonomy.table("finding_texts")


@lru_cache(maxsize=None)
def heading_words() -> frozenset[str]:
    """Words table 三 and 四 print as row and column headings (table_rows.csv, applicants.csv)."""
    words = set()
    for row in taxonomy.table("table_rows"):
        if row["table"] in ("3", "4"):
            for label in filter(None, re.split(r"[;| ]", row.get("columns", "") or "")):
                words.add(label)
    words |= {row["zh"] for row in taxonomy.table("applicants")}
    return frozenset(w for w in words if len(w) >= 2)


def _number(value, separators: bool = True) -> str:
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if separators else text.replace(",", "")


def _run_together(value: float, other: float) -> bool:
    if pd.isna(value) or not float(value).is_integer() or not RUN_TOGETHER.match(str(int(value))):
        return False
    return pd.isna(other) or other == 0 or abs(value) / abs(other) >= RUN_TOGETHER_RATIO


def false_alarm(finding: pd.Series) -> bool:
    """True for a finding that says more about reading the report than about the report: one of its two
    figures is table cells run together, or the figure set aside is a 0 read from a table heading."""
    expected, actual = finding.get("expected"), finding.get("actual")
    if _run_together(actual, expected) or _run_together(expected, actual):
        return True
    if finding.get("check") in ("text_vs_table", "restated_differently") and actual == 0 and (expected or 0) > 0:
        match = DISCARDED_QUOTE.search(str(finding.get("message") or ""))
        quote = match.group("quote") if match else ""
        return not re.search(r"\d", quote) and any(word in quote for word in heading_words())
    return False


def _template(check: str, metric: str, expected, actual, several: bool = False) -> dict[str, str]:
    for row in _templates():
        if row["check"] not in (check, "*") or row["metric"] not in ("", metric):
            continue
        when = row["when"]
        if when == "more" and not (pd.notna(actual) and pd.notna(expected) and actual > expected):
            continue
        if when == "less" and not (pd.notna(actual) and pd.notna(expected) and actual < expected):
            continue
        if when == "over100" and not (pd.notna(actual) and actual > 100):
            continue
        if when == "expected_over100" and not (pd.notna(expected) and expected > 100):
            continue
        if when == "several" and not several:
            continue
        return row
    raise LookupError("finding_texts.csv needs a '*' row")      # the table always ends with one


def _dim_label(dim: str, lang: str) -> str:
    for name in ("categories", "channels", "applicants"):
        labels = taxonomy.labels(name, lang)
        if dim in labels:
            return labels[dim]
    return str(dim).split(":", 1)[-1]


def sentence(finding, lang: str = "zh") -> tuple[str, str]:
    """(group, sentence) of one finding row (office, year, check, metric, dim, expected, actual, message)."""
    get = finding.get
    check, metric = str(get("check") or ""), str(get("metric") or "")
    expected, actual = get("expected"), get("actual")
    others = list(get("others") or [])
    row = _template(check, metric, expected, actual, several=len(others) > 1)
    if row["group"] == "hidden":
        return "hidden", ""
    year = get("year")
    year_text = "" if year is None or pd.isna(year) else str(int(year))
    detail = ""
    if check == "partial_period":
        match = DETAIL.search(str(get("message") or ""))
        if match:
            detail = ("（{}）" if lang == "zh" else " ({})").format(match.group("detail").strip())
    dim = str(get("dim") or "")
    dim_label = _dim_label(dim, lang)
    metric_label = taxonomy.metric_label(metric, lang) if metric else ""
    if metric_label and dim and dim not in TOTAL_DIMS:
        metric_label += f"（{dim_label}）" if lang == "zh" else f" ({dim_label})"
    about = (f"（{metric_label}）" if lang == "zh" else f" ({metric_label})") if metric_label else ""
    diff = abs(actual - expected) if pd.notna(actual) and pd.notna(expected) else None
    unit = taxonomy.metric_unit(metric) if metric and (lang == "zh" or taxonomy.metric_unit(metric) == "%") else ""
    values = ("、" if lang == "zh" else ", ").join(_number(v) + unit for v in [expected, *others])
    if check == "title_year":                       # years, not counts: 2017, never 2,017
        expected, actual = (int(v) if pd.notna(v) else v for v in (expected, actual))
    text = row[lang].format(office=get("office") or "", year=year_text, years=year_text,
                            prev=int(year) - 1 if year_text else "", metric=metric_label, dim=dim_label,
                            expected=_number(expected, check != "title_year"),
                            actual=_number(actual, check != "title_year"), diff=_number(diff), unit=unit,
                            detail=detail, about=about, count=len(others) + 1, values=values)
    return row["group"], text


def missing_totals(volume: pd.DataFrame, cover: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One 'figures missing' sentence per office whose reports (with figures) do not state the total of
    items disclosed, naming the years."""
    keys = ["office_id", "year"]
    reports = cover[cover.report_present & (cover.facts > 0)][keys + ["source"]]
    lacking = reports.merge(volume[volume.value.isna()][keys + ["office"]], on=keys)
    row = next(r for r in _templates() if r["check"] == "total_missing")
    rows = []
    for office_id, part in lacking.groupby("office_id", sort=True):
        years = "、".join(map(str, sorted(part.year))) if lang == "zh" else ", ".join(map(str, sorted(part.year)))
        rows.append(dict(group=row["group"], office_id=office_id, office=part.office.iloc[0],
                         year=int(part.year.max()), sentence=row[lang].format(office=part.office.iloc[0], years=years),
                         source=source_label(part.source.iloc[-1])))
    return pd.DataFrame(rows, columns=COLUMNS)


def _merged(findings: pd.DataFrame) -> pd.DataFrame:
    """One finding per office-year, check, metric: the 总计 column's among table 三's applicant columns;
    the other ways one figure was restated gathered in `others` (a list, for {values})."""
    if findings.empty:
        return findings.assign(others=[])
    frame = findings.assign(dim=findings.dim.fillna("").astype(str),
                            _total=findings.dim.fillna("").astype(str).isin(TOTAL_DIMS).map({True: 0, False: 1}))
    columns = frame.dim.isin(APPLICANT_DIMS) & frame.check.str.startswith("T3-")
    per_column = frame[columns].sort_values("_total", kind="stable").drop_duplicates(
        ["office_id", "year", "check", "metric"])
    frame = pd.concat([frame[~columns], per_column]).sort_index()
    keys = ["office_id", "year", "check", "metric", "dim", "expected"]
    restated = frame.check.isin(RESTATED)
    gathered = (frame[restated].groupby(keys, sort=False, dropna=False)
                .agg(**{c: (c, "first") for c in frame.columns if c not in keys + ["actual"]},
                     actual=("actual", "first"), others=("actual", lambda a: list(dict.fromkeys(a))))
                .reset_index())
    rest = frame[~restated].assign(others=[[] for _ in range(int((~restated).sum()))])
    return pd.concat([rest, gathered], ignore_index=True).drop(columns="_total")


def plain_findings(findings: pd.DataFrame, lang: str = "zh", volume: pd.DataFrame | None = None,
                   cover: pd.DataFrame | None = None) -> pd.DataFrame:
    """The findings of a brief (views.findings_of) as sentences, false alarms out, duplicates merged.

    With volume and cover (views.publication_volume, views.coverage of the same selection) the offices
    whose reports leave out the total of items disclosed are added under 'figures missing'.
    Columns: group, office_id, office, year, sentence, source (URL or file name; sources of merged
    findings joined with ' '), ordered by group, office, year.
    """
    rows = []
    for _, finding in _merged(findings[[not false_alarm(f) for _, f in findings.iterrows()]]).iterrows():
        group, text = sentence(finding, lang)
        if group == "hidden":
            continue
        rows.append(dict(group=group, office_id=finding.get("office_id"), office=finding.get("office"),
                         year=finding.get("year"), sentence=text, source=source_label(finding.get("source"))))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if len(frame):
        frame = frame.groupby(["group", "office_id", "office", "year", "sentence"], as_index=False, sort=False).agg(
            source=("source", lambda s: " ".join(dict.fromkeys(x for x in s if x))))
    if volume is not None and cover is not None:
        frame = pd.concat([f for f in (frame, missing_totals(volume, cover, lang)) if len(f)] or [frame],
                          ignore_index=True).drop_duplicates(["group", "office_id", "sentence"])
    order = {g: i for i, g in enumerate(GROUPS)}
    frame = frame.assign(_g=frame.group.map(order)).sort_values(["_g", "office_id", "year"], kind="stable")
    return frame.drop(columns="_g").reset_index(drop=True)[COLUMNS]


__all__ = ["COLUMNS", "GROUPS", "GROUP_LABELS", "false_alarm", "heading_words", "missing_totals",
           "plain_findings", "sentence"]
