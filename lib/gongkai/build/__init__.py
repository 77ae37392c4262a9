"""Build MANY briefs: `gongkai build` reads briefs.yaml, skips the unchanged, renders the rest in parallel.

One module per step, in the order a build runs them:

    config   briefs.yaml -> BuildConfig (BriefSpec per brief), validated before anything runs
    inputs   DataSnapshot (the dataset's CSV rows, read without pandas) and each brief's input hash
    plan     name, hash and rebuild reason of every configured brief; its manifest entry
    run      run_build: lock, run log, plan, render, record outcomes, write manifest and index
    pool     the executors (local process pool, dask.distributed) and the bounded render loop
    worker   render_task: one brief on a worker (gongkai.briefs.render_brief, kernel-start retry)
    index    outputs/manifest.json and outputs/index.html

Command-line parsing, printing and exit codes live in gongkai.cli.briefs.
"""
from __future__ import annotations

from gongkai.build.config import BriefSpec, BuildConfig, load_config
from gongkai.build.index import read_manifest, render_index, write_index, write_manifest
from gongkai.build.inputs import DataSnapshot, input_hash
from gongkai.build.plan import PlannedBrief, plan_briefs
from gongkai.build.run import BuildReport, run_build, short_cell
from gongkai.build.worker import RenderOutcome, RenderTask, render_task

__all__ = ["BriefSpec", "BuildConfig", "BuildReport", "DataSnapshot", "PlannedBrief", "RenderOutcome", "RenderTask",
           "input_hash", "load_config", "plan_briefs", "read_manifest", "render_index", "render_task", "run_build",
           "short_cell", "write_index", "write_manifest"]
