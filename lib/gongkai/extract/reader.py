"""The one table reader: a table's description (extract.rows: a TableSpec and its RowSpecs in template order)
applied to the rows sighted in one region of a document (extract.grid, extract.flat), whatever the layout.

1. Layout: the rows that carry figures in this copy, in template order. A group row (（三）不予公开, （六）其他处理)
   carries figures only when none of its sub-rows is printed (fmt2019's single （六）) or when the copy prints
   a subtotal on it.
2. Anchors: sightings whose figures fit their row. A label followed by more figures than its row has, after
   other labels printed with none (a header, then one line of values: table 四's 行政复议 … 复议后起诉 and
   fifteen figures), fills those rows in order.
3. Unlabelled rows of figures (a conversion that tore labels from their figures, a sub-table printed as a
   header row then a value row) are placed between the anchors around them, in template order, when their
   cells fill exactly the rows left empty there.
4. Choice: glued digits with several cuts are chosen jointly so that the table's identities
   (gongkai.identities) fail least; a cell the surviving readings disagree on stays unknown.
5. Gaps: every row that was seen but not read (and, when the table is complete, every row not found), every
   unlabelled row that could not be placed, every cell left unknown, with the reason. Figures are never
   invented: a row that cannot be read consistently is left out and named.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from gongkai.extract.flat import cut_run, resolve_glued
from gongkai.extract.grid import row_values
from gongkai.extract.rows import Row, RowSpec, Sighting, TableSpec, Value, compact_label
from gongkai.identities import identities, table_failures

log = logging.getLogger(__name__)


@dataclass
class TableGap:
    """A row of a table that was seen (or is missing) but not read, or read with cells left unknown."""
    spec: RowSpec | None
    label: str
    why: str


@dataclass
class TableReading:
    """What the reader made of one table: the rows read (label and span) and their chosen cells."""
    rows: dict[str, Row] = field(default_factory=dict)
    cells: dict[str, list[Value | None]] = field(default_factory=dict)
    gaps: list[TableGap] = field(default_factory=list)


@dataclass
class _Anchor:
    sighting: Sighting
    rows: list[RowSpec]
    candidates: list[list[Value | None]]
    glued: bool
    first: int
    last: int


def read_table(tspec: TableSpec, specs: list[RowSpec], sightings: list[Sighting],
               region: tuple[int, int], header: str = "") -> TableReading:
    """Read one table from its sightings (header: the table's text before its first row, where its column
    headers stand); see the module docstring for the steps."""
    sightings = sorted(sightings, key=lambda s: s.start)
    dropped = _dropped_columns(tspec, sightings, header)
    widths = {spec.row: spec.width - len(dropped) if tspec.columns else spec.width for spec in specs}
    template = layout(tspec, specs, sightings, widths)
    reading = TableReading()
    if dropped and tspec.row_check:         # without the column, the rows cannot be checked
        names = "、".join(tspec.column_labels[i] for i in dropped)
        reading.gaps.append(TableGap(None, "", f"the {names} column is not printed: its cells are unknown"))
    attempts: dict[str, list[str]] = {}
    anchors = _anchors(tspec, template, sightings, attempts, widths)
    found: dict[str, tuple[list[list[Value | None]], bool, Sighting | None]] = {}
    for anchor in anchors:
        for spec, cands in zip(anchor.rows, _per_row(anchor.rows, anchor.candidates, widths)):
            found[spec.row] = (cands, anchor.glued, anchor.sighting)
    reading.gaps += _place_unlabelled(sightings, anchors, template, found, region, widths)
    labels = _printed_labels(sightings)
    rows = {}
    for spec in template:
        if spec.row in found:
            cands, glued, sighting = found[spec.row]
            label = sighting.label if sighting and sighting.spec is spec else labels.get(spec.row, spec.phrasings[0])
            start = sighting.start if sighting else cands[0][0].start if cands[0][0] else 0
            rows[spec.row] = Row(spec, label, start, start + len(label), [_padded(c, dropped) for c in cands], glued)
    reading.cells, unsure = _choose(tspec, rows)
    reading.rows = {r: rows[r] for r in reading.cells}
    reading.gaps += _gaps(tspec, template, reading.cells, unsure, attempts, labels, dropped)
    return reading


def _place_unlabelled(sightings: list[Sighting], anchors: list[_Anchor], template: list[RowSpec],
                      found: dict[str, tuple], region: tuple[int, int], widths: dict[str, int]) -> list[TableGap]:
    """Step 3: each stretch between anchors in template order gets the unlabelled rows of figures inside it,
    when they fill its empty rows exactly (found is completed in place); the gaps of those that do not."""
    gaps = []
    orphans = [s for s in sightings if s.spec is None]
    bounds = [(region[0], -1, -1)] + [(a.sighting.start, a.first, a.last) for a in in_order(anchors)] \
        + [(region[1], len(template), len(template))]
    for (a_pos, _, a_last), (b_pos, b_first, _) in zip(bounds, bounds[1:]):
        inside = [o for o in orphans if a_pos <= o.start < b_pos]
        if not inside:
            continue
        pending = [spec for spec in template[a_last + 1:b_first] if spec.row not in found]
        placed = _place(inside, pending, widths)
        if placed is None:
            placed = _place_after_name(sightings, inside, template[a_last + 1:b_first], found, a_pos, widths)
        if placed is None:
            gaps.append(TableGap(None, "", f"{len(inside)} row(s) of figures without a label "
                                           f"{_between(template, a_last, b_first)} could not be placed in the "
                                           f"template's order"))
            continue
        for spec, cells in placed.items():
            found[spec.row] = ([cells], False, None)
    return gaps


def _place_after_name(sightings: list[Sighting], orphans: list[Sighting], stretch: list[RowSpec],
                      found: dict[str, tuple], floor: int, widths: dict[str, int]) -> dict | None:
    """Rows printed as their name on a line of its own (or over a line of headers), then their figures
    ('行政复议 | 结果维持 | …' then '| 1 | 0 | 0 | 0 | 1'): each line of figures fills the one row named without
    figures right before it, when it fits that row. A line of figures after two different such names (labels torn
    from their figures) or after none places nothing."""
    names = [s for s in sightings if s.spec is not None and not s.tokens]
    index = {spec.row: i for i, spec in enumerate(stretch)}
    placed: dict[RowSpec, list[Value | None]] = {}
    for orphan in orphans:
        before = {s.spec.row for s in names if floor <= s.start < orphan.start}
        if len(before) != 1 or next(iter(before)) not in index:
            return None
        spec = stretch[index[next(iter(before))]]
        values, _ = row_values(orphan.tokens, widths[spec.row])
        if values is None or spec.row in found or spec in placed:
            return None
        placed[spec] = values
        floor = orphan.start
    return placed


def _choose(tspec: TableSpec, rows: dict[str, Row]) -> tuple[dict[str, list[Value | None]], list[str]]:
    """Step 4: one reading per row, jointly by the table's per-column identities when it has any."""
    if not any(i.per_column for i in identities(tspec.table)):
        return resolve_glued(rows, None)
    metric = {key: row.spec.metrics[0] for key, row in rows.items()}
    return resolve_glued(rows, lambda chosen: table_failures(
        tspec.table, {metric[k]: [c.number if c else None for c in cells] for k, cells in chosen.items()}))


