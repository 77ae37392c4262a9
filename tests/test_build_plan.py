"""gongkai.build.plan: which briefs a build renders and why, and what the manifest records of each."""
from __future__ import annotations

from pathlib import Path

import pytest

from buildspace import MAIN_NAMES, make_workspace, names, touch_fact
from gongkai.build import PlannedBrief, load_config, plan_briefs
from gongkai.build.plan import is_selected, manifest_entry, mark_left_out
from gongkai.errors import ConfigError


def built_state(config_path: Path) -> dict[str, dict]:
    """Pretend a build succeeded: write each planned brief's HTML and return the manifest entries it records."""
    config = load_config(config_path)
    previous = {}
    for item in plan_briefs(config, {}):
        html = config.output_dir / item.html
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text("<html></html>", encoding="utf-8")
        previous[item.name] = {"built_at": "2026-01-01T02:30:00+08:00", "input_hash": item.input_hash}
    return previous


def reasons(config_path: Path, previous: dict, **kw) -> dict[str, str]:
    return {next(iter(names([p]))): p.reason for p in plan_briefs(load_config(config_path), previous, **kw)}


def test_a_first_build_renders_everything(tmp_path):
    assert reasons(make_workspace(tmp_path), {}) == {name: "new" for name in MAIN_NAMES}


def test_nothing_changed_nothing_to_build(tmp_path):
    config = make_workspace(tmp_path)
    previous = built_state(config)
    assert set(reasons(config, previous).values()) == {""}
    assert set(reasons(config, previous, force=True).values()) == {"forced"}


def test_each_reason_to_rebuild(tmp_path):
    config = make_workspace(tmp_path)
    previous = built_state(config)
    (tmp_path / "out" / "office" / "office-miyun-guoyuan-2017.html").unlink()
    failed = next(n for n in previous if "hostile1" in n)
    previous[failed] = {"status": "failed", "error": "ValueError: x"}          # never built successfully
    touch_fact(tmp_path / "data", "xicheng.jinrongjie")                      # shown in the district brief only
    assert {name: reason for name, reason in reasons(config, previous).items() if reason} == {
        "office/office-miyun-guoyuan-2017": "HTML missing",
        "office/office-xicheng-hostile1-2017-2019": "new",
        "office/office-xicheng-yuetan-2017-2019": "inputs changed",   # jinrongjie is in its district median
        "district/district-xicheng-2017-2019-o": "inputs changed"}


def test_the_same_brief_twice_is_a_config_error(tmp_path):
    config = make_workspace(tmp_path, "data: data\nbriefs:\n  - kind: office\n    offices: [miyun.guoyuan]\n"
                                      "  - kind: office\n    district: 密云区\n")
    with pytest.raises(ConfigError) as caught:
        plan_briefs(load_config(config), {})
    assert "brief office/office-miyun-guoyuan-2017 is configured twice (also on line 3)" in str(caught.value)
    assert caught.value.line == 5


def test_only_matches_name_slug_office_or_district(tmp_path):
    planned = {p.spec.office_id or "district": p for p in plan_briefs(load_config(make_workspace(tmp_path)), {})}
    yuetan, miyun, district = planned["xicheng.yuetan"], planned["miyun.guoyuan"], planned["district"]
    assert is_selected(yuetan, None) and is_selected(yuetan, "")
    assert is_selected(yuetan, "office/*") and not is_selected(district, "office/*")
    assert is_selected(yuetan, "*yuetan*") and not is_selected(miyun, "*yuetan*")
    assert is_selected(miyun, "miyun.guoyuan") and is_selected(miyun, "密云区")
    assert is_selected(district, "district-xicheng-*") and not is_selected(miyun, "西城区")


def test_manifest_entry_keeps_the_record_of_the_html_on_disk(tmp_path):
    config = load_config(make_workspace(tmp_path))
    item: PlannedBrief = next(p for p in plan_briefs(config, {}) if p.spec.office_id == "xicheng.hostile1")
    before = {"built_at": "2026-01-01T02:30:00+08:00", "input_hash": "old", "seconds": 2.5, "size": 10,
              "host": "h", "status": "failed", "error": "ValueError: x", "cell": "1/0"}
    entry = manifest_entry(item, config.data.offices, before)
    assert entry["name"] == "office/office-xicheng-hostile1-2017-2019" and entry["html"] == f"{entry['name']}.html"
    assert entry["office"] == "<script>alert(1)</script>街道" and entry["district"] == "西城区"
    assert entry["years"] == [2017, 2018, 2019] and entry["lang"] == "zh" and entry["offices"] == 1
    assert entry["config_line"] == 8 and entry["notebook"].endswith("office_brief.ipynb")
    assert (entry["status"], entry["input_hash"], entry["size"]) == ("up to date", "old", 10)
    assert "error" not in entry                 # a failure's record comes back only for a brief left out
    mark_left_out(entry, before)
    assert entry["status"] == "failed" and entry["error"] == "ValueError: x" and entry["cell"] == "1/0"
    fresh = manifest_entry(item, config.data.offices, {})
    mark_left_out(fresh, {})
    assert fresh["status"] == "not built" and "built_at" not in fresh
    stale = manifest_entry(item, config.data.offices, {"built_at": "2026-01-01T02:30:00+08:00"})
    mark_left_out(stale, {"built_at": "2026-01-01T02:30:00+08:00", "status": "built"})
    assert stale["status"] == "out of date"
