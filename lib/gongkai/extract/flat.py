"""Tables flattened into text -> sightings of rows: a label and the figures printed after it.

Web and PDF copies lose the table grid: cells come one per line, as '|'-separated lines with padding
cells, or run together on one line with the digits of adjacent cells glued ("640020470"). This module
finds the row labels of the standard tables in such text (phrasings from data/table_rows.csv), skips the
column headers a layout prints between a label and its figures (data/tables.csv), and takes the run of
figures that follows, up to the next label.

cut_run turns a run into candidate cells. Figures apart from each other are the cells when there are as
many as the row has. Glued digits are cut into integers without leading zeros: a run with a single possible
cut is read as printed (its arithmetic is then the checks' business); a run with several cuts keeps those
whose blocks add up (block: in each block of cells the last is the sum of the others, as table 三's 总计
column and table 四's totals are), and the reader lets the table's identities choose among what remains
(resolve_glued). A cell that still has two readings is left unknown. Nothing is emitted rather than a wrong
number.
"""
from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable
from functools import lru_cache

from gongkai.extract.rows import Row, RowSpec, Sighting, Value, parse_cell

log = logging.getLogger(__name__)

CN_PREFIX = re.compile(r"[(（]?[一二三四五六七八九十]{1,2}[)）、]\s*$")
RUN_CHARS = re.compile(r"[\s|:：]*(?:[+\-]?\d[\d.,]*\s*(?:万元|元)?[\s|、]*|[—–/][\s|、]*)*")   # '：5、1、0…'
LABEL_TAIL = re.compile(r"(?:(?![(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|第二十条)"
                        r"[^\d|\n\x00+\-—–/])*")
# the printed ordinal of the next row ("2." "3、") glued to the last figure of a run: "00000002.其他法律…"
NEXT_ORDINAL = re.compile(r"[1-9]\s*[.、]?\s*$")
CJK = re.compile(r"[\u4e00-\u9fff“\"]")
TOKEN = re.compile(r"[+\-]?\d[\d.,]*(?:万元|元)?|[—–/]")
BLANKS = "—–/"
MAX_SPLITS = 20000       # candidate splits per row before giving up (a run of 40 glued digits is noise)
MAX_COMBINATIONS = 50000  # joint table-三 combinations tried before giving up
MAX_DIGITS = 7            # a glued cell longer than this is not a count of requests


@lru_cache(maxsize=None)
def phrase_pattern(phrase: str) -> re.Pattern:
    """A phrase as a regex that tolerates whitespace and line breaks between its characters."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in phrase))


def label_matches(text: str, start: int, end: int, specs: list[RowSpec]) -> list[tuple[int, int, RowSpec]]:
    """Every occurrence of a row label in text[start:end]: (label start, label end, spec), non-overlapping.

    The label start includes its printed prefix ("(三)", "一、", "2."); the end includes a trailing
    parenthetical note such as (区分处理的，只计这一情形，不计其他情形) and the rest of the label's wording up
    to the first figure, line break or next label.
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
    kept: list[tuple[int, int, RowSpec]] = []
    for s, e, spec, _ in found:
        if kept and s < kept[-1][1]:
            continue            # inside the previous label's wording (a note naming 行政许可, 行政处罚 …)
        kept.append((_with_prefix(text, s, spec, start), _with_note(text, e, end), spec))
    return [(s, _with_tail(text, e, kept[i + 1][0] if i + 1 < len(kept) else end), spec)
            for i, (s, e, spec) in enumerate(kept)]


def _with_tail(text: str, e: int, end: int) -> int:
    """The rest of a label's wording (", 行政机关不再处理其政府信息公开申请") up to the first digit, '|',
    line break, the next label, or the numbered prefix of the next row ("(一)", "四、", "第二十条")."""
    m = LABEL_TAIL.match(text, e, end)
    return m.end() if m else e


def _with_prefix(text: str, s: int, spec: RowSpec, floor: int) -> int:
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


