"""Report meta from a Document: office and district, data year, title year, template era, full or partial period.

Data year: the 统计期限 sentence first (dates whose 年/月/日 were dropped by a converter are tolerated), then
"2017年共主动公开…" style statements, then the title, then the most mentioned year. The era comes from
extract.era (signature strings of the templates) and falls back on the year only when an excerpt carries
none. What the meta lacks or shows (no office, no year, a partial period, a title year that is not the data
year) stays data on ReportMeta; gongkai.checks reports it.
"""
from __future__ import annotations

import collections
import logging
import re
from pathlib import Path

from gongkai.extract.era import detect_era
from gongkai.model import Document, ReportMeta

log = logging.getLogger(__name__)

HEAD_CHARS = 1500          # the title sits in the first lines of a page
YEAR = r"(?:19[89]\d|20[0-4]\d)"
_TITLE = re.compile(r"(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:年度)?\s*(?:报告|年报)")
_TITLE_YEAR = re.compile(rf"({YEAR})\s*年?度?")
_DATE = rf"{YEAR}\s*年?\s*\d{{0,2}}\s*月?\s*\d{{0,2}}\s*日?|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
_PERIOD = re.compile(rf"统计(?:期限|时限|时间|区间)[^0-9\n]{{0,8}}(?P<a>{YEAR}[\d年月日 ]{{0,12}}?)[^0-9\n至到]{{0,16}}?"
                     rf"(?:至|到|-|—|~)\s*(?P<b>(?:{_DATE}))")
_STATED_YEAR = re.compile(rf"({YEAR})\s*年度?[^。\n;；]{{0,25}}?(?:共|累计|全年)?(?:主动公开|收到|受理|发布|公开)")
_ANY_YEAR = re.compile(rf"({YEAR})\s*年")
_PARTIAL = re.compile(rf"(?:截至|截止到|截止至|截止)\s*(?:({YEAR})\s*年)?\s*(\d{{1,2}})\s*月(?:底|末|份|(\d{{1,2}})日)?")
_HALF_YEAR = re.compile(r"上半年|1-6月|1至6月|一季度|前三季度")
_ORG = re.compile(r"由(?P<org>[\u4e00-\u9fff()（）、\n]{2,40}?)(?:编制|制作|编写)")
_SHORT_NAME_NOTE = re.compile(r"[(（]以下简称[^()（）]*[)）]|\n")
_PLACE_ONLY = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}?(?:省|市|区|县))+$")
_SENTENCE_WORDS = re.compile(r"本报告|根据|依据|按照|《")   # a sentence about the report, not its title
_NAV = re.compile(r"^.*(?:>>|>|›|»)\s*")
_DISTRICT = re.compile(r"^(?:北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,5}省)?(?:[\u4e00-\u9fff]{2,5}市)?"
                       r"(?P<district>[\u4e00-\u9fff]{1,6}?(?:区|县))(?P<rest>.*)$")
_CITY_OFFICE = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}省)?(?P<city>北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,5}?市)"
                          r"[\u4e00-\u9fff]{2,}")
_OFFICE_SUFFIX = re.compile(r"(?:街道|街|办事处|筹备处|镇|乡|局|委员会|委|办|办公室|政府|厅|中心|区|县|市|管委会|队|所|院|会|站)(?:\(.*\))?$")
_GENERIC_REST = {"人民政府", "政府", "人民政府办公室"}
_LABEL_PREFIX = re.compile(r"^.*[:：]")          # '名 称: …', '标题:…' before the title
_NOT_A_NAME = re.compile(r"^(?:本级|本机关|本单位|本部门|本街道|本镇|各)")
_OFFICE_NOISE = re.compile(r"^(?:\d{4}年度?|首页|当前位置|您当前所在的位置|返回首页)+|[\s:：]+")


