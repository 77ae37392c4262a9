"""Where a brief points: the source of a figure as a reader may see it, and the stable names of briefs.

A source is shown as its URL when it has one, or as the file name alone: never a local path
(../shared/corpus/..., /home/...), which means nothing to a reader and tells them about our machine.

A brief's file name carries its years (params.brief_slug: office-xicheng-yuetan-2017-2019), so it changes
when a brief's years move ("last 5 years") and another brief cannot know it in advance. Every build
therefore also writes one small page per office and per district under a name without years, in
outputs/latest/<kind>/ (current_name: latest/office/office-xicheng-yuetan.html), that forwards to the
brief built for it (gongkai.build.index). Briefs link to each other, and readers bookmark, through these.
Cheap to import: no pandas (the build's index imports it).
"""
from __future__ import annotations

import re
from pathlib import PurePath, PureWindowsPath

from gongkai.params import brief_slug

CURRENT_DIR = "latest"          # outputs/latest/<kind>/<name>.html: beside the briefs' folders, never among them


def source_label(source) -> str:
    """A report's source as a reader sees it: the http(s) URL, or the file name without its folders."""
    if source is None or source != source or str(source).strip() in ("", "<NA>", "nan"):
        return ""
    text = str(source).strip()
    if re.match(r"https?://", text):
        return text
    return PurePath(PureWindowsPath(text).as_posix()).name


def current_name(kind: str, key: str, lang: str = "zh") -> str:
    """The stable file name (no folder) of the current brief of a district (kind 'district', key = its
    name) or an office (kind 'office', key = office_id): brief_slug without the years."""
    params = {"district": key} if kind == "district" else {"office_id": key}
    stem = brief_slug(kind, {**params, "years": [], "lang": lang})       # e.g. 'office-xicheng-yuetan-' or '…--en'
    return "-".join(part for part in stem.split("-") if part) + ".html"


def current_path(kind: str, key: str, lang: str = "zh") -> str:
    """Where that page is, relative to the build's output folder: latest/<kind>/<current_name>."""
    return f"{CURRENT_DIR}/{kind}/{current_name(kind, key, lang)}"


def current_href(kind: str, key: str, lang: str = "zh") -> str:
    """The link from a brief (outputs/<kind>/x.html) to the current brief of a district or an office."""
    return f"../{current_path(kind, key, lang)}"


INDEX_HREF = "../index.html"    # a brief's link back to the build's index (outputs/index.html)


def index_anchor(district: str) -> str:
    """The id of a district's section on the build's index page, e.g. district-xicheng."""
    return current_name("district", district).removesuffix(".html")


def index_href(district: str | None = None) -> str:
    """The link from a brief back to the index, at its district's section when given."""
    return INDEX_HREF + (f"#{index_anchor(district)}" if district else "")


__all__ = ["CURRENT_DIR", "INDEX_HREF", "current_href", "current_name", "current_path", "index_anchor",
           "index_href", "source_label"]
