"""Plan a build: name and hash every configured brief, and say which must be rendered and why.

A brief is rebuilt when --force is given, when the manifest has no successful build of it ("new", which
includes a brief whose last build failed), when its HTML file is missing, or when the hash of its inputs
(gongkai.build.inputs) differs from the one recorded with the HTML on disk. Planning reads only the
config, the CSV snapshot and the manifest: no pandas, no Jupyter.

This module also writes a planned brief's manifest entry (what the index shows for it); gongkai.build.run
updates the entry with each render's outcome.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import gongkai
from gongkai.build.config import BriefSpec, BuildConfig
from gongkai.build.inputs import file_sha256, input_hash
from gongkai.errors import ConfigError
from gongkai.params import brief_slug

CARRIED_OVER = ("input_hash", "built_at", "seconds", "size", "host")   # the record of the HTML on disk
FAILURE_FIELDS = ("error", "cell", "failed_notebook")


@dataclass
class PlannedBrief:
    """A configured brief with its output name and input hash, and why it must be built ('' = up to date)."""
    spec: BriefSpec
    slug: str
    input_hash: str
    reason: str = ""

    @property
    def name(self) -> str:
        return f"{self.spec.kind}/{self.slug}"

    @property
    def html(self) -> str:
        """The HTML file, relative to the output folder."""
        return f"{self.spec.kind}/{self.slug}.html"


def rebuild_reason(item: PlannedBrief, before: dict, output_dir: Path, force: bool = False) -> str:
    """Why the brief must be rendered given its previous manifest entry; '' when it is up to date."""
    if force:
        return "forced"
    if not before.get("built_at"):
        return "new"
    if not (output_dir / item.html).is_file():
        return "HTML missing"
    if before.get("input_hash") != item.input_hash:
        return "inputs changed"
    return ""


def plan_briefs(config: BuildConfig, previous: dict[str, dict], *, force: bool = False) -> list[PlannedBrief]:
    """Name and hash every configured brief; `reason` says why it must be rebuilt ('' when it need not).

    previous holds the last manifest's entries by name. Raises ConfigError when two entries of the config
    make the same brief.
    """
    notebook_sha: dict[Path, str] = {}
    planned: dict[str, PlannedBrief] = {}
    for spec in config.briefs:
        if spec.notebook not in notebook_sha:
            notebook_sha[spec.notebook] = file_sha256(spec.notebook)
        digest = input_hash(spec.kind, spec.params, notebook_sha[spec.notebook], spec.offices, spec.district,
                            config.data, gongkai.__version__)
        item = PlannedBrief(spec, brief_slug(spec.kind, spec.params), digest)
        if item.name in planned:
            raise ConfigError(f"brief {item.name} is configured twice (also on line {planned[item.name].spec.line})",
                              spec.line, config.path)
        item.reason = rebuild_reason(item, previous.get(item.name, {}), config.output_dir, force)
        planned[item.name] = item
    return list(planned.values())


def is_selected(item: PlannedBrief, pattern: str | None) -> bool:
    """Does --only PATTERN (a glob) match the brief's name, slug, office id or district? No pattern: yes."""
    if not pattern:
        return True
    keys = (item.name, item.slug, item.spec.office_id or "", item.spec.district)
    return any(fnmatch.fnmatchcase(k, pattern) for k in keys)


def manifest_entry(item: PlannedBrief, offices: dict[str, dict[str, str]], before: dict) -> dict:
    """The manifest entry of a planned brief, carrying over the record of the HTML on disk from `before`.

    offices is the registry (office_id -> row) for the office's display name.
    """
    office = offices.get(item.spec.office_id, {}).get("name") if item.spec.office_id else None
    entry = {k: before[k] for k in CARRIED_OVER if k in before}
    entry.update(name=item.name, kind=item.spec.kind, slug=item.slug, params=item.spec.params, html=item.html,
                 district=item.spec.district, office_id=item.spec.office_id, office=office,
                 years=item.spec.params.get("years", []), lang=item.spec.params.get("lang"),
                 offices=len(item.spec.offices), config_line=item.spec.line, notebook=str(item.spec.notebook),
                 gongkai=gongkai.__version__, status="up to date" if entry.get("built_at") else "not built")
    return entry


def mark_left_out(entry: dict, before: dict) -> None:
    """A brief that needs a rebuild but was left out (--only): say so, and keep a failure's record."""
    entry["status"] = "failed" if before.get("status") == "failed" else \
        ("out of date" if entry.get("built_at") else "not built")
    entry.update({k: before[k] for k in FAILURE_FIELDS if k in before})
