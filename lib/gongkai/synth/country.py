"""A synthetic country: provinces, cities, districts, offices and their yearly figures, vectorized with numpy.

Places and office names come from the small name tables in lib/gongkai/data/synth_names.csv (real province
names, districts and offices made of two syllables). Figures follow lib/gongkai/data/synth_params.csv,
fitted to the real corpus (gongkai.synth.fit). Everything is drawn from numpy Generators seeded with
(seed, province, year): the same arguments give the same country, byte for byte, and a province can be
generated without the others (chunks keep memory flat at any size).

Each report's facts are exactly what its text states (gongkai.synth.texts renders them in the era's layout):
pre2019 prose (total, categories, full-text rate, requests, two outcomes, consultations, each stated at the
fitted rate), fmt2019/fmt2021 prose total plus tables 二, 三 (natural persons and 总计; organisation columns
left blank, as some reports do) and 四. Table 三 identities hold: new + carried in = handled + carried out.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gongkai.model import FACT_COLUMNS, REPORT_COLUMNS
from gongkai.synth.fit import load_params

NAMES_PATH = Path(__file__).resolve().parent.parent / "data" / "synth_names.csv"
CATEGORIES = ["org_function", "laws_policies", "plans", "admin_duties", "work_updates", "fiscal",
              "service_guides", "notices", "emergencies", "other"]
PLACE_COLUMNS = ["district", "city", "province"]
OFFICE_COLUMNS = ["office_id", "name", "aliases", "district", "kind"]
# Sub-rows of table 三 under each coarse outcome, with the weights the coarse count is split by.
DENIED = [("out_denied_state_secret", .05), ("out_denied_law_prohibited", .15), ("out_denied_security_stability", .05),
          ("out_denied_third_party", .25), ("out_denied_internal_affairs", .15), ("out_denied_process_info", .15),
          ("out_denied_enforcement_case", .1), ("out_denied_admin_inquiry", .1)]
UNABLE = [("out_unable_not_held", .8), ("out_unable_needs_creation", .1), ("out_unable_unclear", .1)]
NOT_PROCESSED = [("out_not_processed_petition", .4), ("out_not_processed_duplicate", .3),
                 ("out_not_processed_publication", .1), ("out_not_processed_excessive", .1),
                 ("out_not_processed_confirm_reissue", .1)]
OTHER = [("out_other_no_correction", .5), ("out_other_fee_unpaid", .1), ("out_other_misc", .4)]
APPLICANT_DIMS = ("natural_person", "total")
UNITS = {"proactive_fulltext_rate": "%", "consultations_total": "人次", "admin_fee_amount": "万元",
         "central_procurement_amount": "万元", "info_processing_fee_collected": "元"}


def names() -> dict[str, list[str]]:
    with open(NAMES_PATH, encoding="utf-8") as f:
        return {row["kind"]: row["values"].split("|") for row in csv.DictReader(f)}


def era_of(year: int, rng_draw: float, params: dict) -> str:
    if year <= 2018 or (year == 2019 and rng_draw >= params["fmt2019_in_2019"]):
        return "pre2019"
    return "fmt2019" if year <= 2020 else "fmt2021"


@dataclass
class Geography:
    places: pd.DataFrame    # district, city, province
    offices: pd.DataFrame   # office_id, name, aliases, district, kind (+ province, city, district_index)


def geography(n_offices: int, seed: int = 0, offices_per_district: int = 25,
              districts_per_city: int = 8) -> Geography:
    """n_offices offices in districts of offices_per_district (one district government each; streets, towns
    and departments in the fitted proportions), districts_per_city districts a city, cities spread over the
    31 provinces. Deterministic for seed."""
    params, table = load_params(), names()
    rng = np.random.default_rng([seed, 0])
    n_districts = max(1, -(-n_offices // offices_per_district))
    syll = table["syllable"]
    combos = [a + b for a in syll for b in syll if a != b]
    order = rng.permutation(len(combos))
    if n_districts + n_districts // districts_per_city + 1 > len(combos):
        combos += [a + b + c for a in syll[:30] for b in syll[30:] for c in syll[:20] if a != c]
        order = np.concatenate([order, len(order) + rng.permutation(len(combos) - len(order))])
    district_names = [combos[i] + ("区" if k % 3 else "县") for k, i in enumerate(order[:n_districts])]
    n_cities = max(1, -(-n_districts // districts_per_city))
    city_names = [combos[i] + "市" for i in order[n_districts:n_districts + n_cities]]
    provinces = table["province"]
    city_province = [provinces[c % len(provinces)] for c in range(n_cities)]
    places = pd.DataFrame({"district": district_names,
                           "city": [city_names[d // districts_per_city] for d in range(n_districts)],
                           "province": [city_province[d // districts_per_city] for d in range(n_districts)]})
    shares = np.array([params["kind.street"], params["kind.town"], params["kind.department"]])
    shares = shares / shares.sum()
    rows = []
    depts = table["department"]
    for d in range(n_districts):
        size = min(offices_per_district, n_offices - d * offices_per_district)
        district = district_names[d]
        slug = f"d{d:05d}"
        rows.append((f"{slug}.gov", f"{district}人民政府", "", district, "district_government"))
        kinds = rng.choice(["street", "town", "department"], size=size - 1, p=shares)
        picks = rng.permutation(len(combos))[: size]
        n_dept = 0
        for i, kind in enumerate(kinds):
            if kind == "department" and n_dept < len(depts):
                name = district + depts[n_dept]
                n_dept += 1
            else:
                kind = "street" if kind == "department" else kind
                name = combos[picks[i]] + ("街道" if kind == "street" else "镇")
            alias = name + ("办事处" if kind == "street" else "人民政府" if kind == "town" else "")
            rows.append((f"{slug}.o{i:03d}", name, alias if alias != name else "", district, kind))
    offices = pd.DataFrame(rows[:n_offices], columns=OFFICE_COLUMNS)
    offices = offices.merge(places, on="district", how="left")
    return Geography(places=places, offices=offices)


class _Facts:
    """Collects one era's statements: report index, slot (metric, dim, method, quote) and value arrays."""

    def __init__(self):
        self.parts: list[tuple[np.ndarray, str, str, str, str, np.ndarray]] = []

    def add(self, idx, metric, dim, values, quote, method="table", mask=None):
        values = np.asarray(values, dtype=float)
        if mask is not None:
            idx, values = idx[mask], values[mask]
        if len(idx):
            self.parts.append((idx, metric, dim, method, quote, values))