def skip_headers(text: str, pos: int, end: int, headers: tuple[str, ...]) -> int:
    """Past the column headers a layout prints between a row label and its figures ("行政复议\\n结果维持\\n…
    总计\\n1"), when nothing but headers stands there."""
    while True:
        m = re.compile(r"[\s|]*").match(text, pos, end)
        at = m.end()
        hit = next((h for h in headers if phrase_pattern(h).match(text, at, end)), None)
        if hit is None:
            return pos
        pos = phrase_pattern(hit).match(text, at, end).end()


def value_run(text: str, start: int, end: int) -> tuple[str, int]:
    """The run of cell values right after a label: digits, blanks, '|' padding; stops at other text. A last
    digit that is the next row's printed ordinal ("…00000002.其他", "…条02、传真") is not part of the run."""
    m = RUN_CHARS.match(text, start, end)
    run = m.group(0) if m else ""
    stop = start + len(run)
    dotted = run.rstrip().endswith((".", "、")) and CJK.match(text, stop)
    marked = text[stop:stop + 1] in (".", "、") and CJK.match(text, stop + 1)
    if run and (dotted or marked):
        ordinal = NEXT_ORDINAL.search(run)
        if ordinal:
            run = run[:ordinal.start()]
    return run, start


def tokens(run: str, offset: int) -> list[tuple[str, int]]:
    return [(m.group(0), offset + m.start()) for m in TOKEN.finditer(run)]


def flat_sightings(masked: str, specs: list[RowSpec], region: tuple[int, int],
                   headers: tuple[str, ...] = ()) -> list[Sighting]:
    """Every row label of a table flattened in text, with the figures printed after it (column headers
    skipped). Table 二 rows a report split into its own sub-rows come back as their column sums."""
    found = []
    matches = label_matches(masked, region[0], region[1], specs)
    for i, (start, end, spec) in enumerate(matches):
        stop = matches[i + 1][0] if i + 1 < len(matches) else region[1]
        at = skip_headers(masked, end, stop, headers)
        run, at = value_run(masked, at, stop)
        figures = tokens(run, at)
        more = headed_cells(masked, at + len(run), stop, headers) if figures else []
        apart = len(figures) > 1 and all(re.search(r"[\n|]", masked[a + len(t):b])
                                         for (t, a), (_, b) in zip(figures, figures[1:]))
        found.append(Sighting(spec, masked[start:end], start, end, figures + more, separable=False,
                              glue_ok="|" not in run and not any(b in run for b in BLANKS) and not more,
                              apart=apart or bool(more)))
        if spec.table == "2" and spec.width > 1 and len(found[-1].tokens) != spec.width:
            invented = local_subrows(masked, end, stop, spec.width)
            if invented:    # the reference says: sum a report's own sub-rows into the template row
                found[-1] = Sighting(spec, f"{masked[start:end]}({'+'.join(invented[0])})", start, end,
                                     [(v.text, v.start) for v in invented[1]], separable=True,
                                     source="subrows")
    return found


def headed_cells(text: str, pos: int, stop: int, headers: tuple[str, ...]) -> list[tuple[str, int]]:
    """Cells printed each after its column header ('结果维持 1\n结果纠正 0\n…总计 1'): the figures of the runs
    that follow header words, up to the first run that no header opens; [] when there are none."""
    found: list[tuple[str, int]] = []
    while pos < stop:
        at = skip_headers(text, pos, stop, headers)
        if at == pos:
            break
        run, at = value_run(text, at, stop)
        cells = tokens(run, at)
        if not cells:
            break
        found += cells
        pos = at + len(run)
    return found


def cut_run(found: list[tuple[str, int]], width: int, signed: bool = False, block: int | None = None,
            glue_ok: bool = True) -> tuple[list[list[Value | None]], bool, str]:
    """Candidate cells of a run of figures: (readings, glued, why none). Figures apart from each other are
    the cells when there are exactly `width` of them. Glued digits: the only possible cut is taken as
    printed; with several cuts, those whose blocks add up (see split_chunks) remain."""
    if not found:
        return [], False, "no figures"
    if len(found) == width:
        return [[parse_cell(t, s) for t, s in found]], False, ""
    shown = " ".join(t for t, _ in found)
    if len(found) > width or not glue_ok:
        return [], False, f"{len(found)} figures for {width} columns ({shown})"
    chunks = []
    for text, pos in found:
        if re.search(r"[^\d+\-]", text):
            return [], False, f"{len(found)} figures for {width} columns ({shown})"
        for piece in re.finditer(r"[+\-]?\d+", text):
            if piece.group(0)[0] in "+-" and not signed:
                return [], False, f"signed figures in '{shown}'"
            chunks.append((piece.group(0), pos + piece.start()))
    splits = split_chunks(chunks, width, limit=2)
    if splits is not None and len(splits) == 1:
        return splits, True, ""
    if splits == []:
        return [], True, f"'{shown}' cannot be cut into {width} figures"
    kept = split_chunks(chunks, width, block)
    if not kept:
        why = "too many ways to cut" if kept is None else "no cut adds up"
        return [], True, f"'{shown}': {why} into {width} figures"
    return kept, True, ""


