"""Accuracy of `gongkai extract` against the corpus's hand-written truth.csv, scored by the corpus's own score.py.

The thresholds are the project's targets: precision >= 0.95, recall >= 0.90.
"""
import importlib.util
import shlex
import sys

MIN_PRECISION = 0.95
MIN_RECALL = 0.90


def load_scorer(corpus_dir):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_extract_matches_truth(corpus_dir, tmp_path):
    scorer = load_scorer(corpus_dir)
    cmd = f"{shlex.quote(sys.executable)} -m gongkai.cli extract --format csv"
    misses = tmp_path / "misses.csv"
    precision, recall, year_accuracy, files, truth_rows, printed, _ = scorer.score(str(corpus_dir), cmd, str(misses))
    print(f"files {files}, truth rows {truth_rows}, scored facts printed {printed}: "
          f"precision {precision:.3f} recall {recall:.3f} year accuracy {year_accuracy:.3f} (misses in {misses})")
    assert files >= 170 and printed > 0
    assert recall >= MIN_RECALL, f"recall {recall:.3f} < {MIN_RECALL} (precision {precision:.3f}); see {misses}"
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} < {MIN_PRECISION} (recall {recall:.3f}); see {misses}"
    assert year_accuracy >= 0.95