def layout(tspec: TableSpec, specs: list[RowSpec], sightings: list[Sighting],
           widths: dict[str, int] | None = None) -> list[RowSpec]:
    """The rows that carry figures in this copy, in template order (step 1)."""
    widths = widths or {spec.row: spec.width for spec in specs}
    sighted = {s.spec.row for s in sightings if s.spec}
    members = {spec.row: [m for m in specs if m.group == spec.row] for spec in specs}
    rows = []
    for spec in specs:
        if not spec.metrics:
            continue
        if spec.group and not any(m.row in sighted for m in members.get(spec.group, [])):
            continue                                    # a sub-row of a group printed as one row
        if members[spec.row] and any(m.row in sighted for m in members[spec.row]):
            if not any(s.spec is spec and _readings(tspec, s, widths[spec.row])[0] for s in sightings):
                continue                                # a group label beside its sub-rows, no subtotal
        rows.append(spec)
    return rows


def _dropped_columns(tspec: TableSpec, sightings: list[Sighting], header: str) -> tuple[int, ...]:
    """Positions of the table-wide columns this copy leaves out (table 三 without 总计, a 统计表 without 历年累计).
    Rows printed one figure per cell decide: more of them one figure short than full. Without such rows, a
    table whose header tells (optional_by 'header') leaves the column out when its header is not printed."""
    if not tspec.optional or not tspec.columns:
        return ()
    full, short = len(tspec.columns), len(tspec.columns) - len(tspec.optional)
    counts = [_cell_count(s.tokens, full) for s in sightings if s.spec is not None and s.apart]
    votes_full, votes_short = counts.count(full), counts.count(short)
    compact = compact_label(header)
    printed = all(compact_label(tspec.column_labels[tspec.columns.index(c)]) in compact for c in tspec.optional)
    silent = not votes_full and not votes_short and tspec.optional_by == "header"
    if votes_short > votes_full or (silent and not printed):
        return tuple(tspec.columns.index(c) for c in tspec.optional)
    return ()