def split_chunks(chunks: list[tuple[str, int]], width: int, block: int | None = None,
                 limit: int | None = None) -> list[list[Value]] | None:
    """Every way to cut whitespace-separated digit chunks into `width` integers without leading zeros
    (and, with block, with each block's last cell the sum of the others); None when the search exceeds
    MAX_SPLITS steps, since an incomplete list could make a wrong split look unique. limit: stop after that
    many cuts (enough to tell one possible cut from several)."""
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

    splits = list(itertools.islice(cuts(0, 0, width, 0.0), limit))
    return None if steps > MAX_SPLITS else splits


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
        cells = [parse_cell(t, p) for t, p in found]
        if len(cells) != width or any(c is None for c in cells):
            return None
        names.append(m.group(1).strip())
        sums = cells if not sums else [Value(a.number + b.number, f"{a.number + b.number:g}", a.start, b.end)
                                       for a, b in zip(sums, cells)]
        pos = at + len(run)
    return (names, sums) if names else None


def resolve_glued(rows: dict[str, Row], failures: Callable[[dict[str, list[Value | None]]], int] | None
                  ) -> tuple[dict[str, list[Value | None]], list[str]]:
    """Pick one reading per row: (cells by row, rows left partly unknown). Rows with one candidate keep it;
    glued rows with several candidates are chosen jointly: the combinations under which the table's
    identities fail least often survive (failures: rows -> number of identity failures, see
    gongkai.identities; None for a table whose rows do not constrain each other), and a cell is kept only if
    all surviving combinations agree on it. Too many combinations: each row keeps what its readings agree on.
    """
    fixed = {key: row.candidates[0] for key, row in rows.items() if len(row.candidates) == 1}
    open_keys = [key for key, row in rows.items() if len(row.candidates) > 1]
    if not open_keys:
        return fixed, []
    total = 1
    for key in open_keys:
        total *= len(rows[key].candidates)
    if failures is None or total > MAX_COMBINATIONS:
        if failures is not None:
            log.info("%d glued combinations, too many to resolve jointly; each row keeps what its cuts agree on",
                     total)
        survivors = [[(c,) for c in rows[k].candidates] for k in open_keys]
        resolved = dict(fixed)
        for key, readings in zip(open_keys, survivors):
            resolved[key] = _agreed([r[0] for r in readings])
    else:
        scored = [(failures(dict(fixed, **dict(zip(open_keys, combo)))), combo)
                  for combo in itertools.product(*(rows[k].candidates for k in open_keys))]
        least = min(score for score, _ in scored)
        survivors = [combo for score, combo in scored if score == least]
        resolved = dict(fixed)
        for i, key in enumerate(open_keys):
            resolved[key] = _agreed([combo[i] for combo in survivors])
    return resolved, [key for key in open_keys if any(cell is None for cell in resolved[key])]


def _agreed(readings: list[list[Value | None]]) -> list[Value | None]:
    """The cells every reading agrees on; None where they differ."""
    cells: list[Value | None] = []
    for c in range(len(readings[0])):
        numbers = {r[c].number if r[c] else None for r in readings}
        cells.append(readings[0][c] if len(numbers) == 1 and None not in numbers else None)
    return cells


__all__ = ["label_matches", "skip_headers", "value_run", "tokens", "flat_sightings", "cut_run", "split_chunks",
           "local_subrows", "resolve_glued", "phrase_pattern", "MAX_SPLITS"]