def _split(rng, counts: np.ndarray, weights) -> np.ndarray:
    w = np.array([w for _, w in weights], dtype=float)
    return rng.multinomial(counts.astype(np.int64), w / w.sum())


def _state(rng, n, rate) -> np.ndarray:
    return rng.random(n) < rate


def year_facts(rng, params, idx: np.ndarray, era: str, total: np.ndarray, new: np.ndarray,
               carried_in: np.ndarray, carried_out: np.ndarray, dept: np.ndarray) -> _Facts:
    """The statements of the reports idx (all of one era) as a _Facts."""
    out = _Facts()
    n = len(idx)
    prose_total = _state(rng, n, params["states.total"])
    out.add(idx, "proactive_items_total", "", total, "主动公开政府信息", "text", prose_total)
    # categories are listed under a stated total ("共主动公开…条。其中，…"), as in the real reports
    states_cats = prose_total & _state(rng, n, params["states.categories"] / max(params["states.total"], 1e-9))
    weights = np.array([params.get(f"category.{c}", 0.005) for c in CATEGORIES])
    k = np.clip(1 + rng.poisson(max(params["categories.mean_listed"] - 1, 0), n), 1, 6)
    keys = np.log(weights)[None, :] + rng.gumbel(size=(n, len(CATEGORIES)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    chosen = rank < k[:, None]
    gam = rng.gamma(1.0 + 3 * weights[None, :], size=(n, len(CATEGORIES))) * chosen
    cover = np.where(rng.random(n) < 0.8, 1.0, rng.uniform(0.5, 1.0, n))
    counts = np.floor(gam / gam.sum(axis=1, keepdims=True) * (total * cover)[:, None])
    full = cover == 1.0   # a complete list adds up to the total: the rounding remainder goes to the largest
    largest = np.argmax(counts, axis=1)
    counts[np.arange(n), largest] += np.where(full, total - counts.sum(axis=1), 0)
    for j, cat in enumerate(CATEGORIES):
        out.add(idx, "proactive_items_by_category", cat, counts[:, j], cat, "text",
                states_cats & chosen[:, j] & (counts[:, j] > 0))
    handled = new + carried_in - carried_out
    coarse = _split(rng, handled, [(k, params[f"outcome.{k}"]) for k in
                                   ("granted", "partial", "denied", "unable", "not_processed", "other")])
    if era == "pre2019":
        rate = np.where(rng.random(n) < 0.8, 100.0, np.round(rng.uniform(80, 99.9, n), 1))
        out.add(idx, "proactive_fulltext_rate", "", rate, "全文电子化率", "text", _state(rng, n, params["states.fulltext"]))
        req = _state(rng, n, params["states.requests"])
        out.add(idx, "req_new", "total", new, "受理政府信息公开申请", "text", req)
        out.add(idx, "out_granted", "total", coarse[:, 0], "同意公开", "text", req & (new > 0))
        unable = _split(rng, coarse[:, 3], UNABLE)[:, 0]
        out.add(idx, "out_unable_not_held", "total", unable, "信息不存在", "text", req & (new > 0))
        consult = np.round(rng.lognormal(4.0, 1.2, n))
        out.add(idx, "consultations_total", "", consult, "政府信息公开咨询", "text",
                _state(rng, n, params["states.consultations"]))
        return out
    # table 二
    if era == "fmt2021":
        for metric, values in (("regulations_issued", rng.poisson(0.05, n) * dept),
                               ("regulations_repealed", np.zeros(n)),
                               ("regulations_in_force", rng.poisson(0.5, n) * dept)):
            out.add(idx, metric, "", values, metric)
        issued = rng.poisson(1.5, n)
        out.add(idx, "normative_docs_issued", "", issued, "行政规范性文件")
        out.add(idx, "normative_docs_repealed", "", rng.poisson(0.4, n), "行政规范性文件")
        out.add(idx, "normative_docs_in_force", "", issued + rng.poisson(15, n), "行政规范性文件")
        out.add(idx, "licensing_decisions", "", np.round(rng.lognormal(3, 1.5, n)), "行政许可")
        out.add(idx, "penalty_decisions", "", np.round(rng.lognormal(2.5, 1.5, n)), "行政处罚")
        out.add(idx, "coercion_decisions", "", rng.poisson(1, n), "行政强制")
        fee = np.where(rng.random(n) < 0.7, 0.0, np.round(rng.lognormal(1, 1.5, n), 1))
        out.add(idx, "admin_fee_amount", "", fee, "行政事业性收费")
    else:
        made = rng.poisson(1.5, n)
        out.add(idx, "regulations_issued", "", np.zeros(n), "规章")
        out.add(idx, "regulations_published_new", "", np.zeros(n), "规章")
        out.add(idx, "regulations_published_total", "", np.zeros(n), "规章")
        out.add(idx, "normative_docs_issued", "", made, "规范性文件")
        out.add(idx, "normative_docs_published_new", "", made, "规范性文件")
        out.add(idx, "normative_docs_published_total", "", made + rng.poisson(12, n), "规范性文件")
        for stem, label, dec in (("licensing", "行政许可", True), ("other_mgmt_services", "其他对外管理服务事项", True),
                                 ("penalty", "行政处罚", True), ("coercion", "行政强制", True),
                                 ("admin_fee", "行政事业性收费", False)):
            out.add(idx, f"{stem}_items_prev", "", rng.poisson(8, n), label)
            out.add(idx, f"{stem}_items_delta", "", rng.integers(-2, 3, n), label)
            if dec:
                out.add(idx, f"{stem}_decisions", "", np.round(rng.lognormal(2.5, 1.5, n)), label)
        out.add(idx, "central_procurement_projects", "", rng.poisson(3, n), "政府集中采购")
        out.add(idx, "central_procurement_amount", "", np.round(rng.lognormal(3, 1.2, n), 1), "政府集中采购")
    # table 三: natural persons and 总计 (organisation columns blank), every identity holding; the groups
    # (不予公开, 无法提供, 不予处理, and 其他处理 in fmt2021) print only their sub-rows, so they are no facts
    rows = [("req_new", new), ("req_carried_in", carried_in), ("out_granted", coarse[:, 0]),
            ("out_partially_granted", coarse[:, 1])]
    denied = _split(rng, coarse[:, 2], DENIED)
    rows += [(m, denied[:, j]) for j, (m, _) in enumerate(DENIED)]
    unable = _split(rng, coarse[:, 3], UNABLE)
    rows += [(m, unable[:, j]) for j, (m, _) in enumerate(UNABLE)]
    np_ = _split(rng, coarse[:, 4], NOT_PROCESSED)
    rows += [(m, np_[:, j]) for j, (m, _) in enumerate(NOT_PROCESSED)]
    if era == "fmt2021":
        other = _split(rng, coarse[:, 5], OTHER)
        rows += [(m, other[:, j]) for j, (m, _) in enumerate(OTHER)]
    else:
        rows += [("out_other_total", coarse[:, 5])]
    rows += [("out_total", handled), ("req_carried_out", carried_out)]
    for metric, values in rows:
        for dim in APPLICANT_DIMS:
            out.add(idx, metric, dim, values, metric)
    # table 四
    for stem in ("review", "lit_direct", "lit_after_review"):
        parts = rng.poisson(0.15, (n, 4))
        for j, part in enumerate(("upheld", "corrected", "other", "pending")):
            out.add(idx, f"{stem}_{part}", "", parts[:, j], stem)
        out.add(idx, f"{stem}_total", "", parts.sum(axis=1), stem)
    if era == "fmt2021":
        out.add(idx, "info_processing_fee_collected", "", np.zeros(n), "未收取信息处理费", "text")
    return out


def province_chunk(geo: Geography, province: str, years: list[int], seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reports, facts) of the offices of one province over years, deterministic for (seed, province)."""
    params = load_params()
    offices = geo.offices[geo.offices.province == province].reset_index(drop=True)
    n = len(offices)
    p_index = sorted(geo.places.province.unique()).index(province) + 1
    rng = np.random.default_rng([seed, p_index])
    effect = rng.normal(params["total.log_mean"], params["total.log_sd_office"], n)
    req_effect = rng.normal(params["requests.log_mean"], params["requests.log_sd"] * 0.6, n)
    first = rng.choice(years, n) if len(years) > 1 else np.full(n, years[0])
    first = np.where(rng.random(n) < 0.7, years[0], first)   # most offices report from the start
    dept = (offices.kind == "department").to_numpy()
    carried = np.zeros(n, dtype=np.int64)
    report_frames, fact_frames = [], []
    for year in years:
        yrng = np.random.default_rng([seed, p_index, year])
        present = (yrng.random(n) < params["presence"]) & (first <= year)
        era_draw = yrng.random(n)
        total = np.clip(np.round(np.exp(effect + 0.03 * (year - years[0]) +
                                        yrng.normal(0, params["total.log_sd_year"], n))), 1, 200000)
        zero = yrng.random(n) < params["requests.p_zero"]
        new = np.where(zero, 0, np.clip(np.round(np.exp(req_effect + yrng.normal(0, 0.5, n))), 1, 5000)).astype(np.int64)
        carried_in = np.where(present, carried, 0)
        carried_out = yrng.binomial(new, 0.06)
        eras = np.array([era_of(year, d, params) for d in era_draw]) if year == 2019 else \
            np.full(n, era_of(year, 0.0, params))
        ids = np.array([f"{x:012x}" for x in yrng.integers(0, 2 ** 48, n)])
        for era in np.unique(eras[present]):
            sel = np.flatnonzero(present & (eras == era))
            coll = year_facts(yrng, params, sel, era, total[sel], new[sel], carried_in[sel], carried_out[sel], dept[sel])
            if not coll.parts:
                continue
            lengths = [len(p[0]) for p in coll.parts]
            rep = np.concatenate([p[0] for p in coll.parts])
            slot = np.repeat(np.arange(len(coll.parts)), lengths)
            metric = np.array([p[1] for p in coll.parts], dtype=object)[slot]
            dim = np.array([p[2] for p in coll.parts], dtype=object)[slot]
            method = np.array([p[3] for p in coll.parts], dtype=object)[slot]
            label = np.array([p[4] for p in coll.parts], dtype=object)[slot]
            fact_frames.append(pd.DataFrame({
                "report": ids[rep], "office_id": offices.office_id.to_numpy()[rep],
                "office": offices.name.to_numpy()[rep], "district": offices.district.to_numpy()[rep],
                "year": year, "metric": metric, "dim": dim, "value": np.concatenate([p[5] for p in coll.parts]),
                "method": method, "quote": label, "era": era}))
        carried = np.where(present, carried_out, carried)
        sel = np.flatnonzero(present)
        report_frames.append(pd.DataFrame({
            "report": ids[sel], "source": "", "office_id": offices.office_id.to_numpy()[sel],
            "office": offices.name.to_numpy()[sel], "district": offices.district.to_numpy()[sel],
            "year": year, "title_year": year, "era": eras[sel], "full_year": True}))
    reports = pd.concat(report_frames, ignore_index=True)
    facts = pd.concat(fact_frames, ignore_index=True) if fact_frames else pd.DataFrame(columns=FACT_COLUMNS)
    default = np.where(facts.metric.str.startswith(("req_", "out_", "review", "lit_")), "件", "条")
    facts["unit"] = facts.metric.map(UNITS).fillna(pd.Series(default, index=facts.index))
    facts["qualifier"] = "exact"
    facts["start"] = pd.array([pd.NA] * len(facts), dtype="Int64")
    facts["end"] = facts["start"]
    fact_counts = facts.groupby("report").size()
    reports["facts"] = reports.report.map(fact_counts).fillna(0).astype("int64")
    reports["errors"] = 0
    reports["warnings"] = 0
    return reports[REPORT_COLUMNS], facts[FACT_COLUMNS]
