# gongkai — `make help` lists the targets.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= ../shared/corpus

.DEFAULT_GOAL := help
.PHONY: help venv test test-fast briefs ingest sample bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11) on PATH, or make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m gongkai.kernel install
	$(BIN)/python -m gongkai.plotlyjs fetch
	touch $(STAMP)

venv: $(STAMP)  ## create .venv, install requirements and the package, register the gongkai kernel

test: $(STAMP)  ## run the whole test suite (CI=true: corpus and browser tests must run, not skip)
	GONGKAI_CORPUS=$(abspath $(CORPUS)) $(BIN)/python -m pytest -q -ra

test-fast: $(STAMP)  ## run the tests that start no kernel and no browser (under a minute)
	GONGKAI_CORPUS=$(abspath $(CORPUS)) $(BIN)/python -m pytest -q -ra -m "not slow and not browser"

briefs: $(STAMP)  ## build the briefs configured in briefs.yaml from the sample data in data/
	$(BIN)/gongkai build

ingest: $(STAMP)  ## read every report under data/reports into data/facts.csv, reports.csv, findings.csv
	$(BIN)/gongkai ingest data/reports

sample: $(STAMP)  ## rebuild the committed sample dataset (平潭综合实验区 and the Beijing reports) from ../shared/corpus
	$(BIN)/gongkai sample --corpus $(CORPUS)

bench: $(STAMP)  ## print speed and size figures (ingest rate, brief build/size/render, build ratios)
	$(BIN)/python bench/run.py --corpus $(CORPUS)

clean:  ## remove the virtualenv and generated briefs
	rm -rf $(VENV) outputs/district outputs/office outputs/city outputs/latest outputs/_failed outputs/index.html outputs/manifest.json