def _cell_count(cells: list[tuple[str, int]], width: int) -> int:
    """Cells of a row, blank ones included, without the padding a web copy adds at either end."""
    cells = list(cells)
    while len(cells) > width and not cells[-1][0]:
        cells.pop()
    while len(cells) > width and not cells[0][0]:
        cells.pop(0)
    return len(cells)


def _padded(cells: list[Value | None], dropped: tuple[int, ...]) -> list[Value | None]:
    cells = list(cells)
    for i in sorted(dropped):
        cells.insert(i, None)
    return cells


def _readings(tspec: TableSpec, sighting: Sighting, width: int) -> tuple[list[list[Value | None]], bool, str]:
    if sighting.separable:
        values, why = row_values(sighting.tokens, width)
        return ([values] if values else []), False, why
    block = tspec.glue_block if tspec.glue_block and width % tspec.glue_block == 0 else None
    return cut_run(sighting.tokens, width, tspec.signed, block, sighting.glue_ok)


def _chain(sighting: Sighting, before: list[Sighting], template: list[RowSpec], index: dict[str, int]) -> list[RowSpec]:
    """Rows named right before this label with no figures, in template order up to it (step 2)."""
    chain: list[RowSpec] = []
    want = index[sighting.spec.row] - 1
    for prev in reversed(before):
        if prev.tokens or prev.spec is None or index.get(prev.spec.row) != want:
            break
        chain.insert(0, prev.spec)
        want -= 1
        if want < 0:
            break
    return chain


def _anchors(tspec: TableSpec, template: list[RowSpec], sightings: list[Sighting],
             attempts: dict[str, list[str]], widths: dict[str, int]) -> list[_Anchor]:
    """Step 2: the sightings whose figures fit their row (or the chain of rows named before them), one per row
    (a grid row before text, the first before repeats), in text order; the reasons of those that do not."""
    index = {spec.row: i for i, spec in enumerate(template)}
    found: list[_Anchor] = []
    labelled = [s for s in sightings if s.spec is not None and s.spec.row in index]
    for i, sighting in enumerate(labelled):
        chain = _chain(sighting, labelled[:i], template, index)
        for rows in ([*chain, sighting.spec], [sighting.spec]) if chain else ([sighting.spec],):
            cands, glued, why = _readings(tspec, sighting, sum(widths[r.row] for r in rows))
            if cands:
                found.append(_Anchor(sighting, rows, cands, glued, index[rows[0].row], index[rows[-1].row]))
                break
            if len(rows) == 1 and sighting.tokens:
                attempts.setdefault(sighting.spec.row, []).append(why)
    best: dict[str, _Anchor] = {}
    for anchor in found:                                # a grid row wins over text, the first over repeats
        row = anchor.sighting.spec.row
        if row not in best or (anchor.sighting.source == "grid" and best[row].sighting.source != "grid"):
            best[row] = anchor
    return sorted(best.values(), key=lambda a: a.sighting.start)


