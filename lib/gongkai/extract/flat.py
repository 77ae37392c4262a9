"""Tables flattened into text -> rows of cell values.

Web and PDF copies lose the table grid: cells come one per line, as '|'-separated lines with padding
cells, or run together on one line with the digits of adjacent cells glued ("640020470"). This module
finds the row labels of the standard tables in such text (phrasings from data/table_rows.csv) and reads
the value run that follows each label.

A value run is split into cells only when that is unambiguous: as many tokens as the row has cells, or
glued digits with exactly one split that satisfies the table's own arithmetic (table 三: the 总计 column
is the sum of the applicant columns; table 四: each 总计 is the sum of its four outcomes). When several
splits survive, the column identities of table 三 choose between them (see resolve_glued); a cell
that still has two readings is left unknown. Nothing is emitted rather than a wrong number.
"""
from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.numbers import in_range

log = logging.getLogger(__name__)

CN_PREFIX = re.compile(r"[(（]?[一二三四五六七八九十]{1,2}[)）、]\s*$")
RUN_CHARS = re.compile(r"[\s|]*(?:[+\-]?\d[\d.,]*\s*(?:万元|元)?[\s|]*|[—–/][\s|]*)*")
LABEL_TAIL = re.compile(r"(?:(?![(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|第二十条)"
                        r"[^\d|\n\x00+\-—–/])*")
TOKEN = re.compile(r"[+\-]?\d[\d.,]*(?:万元|元)?|[—–/]")
MAX_SPLITS = 20000       # candidate splits per row before giving up (a run of 40 glued digits is noise)
MAX_COMBINATIONS = 50000  # joint table-三 combinations tried before giving up
MAX_DIGITS = 7            # a glued cell longer than this is not a count of requests


@dataclass
class Value:
    """One cell's figure: number, the text as printed, its span in Document.text."""
    number: float
    text: str
    start: int
    end: int


@dataclass
class Row:
    """A table row read from a document: its spec, the label as printed, and candidate cell readings.

    candidates holds one list of cells (None = blank/unknown) when the cells were separable, or
    several when glued digits admit several splits that pass the row's own identity.
    """
    spec: object                       # tables.RowSpec
    label: str
    start: int                         # span of the label in Document.text
    end: int
    candidates: list[list[Value | None]] = field(default_factory=list)
    glued: bool = False


