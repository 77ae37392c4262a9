import os
import stat

import pytest

from gongkai.atomic import write_atomically


def test_replaces_the_file_whole_with_ordinary_permissions(tmp_path):
    target = tmp_path / "briefs" / "district.html"
    write_atomically(target, "<h1>旧</h1>")
    write_atomically(target, "<h1>新</h1>")
    assert target.read_text(encoding="utf-8") == "<h1>新</h1>"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["district.html"]


def test_a_failed_write_leaves_the_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "manifest.json"
    write_atomically(target, b"{}")

    with pytest.raises(TypeError):
        write_atomically(target, object())  # neither bytes nor str
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