def in_order(anchors: list[_Anchor]) -> list[_Anchor]:
    """The longest run of anchors whose template order is their order in the text: what bounds the places of
    unlabelled rows (a sub-table of table 二 printed out of turn still reads, it just bounds nothing)."""
    best: list[list[_Anchor]] = []
    for anchor in anchors:
        fits = [seq for seq in best if seq[-1].last < anchor.first]
        best.append(max(fits, key=len, default=[]) + [anchor])
    return max(best, key=len, default=[])


def _per_row(rows: list[RowSpec], candidates: list[list[Value | None]],
             widths: dict[str, int]) -> list[list[list[Value | None]]]:
    """A chain's readings cut into each row's cells (each row keeps its distinct readings)."""
    out, at = [], 0
    for spec in rows:
        mine: list[list[Value | None]] = []
        for cand in candidates:
            part = cand[at:at + widths[spec.row]]
            if not any(_same(part, seen) for seen in mine):
                mine.append(part)
        out.append(mine)
        at += widths[spec.row]
    return out


def _same(a: list[Value | None], b: list[Value | None]) -> bool:
    return [x.number if x else None for x in a] == [x.number if x else None for x in b]


def _place(orphans: list[Sighting], pending: list[RowSpec],
           widths: dict[str, int]) -> dict[RowSpec, list[Value | None]] | None:
    """Unlabelled rows of figures onto the empty template rows between two anchors, in order, when their
    cells fill those rows exactly (step 3); None when they do not."""
    placed: dict[RowSpec, list[Value | None]] = {}
    at = 0
    for orphan in orphans:
        for k in range(1, len(pending) - at + 1):
            rows = pending[at:at + k]
            values, _ = row_values(orphan.tokens, sum(widths[r.row] for r in rows))
            if values is not None:
                cut = 0
                for spec in rows:
                    placed[spec] = values[cut:cut + widths[spec.row]]
                    cut += widths[spec.row]
                at += k
                break
        else:
            return None
    return placed if at == len(pending) else None


def _between(template: list[RowSpec], a_last: int, b_first: int) -> str:
    before = template[a_last].phrasings[0] if a_last >= 0 else "the table's start"
    after = template[b_first].phrasings[0] if b_first < len(template) else "the table's end"
    return f"between {before} and {after}"


def _printed_labels(sightings: list[Sighting]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for s in sightings:
        if s.spec is not None and compact_label(s.label):
            labels.setdefault(s.spec.row, s.label)
    return labels


def _gaps(tspec: TableSpec, template: list[RowSpec], cells: dict[str, list[Value | None]], unsure: list[str],
          attempts: dict[str, list[str]], labels: dict[str, str], dropped: tuple[int, ...] = ()) -> list[TableGap]:
    """Rows seen but not read, rows missing from a complete table, cells left unknown (step 5)."""
    gaps = []
    complete = bool(template) and template[-1].row in cells
    for spec in template:
        label = compact_label(labels.get(spec.row, spec.phrasings[0]))
        if spec.row not in cells:
            if attempts.get(spec.row):
                gaps.append(TableGap(spec, label, attempts[spec.row][0]))
            elif spec.row in labels:
                gaps.append(TableGap(spec, label, "no figures found for it"))
            elif complete and tspec.row_check:
                gaps.append(TableGap(spec, label, "not found in the table"))
            continue
        unknown = [i for i, cell in enumerate(cells[spec.row]) if cell is None and i not in dropped]
        if not unknown:
            continue
        names = list(tspec.column_labels) or list(spec.columns)
        columns = "、".join(names[i] if i < len(names) else str(i + 1) for i in unknown)
        if spec.row in unsure:
            gaps.append(TableGap(spec, label, f"the cut of its glued digits is ambiguous; {columns} left unknown"))
        elif tspec.columns and tspec.row_check:
            gaps.append(TableGap(spec, label, f"{columns} printed blank (unknown, not 0)"))
    return gaps


__all__ = ["read_table", "layout", "TableReading", "TableGap"]