@lru_cache(maxsize=None)
def phrase_pattern(phrase: str) -> re.Pattern:
    """A phrase as a regex that tolerates whitespace and line breaks between its characters."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in phrase))


def parse_value(token: str, start: int) -> Value | None:
    """A cell token -> Value; dashes and slashes are printed blanks (None). Amounts keep their unit word."""
    text = token.strip()
    if not text or text in "—–/":
        return None
    digits = text.replace(",", "")
    unit_free = digits.removesuffix("万元").removesuffix("元")
    try:
        number = float(unit_free)
    except ValueError:
        return None
    if not in_range(number):    # beyond numbers.MAX_FIGURE (or inf): no figure a report states (issue 10)
        return None
    return Value(number, text, start, start + len(text))


def label_matches(text: str, start: int, end: int, specs) -> list[tuple[int, int, object]]:
    """Every occurrence of a row label in text[start:end]: (label start, label end, spec), non-overlapping.

    The label start includes its printed prefix ("(三)", "一、", "2."); the end includes a trailing
    parenthetical note such as (区分处理的，只计这一情形，不计其他情形).
    """
    found = []
    for spec in specs:
        for phrase in spec.phrasings:
            for m in phrase_pattern(phrase).finditer(text, start, end):
                s, e = m.start(), m.end()
                if spec.exact:
                    if spec.ordinal:
                        pre = re.search(rf"{spec.ordinal}\s*[.、]\s*$", text[max(start, s - 4):s])
                        if not pre:
                            continue
                        s = max(start, s - 4) + pre.start()
                    if e < len(text) and "\u4e00" <= text[e] <= "\u9fff":
                        continue
                found.append((s, e, spec, len(phrase)))
    found.sort(key=lambda f: (f[0], -f[3]))
    kept: list[tuple[int, int, object]] = []
    for s, e, spec, _ in found:
        if kept and s < kept[-1][1]:
            continue            # inside the previous label's wording (a note naming 行政许可, 行政处罚 …)
        s = _with_prefix(text, s, spec, start)
        e = _with_tail(text, _with_note(text, e, end), end)
        kept.append((s, e, spec))
    return kept


def _with_tail(text: str, e: int, end: int) -> int:
    """The rest of a label's wording (", 行政机关不再处理其政府信息公开申请") up to the first digit, '|',
    line break, or the numbered prefix of the next row ("(一)", "四、", "第二十条")."""
    m = LABEL_TAIL.match(text, e, end)
    return m.end() if m else e


def _with_prefix(text: str, s: int, spec, floor: int) -> int:
    before = text[max(floor, s - 10):s]
    if spec.ordinal and not spec.exact:
        m = re.search(rf"{spec.ordinal}\s*[.、][^\d|\n]{{0,4}}$", before)
        if m:
            return s - (len(before) - m.start())
    m = CN_PREFIX.search(before)
    return s - (len(before) - m.start()) if m else s


def _with_note(text: str, e: int, end: int) -> int:
    m = re.match(r"\s*(?:数量)?\s*[(（](?![一二三四五六七八九十]{1,2}[)）])[^()（）\d]{0,160}[)）]", text[e:min(end, e + 200)])
    return e + m.end() if m else e


def value_run(text: str, start: int, end: int) -> tuple[str, int]:
    """The run of cell values right after a label: digits, blanks, '|' padding; stops at other text."""
    m = RUN_CHARS.match(text, start, end)
    return (m.group(0), start) if m else ("", start)


def tokens(run: str, offset: int) -> list[tuple[str, int]]:
    return [(m.group(0), offset + m.start()) for m in TOKEN.finditer(run)]


def read_run(run: str, offset: int, width: int, signed: bool = False,
             block: int | None = None) -> tuple[list[list[Value | None]], bool]:
    """Cells of a value run: ([cells], False) when separable, (candidate splits, True) when glued.

    block: glued digits are only cut so that in every block of that many cells the last one is the sum
    of the others (7 for a table 三 row, 5 for each group of table 四); None accepts any cut.
    """
    found = tokens(run, offset)
    if not found:
        return [], False
    if len(found) == width:
        return [[parse_value(t, s) for t, s in found]], False
    if len(found) > width or "|" in run or any(t in "—–/" for t, _ in found):
        return [], False
    chunks = []
    for text, pos in found:
        if re.search(r"[^\d+\-]", text):
            return [], False            # decimals or units inside a glued run: no safe split
        for piece in re.finditer(r"[+\-]?\d+", text):
            if piece.group(0)[0] in "+-" and not signed:
                return [], False
            chunks.append((piece.group(0), pos + piece.start()))
    return split_chunks(chunks, width, block), True


def split_chunks(chunks: list[tuple[str, int]], width: int, block: int | None = None) -> list[list[Value]]:
    """Every way to cut whitespace-separated digit chunks into `width` integers without leading zeros
    (and, with block, with each block's last cell the sum of the others); [] when the search exceeds
    MAX_SPLITS steps, since an incomplete list could make a wrong split look unique."""
    steps = 0

    def cuts(i: int, j: int, left: int, acc: float):
        nonlocal steps
        if i == len(chunks):
            if left == 0:
                yield []
            return
        digits, pos = chunks[i]
        rest = digits[j:]
        if not rest:
            yield from cuts(i + 1, 0, left, acc)
            return
        if left <= 0:
            return
        closes = block is not None and (width - left) % block == block - 1
        sign = 1 if rest[0] in "+-" else 0
        for n in range(1 + sign, min(len(rest), MAX_DIGITS + sign) + 1):
            piece = rest[:n]
            body = piece[sign:]
            if len(body) > 1 and body[0] == "0":
                break
            steps += 1
            if steps > MAX_SPLITS:
                return
            number = float(piece)
            if closes and number != acc:
                continue
            for tail in cuts(i, j + n, left - 1, 0.0 if closes else acc + number):
                yield [Value(number, piece, pos + j, pos + j + n)] + tail

    splits = list(cuts(0, 0, width, 0.0))
    return [] if steps > MAX_SPLITS else splits


SUB_LABEL = re.compile(r"[\s|]*([^\d|\n\x00+\-—–/]{2,30}?)[ \t]*(?=\||\n)")


def local_subrows(text: str, start: int, stop: int, width: int) -> tuple[list[str], list[Value]] | None:
    """Rows a report invented under a template row (其他对外管理服务事项 > 行政检查, 行政确认 …), one cell per
    line: each a short label and exactly `width` figures. Returns (sub-labels, column sums) or None."""
    names: list[str] = []
    sums: list[Value] = []
    pos = start
    while pos < stop:
        m = SUB_LABEL.match(text, pos, stop)
        if not m or not re.search(r"[\u4e00-\u9fff]", m.group(1)):
            break
        run, at = value_run(text, m.end(), stop)
        found = tokens(run, at)
        if not found:
            break
        cells = [parse_value(t, p) for t, p in found]
        if len(cells) != width or any(c is None for c in cells):
            return None
        names.append(m.group(1).strip())
        sums = cells if not sums else [Value(a.number + b.number, f"{a.number + b.number:g}", a.start, b.end)
                                       for a, b in zip(sums, cells)]
        pos = at + len(run)
    return (names, sums) if names else None


def row_sum_holds(cells: list[Value | None]) -> bool:
    """Table 三: the 总计 cell (last) equals the sum of the six applicant cells."""
    return all(cells) and abs(sum(c.number for c in cells[:-1]) - cells[-1].number) < 1e-9


def group_sums_hold(cells: list[Value | None]) -> bool:
    """Table 四: in each block of five, the fifth (总计) equals the sum of the first four."""
    if not all(cells):
        return False
    return all(abs(sum(c.number for c in cells[b:b + 4]) - cells[b + 4].number) < 1e-9 for b in (0, 5, 10))


def resolve_glued(rows: dict[str, Row], identities: list[tuple[list[str], list[str]]]) -> dict[str, list[Value | None]]:
    """Pick one reading per row. Rows with one candidate keep it; glued rows with several candidates are
    chosen jointly so that every column satisfies each identity (sum of left rows = sum of right rows,
    checked only when all its rows are present). A cell is kept only if all surviving combinations agree.
    """
    fixed = {key: row.candidates[0] for key, row in rows.items() if len(row.candidates) == 1}
    open_keys = [key for key, row in rows.items() if len(row.candidates) > 1]
    if not open_keys:
        return fixed
    total = 1
    for key in open_keys:
        total *= len(rows[key].candidates)
    if total > MAX_COMBINATIONS:
        log.info("table 三: %d glued combinations, too many to resolve; ambiguous rows left out", total)
        return fixed
    usable = [(left, right) for left, right in identities if all(k in rows for k in left + right)]
    survivors = []
    for combo in itertools.product(*(rows[k].candidates for k in open_keys)):
        chosen = dict(fixed, **dict(zip(open_keys, combo)))
        if all(_identity_holds(chosen, left, right) for left, right in usable):
            survivors.append(combo)
    resolved = dict(fixed)
    if not survivors:
        return resolved
    for i, key in enumerate(open_keys):
        readings = [combo[i] for combo in survivors]
        width = len(readings[0])
        cells: list[Value | None] = []
        for c in range(width):
            numbers = {r[c].number if r[c] else None for r in readings}
            cells.append(readings[0][c] if len(numbers) == 1 and None not in numbers else None)
        resolved[key] = cells
    return resolved


def _identity_holds(chosen: dict[str, list[Value | None]], left: list[str], right: list[str]) -> bool:
    width = len(next(iter(chosen.values())))
    for c in range(width):
        cells = [chosen[k][c] for k in left + right]
        if any(cell is None for cell in cells):
            continue
        lhs = sum(chosen[k][c].number for k in left)
        rhs = sum(chosen[k][c].number for k in right)
        if abs(lhs - rhs) > 1e-9:
            return False
    return True
