"""Short display forms shared by messages, quotes and pages: a cut with an ellipsis, a span of years, text made
safe for a terminal."""
from __future__ import annotations

import re
from collections.abc import Iterable

ELLIPSIS = "…"
# What a terminal would act on instead of showing: C0/C1 controls (ESC starts colour and cursor codes), DEL, the
# line and paragraph separators and the bidirectional overrides that reorder what follows them.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shorten(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """text cut to at most width characters, the last one an ellipsis when anything was cut."""
    text = str(text)
    if len(text) <= width:
        return text
    return text[: max(0, width - len(ellipsis))] + ellipsis


def year_span(years: Iterable[int], dash: str = "–") -> str:
    """'2015–2017' for a run of years or any list (first–last), '2017' for one year, '' for none."""
    years = sorted(int(y) for y in years)
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}{dash}{years[-1]}"


def _escape_control(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: object, keep_newlines: bool = False) -> str:
    """text with every terminal control character written as an escape ('\\x1b', '\\u202e'), so a file name
    cannot colour, move or rewrite the terminal. keep_newlines leaves line breaks of a multi-line message."""
    text = str(text)
    if keep_newlines:
        return "\n".join(TERMINAL_CONTROLS.sub(_escape_control, line) for line in text.split("\n"))
    return TERMINAL_CONTROLS.sub(_escape_control, text)


def office_stem(office_id: str) -> str:
    """The part of a file name that stands for an office: its id in lower case with every run of other characters
    than a-z and 0-9 as one '-' (xicheng.yuetan -> xicheng-yuetan). Two office ids with the same stem would
    share a file name, so the registry refuses them."""
    return re.sub(r"[^a-z0-9]+", "-", str(office_id).lower()).strip("-")
