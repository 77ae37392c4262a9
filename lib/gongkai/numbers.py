"""Numerals as reports write them: Arabic (with thousands separators, or in ten-thousands: 1.2万条), Chinese
(两件, 十余条, 一百二十条),
approximations (100余条, 近百, 约50条 -> qualifier 'approx') and percents.

The regular-expression fragments here are shared by the prose extractor; they are plain strings so that
callers can embed them in their own patterns (compiled once at import there).

Parsing never raises on a numeral the patterns match and never returns inf: a figure beyond MAX_FIGURE
('九' written 309 times, '9' written 400 times) parses to OUT_OF_RANGE (NaN), and its Number says
in_range False, so that extraction can skip it and report it instead of storing an absurd figure.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# "36,789" (thousands separated) before plain "36789" / "2.9"; a comma followed by exactly 3 digits only.
# A numeral starts where its run of digits starts (the lookbehinds): trying again from inside the run
# found nothing more and made matching quadratic in the run's length (hostile 20,000-digit runs: 10+ s).
ARABIC = r"(?<!\d)(?:\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?)"
CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE = r"(?<![零〇一二两三四五六七八九十百千万])[零〇一二两三四五六七八九十百千万]+"
NUMBER = rf"(?<!第)(?:{ARABIC}|{CHINESE})"   # '第一条' is an ordinal (article one), never a count
APPROX_BEFORE = r"(?:将近|接近|大约|约|近|逾|超过)"
APPROX_AFTER = r"(?:余|多)"
# '1.2万条', '5万余人次': an Arabic figure counted in ten-thousands, when a count (not 万元, money) follows.
TEN_THOUSAND = r"(?<=\d)万(?=\s?(?:余|多)?\s?(?:条|件|篇|份|项|个|次|人次|宗))"
# A quantity: optional approximation word, the number, optional 余/多.  Groups: pre, num, post.
QUANTITY = rf"(?P<pre>{APPROX_BEFORE})?(?P<num>{NUMBER}(?:{TEN_THOUSAND})?)(?P<post>{APPROX_AFTER})?"
PERCENT = rf"(?P<pct>{ARABIC})\s?[%％]"

_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGIT.update({"〇": 0, "两": 2})
_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_QUANTITY_RE = re.compile(rf"^{QUANTITY}$")
_LONGEST_DIGIT_NUMERAL = 300    # digits of a digit-by-digit Chinese numeral worth computing (a float ends at 309)

# A report counts items, requests, people and yuan: no real figure reaches a trillion.
MAX_FIGURE = 10**12
OUT_OF_RANGE = math.nan         # the value of a numeral beyond MAX_FIGURE


def in_range(value: float) -> bool:
    """True for a finite figure within ±MAX_FIGURE (False for OUT_OF_RANGE, inf and NaN)."""
    return math.isfinite(value) and abs(value) <= MAX_FIGURE


@dataclass(frozen=True)
class Number:
    """A parsed figure: its value and whether the report gave it exactly or approximately."""
    value: float
    qualifier: str = "exact"   # exact | approx

    @property
    def in_range(self) -> bool:
        """False when the numeral is beyond MAX_FIGURE (value OUT_OF_RANGE): not a figure to store."""
        return in_range(self.value)


def chinese_to_int(text: str) -> int:
    """Chinese numeral to int: 两 -> 2, 十 -> 10, 一百二十 -> 120, 三千零五 -> 3005, 一二三 -> 123.

    Raises ValueError for text that is not a Chinese numeral, OverflowError for a digit-by-digit numeral
    of more than 300 digits (beyond any float).
    """
    if not text or any(c not in _DIGIT and c not in _SMALL_UNIT and c != "万" for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(c in _DIGIT for c in text) and len(text) > 1:
        # digit-by-digit form ("二〇一七")
        digits = "".join(str(_DIGIT[c]) for c in text).lstrip("0") or "0"
        if len(digits) > _LONGEST_DIGIT_NUMERAL:
            raise OverflowError(f"a Chinese numeral of {len(digits)} digits")
        return int(digits)
    total, section, digit = 0, 0, None
    for c in text:
        if c in _DIGIT:
            digit = _DIGIT[c]
        elif c in _SMALL_UNIT:
            section += (1 if digit is None else digit) * _SMALL_UNIT[c]
            digit = None
        else:  # 万
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_value(text: str) -> float:
    """A bare number (Arabic with optional thousands separators and decimals, or Chinese) to float;
    OUT_OF_RANGE (NaN) beyond MAX_FIGURE. Raises ValueError when text is not a number."""
    text = text.strip()
    scale = 10000 if text.endswith("万") and text[:1].isdigit() else 1     # '1.2万' (TEN_THOUSAND)
    text = text[:-1] if scale > 1 else text
    try:
        value = scale * float(text.replace(",", "")) if text and text[0].isdigit() else float(chinese_to_int(text))
    except OverflowError:            # an integer beyond any float
        return OUT_OF_RANGE
    return value if in_range(value) else OUT_OF_RANGE


def parse_quantity(text: str) -> Number:
    """'100余' -> Number(100, 'approx'); '两' -> Number(2); '1,200' -> Number(1200); '约50' -> approx.

    Raises ValueError when text is not a quantity.
    """
    m = _QUANTITY_RE.match(text.strip())
    if not m:
        raise ValueError(f"not a quantity: {text!r}")
    return from_match(m)


def from_match(m: re.Match, num: str = "num", pre: str = "pre", post: str = "post") -> Number:
    """The Number of a regex match built on QUANTITY (group names may be renamed by the caller)."""
    groups = m.groupdict()
    approx = bool(groups.get(pre) or groups.get(post))
    return Number(parse_value(m.group(num)), "approx" if approx else "exact")


def parse_percent(text: str) -> float:
    """'80.5%' or '31 %' -> 80.5 / 31.0; raises ValueError otherwise."""
    m = re.fullmatch(r"\s*(" + ARABIC + r")\s?[%％]\s*", text)
    if not m:
        raise ValueError(f"not a percent: {text!r}")
    return parse_value(m.group(1))


__all__ = ["ARABIC", "CHINESE", "NUMBER", "TEN_THOUSAND", "QUANTITY", "PERCENT", "APPROX_BEFORE", "APPROX_AFTER", "Number",
           "MAX_FIGURE", "OUT_OF_RANGE", "in_range", "chinese_to_int", "parse_value", "parse_quantity", "parse_percent", "from_match"]