def _parse_date(blob: str, default_year: int | None) -> tuple[int | None, int | None, int | None]:
    """'2017年1月1日' / '201711日' / '20171231日' / '12月31日' -> (year, month, day); parts may be None."""
    s = re.sub(r"\s+", "", blob)
    year = None
    m = re.match(rf"({YEAR})年?", s)
    if m:
        year, s = int(m.group(1)), s[m.end():]
    else:
        year = default_year
    month = day = None
    m = re.match(r"(\d{1,2})月(?:(\d{1,2})日?)?", s)
    if m:
        month, day = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    else:
        digits = re.match(r"(\d{1,4})日?", s)
        if digits:  # 年月 dropped: "11" -> 1/1, "1231" -> 12/31, "121" -> 12/1
            d = digits.group(1)
            if len(d) == 2:
                month, day = int(d[0]), int(d[1])
            elif len(d) == 4:
                month, day = int(d[:2]), int(d[2:])
            elif len(d) == 3:
                month, day = (int(d[:2]), int(d[2])) if int(d[:2]) <= 12 else (int(d[0]), int(d[1:]))
    return year, month, day


def period(text: str) -> tuple[int | None, bool | None, str]:
    """From the 统计期限 sentence: (end year, whether it is one whole calendar year, the phrase)."""
    m = _PERIOD.search(text)
    if not m:
        return None, None, ""
    y1, m1, d1 = _parse_date(m.group("a"), None)
    y2, m2, d2 = _parse_date(m.group("b"), y1)
    if y2 is None:
        return None, None, m.group(0)
    full = (y1 == y2 and m1 in (1, None) and d1 in (1, None) and m2 in (12, None) and d2 in (31, None))
    if y1 and y2 == y1 + 1 and (m1 or 1) <= 2 and (m2 or 12) <= 2:
        return y1, False, m.group(0)   # a year shifted by a few days (1月5日 to next 1月6日) is about the first
    return y2, full, m.group(0)


def _title(doc: Document) -> tuple[str, int | None, str]:
    """(title line, its year, office words around the year) from the header title or the first lines.

    Pages often carry a bare heading ('政府信息公开年报' under the site's name) before the report's own title:
    the first title line that names a year and an office wins, then one with a year, then one with an office.
    """
    candidates = []
    if doc.header.get("title"):
        candidates.append(doc.header["title"])
    lines = [line.strip() for line in doc.text[:HEAD_CHARS].split("\n") if line.strip()]
    for i, line in enumerate(lines):
        # a title broken over two lines ("…政府信息公开" / "工作年度报告"); a complete title is not joined to
        # the page chrome above it ("登录 注册", a date, the site's name)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        joined = line + following if following and "报告" not in line and len(line) <= 40 \
            and not _starts_late(_TITLE.search(following)) else ""
        candidates += [line, joined] if joined.endswith(("报告", "年报")) else [line]
    found = []
    for i, line in enumerate(candidates):
        previous = candidates[i - 1] if i else ""
        if "报告" not in line and "年报" not in line:
            continue
        line = _NAV.sub("", line)
        m = _TITLE.search(line)
        if not m or m.start() > 60:
            continue
        prefix = _LABEL_PREFIX.sub("", line[:m.start()]).strip()
        sentence = bool(_SENTENCE_WORDS.search(prefix))   # its year may be the report's, its words are no name
        years = list(_TITLE_YEAR.finditer(prefix))
        year = int(years[-1].group(1)) if years else None
        if years:
            before, after = prefix[:years[-1].start()], prefix[years[-1].end():]
            office = _clean_office(after if len(after.strip()) >= 2 else before)
        else:
            office = _clean_office(prefix)
        if not office and previous and len(previous) <= 30:
            office = _clean_office(previous)
        if sentence:
            office = ""
        found.append((line[:m.end()], year, office, sentence))
        if year and office:
            break
    titles = [f for f in found if not f[3]]
    best = next((f for f in titles if f[1] and f[2]), None) or next((f for f in titles if f[1]), None) \
        or next((f for f in titles if f[2]), None) or next((f for f in found if f[1]), None) \
        or (found[0] if found else ("", None, "", False))
    return best[:3]


def _starts_late(m: re.Match | None) -> bool:
    """A title match with words before it ('某区2018年政府信息公开工作年度报告') is a complete title."""
    return m is not None and m.start() > 0


