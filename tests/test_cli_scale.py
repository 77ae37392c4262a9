"""`gongkai synth` and `gongkai table`: outputs and exit codes."""
from __future__ import annotations

import pandas as pd

from gongkai.cli import main


def test_synth_then_table_csv_and_xlsx(tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["synth", "--offices", "60", "--years", "2019-2021", "--out", str(out), "--seed", "1"]) == 0
    assert "60 offices" in capsys.readouterr().out
    assert main(["table", "volume", "--data", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("province,year,offices,reporting,items")
    province = printed[1].split(",")[0]
    target = tmp_path / "t.xlsx"
    assert main(["table", "coverage", "--data", str(out), "--province", province, "--years", "2020",
                 "--format", "xlsx", "--out", str(target)]) == 0
    frame = pd.read_excel(target)
    assert list(frame.columns[:2]) == ["district", "year"] and set(frame.year) == {2020}


def test_table_unknown_place_and_bad_years(tmp_path, capsys):
    out = tmp_path / "c"
    main(["synth", "--offices", "30", "--years", "2020", "--out", str(out), "--form", "csv"])
    capsys.readouterr()
    assert main(["table", "volume", "--data", str(out), "--province", "火星"]) == 1
    assert "unknown province '火星'" in capsys.readouterr().err
    assert main(["table", "volume", "--data", str(out), "--years", "2021-2019"]) == 2
    assert main(["table", "outcomes", "--data", str(out), "--format", "xlsx"]) == 2


def test_table_on_the_sample_district(capsys):
    assert main(["table", "mix", "--district", "西城区", "--by", "district"]) == 0
    assert capsys.readouterr().out.startswith("district,year,category,count,share")
