"""The plotly.js a brief inlines: the 1.5 MB "cartesian" partial bundle when it is installed, else the full one.

The partial bundle (npm package plotly.js-cartesian-dist-min, MIT) holds every trace type the briefs draw
(bar, scatter, heatmap). It is not kept in git: `python -m gongkai.plotlyjs fetch` (run by `make venv`)
asks the npm registry for the version that matches the plotly Python package and stores it in the
virtualenv. Without npm, or for another version, briefs inline the full 4.8 MB bundle from the plotly package.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

NPM_PACKAGE = "plotly.js-cartesian-dist-min"
PARTIAL_BUNDLE = Path(sys.prefix) / "share" / "gongkai" / "plotly-cartesian.min.js"


def expected_version() -> str:
    """The plotly.js version the installed plotly Python package ships (and its figures expect)."""
    import plotly.offline
    return plotly.offline.get_plotlyjs_version()


def bundle() -> str:
    """The plotly.js source to inline once per brief."""
    version = expected_version()
    if PARTIAL_BUNDLE.is_file():
        text = PARTIAL_BUNDLE.read_text(encoding="utf-8")
        if f"v{version}\n" in text[:200]:
            return text
        log.warning("%s is not plotly.js v%s: inlining the full bundle", PARTIAL_BUNDLE, version)
    import plotly.offline
    return plotly.offline.get_plotlyjs()


def fetch() -> Path | None:
    """Download the partial bundle matching the plotly package into the virtualenv; None if npm is missing."""
    version = expected_version()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(["npm", "pack", "--silent", f"{NPM_PACKAGE}@{version}", "--pack-destination", tmp],
                           check=True, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("could not fetch %s@%s (%s): briefs will inline the full plotly.js bundle",
                        NPM_PACKAGE, version, exc)
            return None
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/plotly-cartesian.min.js")
            data = member.read()
    PARTIAL_BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    partial = PARTIAL_BUNDLE.with_suffix(".tmp")
    partial.write_bytes(data)
    os.replace(partial, PARTIAL_BUNDLE)
    return PARTIAL_BUNDLE


def main() -> None:
    """`python -m gongkai.plotlyjs fetch` (run by `make venv`): fetch the partial bundle, log where it went."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if sys.argv[1:] != ["fetch"]:
        raise SystemExit("usage: python -m gongkai.plotlyjs fetch")
    path = fetch()
    if path:
        log.info("plotly.js partial bundle: %s", path)
    else:
        log.info("plotly.js partial bundle not fetched (full bundle used)")


if __name__ == "__main__":
    main()