def _clean_office(words: str) -> str:
    words = _OFFICE_NOISE.sub("", words or "")
    words = re.sub(r"^[^\u4e00-\u9fff]+", "", words)      # bullets, dates, dashes of the page chrome
    words = re.sub(r"^(?:关于|现将|特向社会公布|公布|相关解读)", "", words)
    words = re.sub(rf"{YEAR}年度?$", "", words)
    if _NOT_A_NAME.match(words):                 # '本级政府(机关)', '各委办局和各街、乡(镇)'
        return ""
    return words if 2 <= len(words) <= 30 and _OFFICE_SUFFIX.search(words) else ""


def split_district(office: str) -> tuple[str, str]:
    """'西城区月坛街道' -> ('月坛街道', '西城区'); '上海市科委' -> ('上海市科委', '上海市') (a city's own office keeps
    its name); names without a district or city prefix come back unchanged."""
    m = _DISTRICT.match(office)
    if m and m.group("rest") and len(m.group("rest")) >= 2:
        rest = re.sub(r"^人民政府(?=.{2,})", "", m.group("rest"))
        if rest in _GENERIC_REST:
            return m.group("district") + rest, m.group("district")
        return rest, m.group("district")
    if m and not m.group("rest"):               # '北京市朝阳区2017年…报告': the district's government
        return m.group("district") + "人民政府", m.group("district")
    city = _CITY_OFFICE.match(office)           # '上海市人民政府办公厅': a city's own office, district 上海市
    if city:
        return office, city.group("city")
    return office, ""


def data_year(text: str, title_year: int | None) -> tuple[int | None, bool | None, str]:
    """(data year, full calendar year or None when unknown, 统计期限 phrase)."""
    year, full, phrase = period(text)
    if year:
        return year, full, phrase
    stated = collections.Counter(int(y) for y in _STATED_YEAR.findall(text))
    if stated:
        best = max(stated.values())
        first = next(int(y) for y in _STATED_YEAR.findall(text) if stated[int(y)] == best)
        if title_year is None or stated.get(title_year, 0) < best:
            return first, None, ""
    if title_year:
        return title_year, None, ""
    mentioned = collections.Counter(int(y) for y in _ANY_YEAR.findall(text))
    return (mentioned.most_common(1)[0][0] if mentioned else None), None, ""


def _partial(text: str, year: int | None) -> str:
    """The phrase that shows a partial period (截至11月底, 上半年), or ''."""
    for m in _PARTIAL.finditer(text):
        y = int(m.group(1)) if m.group(1) else year
        if y == year and int(m.group(2)) < 12:
            return m.group(0)
    head = text[:HEAD_CHARS]
    m = _HALF_YEAR.search(head)
    if m and "报告" in head[max(0, m.start() - 40): m.end() + 40]:
        return m.group(0)
    return ""


def extract_meta(doc: Document) -> ReportMeta:
    """ReportMeta of a Document. What it lacks (no office, no year) or shows (a title year that is not the
    data year, a partial period) is recorded as data here and reported by gongkai.checks."""
    text = doc.text
    _, title_year, office = _title(doc)
    if not office or _PLACE_ONLY.match(office):  # '北京市…年度报告': the body may name the office ('由…编制')
        m = _ORG.search(text[:HEAD_CHARS * 2])
        org = _clean_office(_SHORT_NAME_NOTE.sub("", m.group("org"))) if m else ""
        staff = "人民政府" in org and not org.endswith("人民政府")   # the government's own office compiled it
        office = org if org and not _PLACE_ONLY.match(org) and not (office and staff) else office or org
    if _PLACE_ONLY.match(office) and not office.endswith(("区", "县")):
        office += "人民政府"                     # a city's own report ('某市2012年…报告')
    district = ""
    if office:
        office, district = split_district(office)
    office = office or doc.header.get("office", "")
    district = district or doc.header.get("district", "")
    if not office:
        office = Path(doc.path).parent.name if doc.path else ""
    year, full, phrase = data_year(text, title_year)
    meta = ReportMeta(office=office, district=district, year=year, title_year=title_year,
                      era=detect_era(text, year), full_year=full is not False, period=phrase)
    if full is not False and year:
        meta.partial = _partial(text, year)
        meta.full_year = not meta.partial
    log.debug("meta %s: %s", doc.path, meta)
    return meta


__all__ = ["extract_meta", "data_year", "period", "split_district"]
