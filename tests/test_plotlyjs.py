"""gongkai.plotlyjs: the plotly.js a brief inlines matches the plotly package, partial bundle or full."""
from __future__ import annotations

import logging

import plotly.offline
import pytest

from gongkai import plotlyjs

VERSION = plotly.offline.get_plotlyjs_version()


def test_the_installed_bundle_is_the_cartesian_one_of_plotlys_version():
    bundle = plotlyjs.bundle()
    assert plotlyjs.expected_version() == VERSION
    assert f"plotly.js (cartesian - minified) v{VERSION}\n" in bundle[:200]
    assert len(bundle) < 2_000_000 and "</script" not in bundle.lower()     # safe to inline in a <script>


def test_a_partial_bundle_of_another_version_is_not_used(tmp_path, monkeypatch, caplog):
    stale = tmp_path / "plotly-cartesian.min.js"
    stale.write_text("/**\n* plotly.js (cartesian - minified) v0.0.1\n*/\nvar Plotly;", encoding="utf-8")
    monkeypatch.setattr(plotlyjs, "PARTIAL_BUNDLE", stale)
    with caplog.at_level(logging.WARNING, logger="gongkai.plotlyjs"):
        bundle = plotlyjs.bundle()
    assert bundle == plotly.offline.get_plotlyjs() and f"v{VERSION}" in bundle[:200]
    assert f"is not plotly.js v{VERSION}: inlining the full bundle" in caplog.text


def test_without_a_partial_bundle_the_full_one_is_inlined(tmp_path, monkeypatch):
    monkeypatch.setattr(plotlyjs, "PARTIAL_BUNDLE", tmp_path / "absent.js")
    assert plotlyjs.bundle() == plotly.offline.get_plotlyjs()


def test_fetch_without_npm_leaves_nothing(tmp_path, monkeypatch, caplog):
    target = tmp_path / "share" / "plotly-cartesian.min.js"
    monkeypatch.setattr(plotlyjs, "PARTIAL_BUNDLE", target)
    monkeypatch.setenv("PATH", str(tmp_path))                  # no npm on it
    with caplog.at_level(logging.WARNING, logger="gongkai.plotlyjs"):
        assert plotlyjs.fetch() is None
    assert not target.exists() and f"could not fetch {plotlyjs.NPM_PACKAGE}@{VERSION}" in caplog.text


@pytest.mark.parametrize("argv", [["gongkai.plotlyjs"], ["gongkai.plotlyjs", "get"]])
def test_the_command_wants_fetch(monkeypatch, argv):
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit, match="usage: python -m gongkai.plotlyjs fetch"):
        plotlyjs.main()
