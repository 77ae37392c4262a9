"""briefs.yaml as hostile input: `gongkai build --config` stops at once with exit 2 and one line naming the file
and line, never a traceback, a hang or gigabytes of memory (gongkai.build.configfile)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from buildspace import make_workspace
from gongkai.build import load_config
from gongkai.build.configfile import MAX_CONFIG_BYTES, MAX_DEPTH
from gongkai.errors import ConfigError

ENTRY = "briefs:\n  - kind: district\n    district: 西城区\n"
LAUGHS = ('data: data\nlol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
          + "".join(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]\n" for i in range(1, 10)) + ENTRY)
CLI_TIMEOUT = 60       # seconds; the billion laughs of the previous loader never finished


def gongkai_build(config: Path) -> tuple[int, str, float]:
    """Run `python -m gongkai.cli build --config config`: (exit status, stdout+stderr, seconds)."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--config", str(config)],
                          capture_output=True, text=True, timeout=CLI_TIMEOUT)
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started


@pytest.mark.parametrize("name, text, line, words", [
    ("billion laughs", LAUGHS, 2, "YAML anchors and aliases are not allowed (&lol0)"),
    ("recursive alias", "data: data\nbriefs: &entries\n  - kind: office\n    offices: *entries\n", 2,
     "YAML anchors and aliases are not allowed (&entries)"),
    ("alias without anchor", "data: data\nbriefs:\n  - *entry\n", 3, "YAML anchors and aliases are not allowed"),
    ("a list for a district", "data: data\nbriefs:\n  - kind: district\n    district: [x]\n", 4,
     "district: give one value, not a list"),
    ("a mapping for a kind", "data: data\nbriefs:\n  - kind: {district: 1}\n", 3,
     "kind: give one value, not a mapping"),
    ("a list of lists of offices", "data: data\nbriefs:\n  - kind: office\n    offices:\n      - [xicheng.yuetan]\n",
     5, "offices: give one value or a list of values, not a list"),
    ("a python tag", "data: data\nbriefs:\n  - kind: district\n    district: !!python/name:os.system\n", 4,
     "could not determine a constructor for the tag"),
])
def test_hostile_yaml_stops_at_once_with_exit_2_and_its_line(tmp_path, name, text, line, words):
    status, output, seconds = gongkai_build(make_workspace(tmp_path, text))
    assert status == 2, output
    assert output.startswith(f"gongkai build: {tmp_path / 'briefs.yaml'}:{line}: ") and words in output, output
    assert "Traceback" not in output and output.count("\n") == 1 and seconds < CLI_TIMEOUT / 2
    assert not (tmp_path / "out").exists()


def test_a_gbk_config_says_it_is_not_utf8_and_where(tmp_path):
    config = tmp_path / "briefs.yaml"
    make_workspace(tmp_path)
    config.write_bytes(f"data: data\noutput: out\n{ENTRY}".encode("gbk"))
    status, output, _ = gongkai_build(config)
    assert status == 2 and "Traceback" not in output, output
    assert output.startswith(f"gongkai build: {config}:5: the file is not UTF-8 (byte 0xce at byte 64, column 15 "
                             "of the line, cannot be decoded): save it as UTF-8"), output


def test_a_utf8_config_with_a_byte_order_mark_is_read(tmp_path):
    config = make_workspace(tmp_path, "\ufeffdata: data\n" + ENTRY)
    assert [b.district for b in load_config(config).briefs] == ["西城区"]


@pytest.mark.parametrize("text, line, words", [
    ("data: data\nbriefs: " + "[" * 100_000 + "]" * 100_000 + "\n", 2, f"nested more than {MAX_DEPTH} levels deep"),
    ("data: data\nbriefs:\n  - kind: district\n    district: 西城区\n    years: 2017-13-45\n", 5,
     "cannot read the value '2017-13-45' (tag:yaml.org,2002:timestamp): month must be in 1..12"),
    ("data: data\nbriefs:\n  - kind: district\n    district: 西城区\n    years: " + "9" * 5000 + "\n", 5,
     "Exceeds the limit (4300 digits)"),
    ("data: data\nbriefs:\n  - kind: district\n    district: \x1b[2J\n", 4,
     "not valid YAML: the control character U+001B is not allowed"),
    ("data: data\n? [a, b]\n: c\n" + ENTRY, 2, "keys must be names, not 'sequence'"),
])
def test_other_abuse_is_a_config_error_naming_the_line(tmp_path, text, line, words):
    with pytest.raises(ConfigError) as caught:
        load_config(make_workspace(tmp_path, text))
    assert caught.value.line == line and words in str(caught.value), str(caught.value)
    assert "\x1b" not in str(caught.value)


def test_an_oversized_or_special_file_is_refused_unread(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    with pytest.raises(ConfigError, match="the config is larger than 1,000,000 bytes"):
        load_config(big)
    with pytest.raises(ConfigError, match="the config is not a regular file"):
        load_config(tmp_path)
