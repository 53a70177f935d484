"""The MLentory asset registry: every data asset of the pipeline, in build order.

Each asset names its upstream assets, its outputs under `data/` and the function that builds it.
Build functions are thin: they move data between files and call the stage modules
(`extract/`, `transform/`, `load/`), which are declared as the asset's code so editing them reruns
it. Stage modules are imported inside the build functions: doit loads this registry on every
command, and it must not pay for pyarrow, the Hub client or the database drivers to do so.
"""

from __future__ import annotations

from datetime import timedelta

from pipeline.config import SCHEMA_DIR
from pipeline.doit_tasks import BuildContext
from pipeline.extract.snapshot import snapshot_files
from pipeline.load.targets import graph_target, search_target
from pipeline.registry import Asset, Job, Output, PipelineError, Registry
from pipeline.storage import write_jsonl

HF = "hf_etl"
NORMALIZED_CODE = ("pipeline.transform.fair4ml", "pipeline.transform.modelcard", "pipeline.transform.validation",
                   "pipeline.transform.normalized_shards")


def build_hf_raw_models(ctx: BuildContext) -> dict:
    from pipeline.extract import harvest_state, hf, raw_shards
    from pipeline.registry import code_fingerprint

    settings, code = ctx.settings, code_fingerprint(ctx.asset)
    state = harvest_state.read(ctx.final_path("state"))
    previous_shards = [ctx.final_path("models", label) for label in ctx.labels]
    mode, reason = harvest_state.mode(state, settings, all(p.exists() for p in previous_shards), code)
    since = state["watermark"] if mode == "incremental" else None
    rejected: list[dict] = []
    tracker = harvest_state.Watermark(since)
    counts = raw_shards.write_shards(
        tracker.track(hf.harvest(settings, rejected, since)), ctx.labels, ctx.final_path("state").parent,
        previous=(lambda label: ctx.final_path("models", label)) if mode == "incremental" else None,
        output=lambda label: ctx.output("models", label), keep=lambda label: ctx.keep("models", label))
    quarantine = harvest_state.merge_quarantine(ctx.final_path("quarantine"), rejected, tracker.ids, mode)
    write_jsonl(ctx.output("quarantine"), quarantine)
    harvest_state.write(ctx.output("state"), harvest_state.next_state(state, settings, mode, tracker.newest, code))
    return {**counts, "mode": mode, "why": reason, "quarantined": len(quarantine),
            "source": "snapshot" if settings.hf_offline else settings.hf_endpoint}


def build_hf_models_normalized(ctx: BuildContext) -> dict:
    from pipeline.registry import code_fingerprint
    from pipeline.storage import file_digest
    from pipeline.transform import normalized_shards

    schema = SCHEMA_DIR / "fair4ml-mlmodel.schema.json"
    fingerprint = code_fingerprint(ctx.asset) + ":" + file_digest(schema)[:16]
    with ctx.output("quarantine").open("w", encoding="utf-8") as quarantine, \
            ctx.output("jsonl").open("w", encoding="utf-8") as jsonl:
        counts = normalized_shards.build_shard(ctx.input("hf_raw_models"), ctx.final_path("parquet"),
                                               ctx.output("parquet"), quarantine, fingerprint, jsonl)
    ok, quarantined = counts["models"], counts["quarantined"]
    total, where = ok + quarantined, ctx.asset.outputs["quarantine"].paths(ctx.labels, ctx.shard)[0]
    if total >= ctx.settings.quarantine_min_records and quarantined / total > ctx.settings.max_quarantine_fraction:
        # the previous good shard stays; the new quarantine file is kept so the failures can be read
        raise PipelineError(f"validation failed for {quarantined} of {total} records: see {where} "
                            f"(fix the mapping or raise MLENTORY_MAX_QUARANTINE_FRACTION)", keep=("quarantine",))
    if quarantined:
        print(f"{quarantined} of {total} records quarantined: see {where}")
    return counts


def build_hf_models_jsonld(ctx: BuildContext) -> dict:
    from pipeline.registry import code_fingerprint
    from pipeline.transform import jsonld

    return jsonld.write_shard(ctx.input("hf_models_normalized"), ctx.final_path("jsonld"), ctx.final_path("digests"),
                              ctx.output("jsonld"), ctx.output("digests"), code_fingerprint(ctx.asset))


def build_hf_load_models_to_neo4j(ctx: BuildContext) -> dict:
    from pipeline.load import graph, shard_load

    return shard_load.load_shard(ctx, graph.GraphSink(ctx.settings, ctx.asset.name), graph_target(ctx.settings))


def build_hf_index_models_in_elasticsearch(ctx: BuildContext) -> dict:
    from pipeline.load import search, shard_load

    return shard_load.load_shard(ctx, search.SearchSink(ctx.settings, ctx.asset.name), search_target(ctx.settings))


def graph_holds_last_load(settings, asset: Asset, shard: str) -> bool:
    from pipeline.load import graph, shard_load

    return shard_load.target_holds(settings, asset, shard, graph.GraphSink, graph_target(settings))


def search_holds_last_load(settings, asset: Asset, shard: str) -> bool:
    from pipeline.load import search, shard_load

    return shard_load.target_holds(settings, asset, shard, search.SearchSink, search_target(settings))


def _loader_outputs(name: str) -> dict:
    return {"receipt": Output(f"data/load/{name}/{{shard}}.json"),
            "loaded": Output(f"data/load/{name}/{{shard}}.loaded.parquet"),
            "rejects": Output(f"data/load/{name}/{{shard}}.rejects.jsonl", side=True)}


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
            inputs=lambda s: snapshot_files(s) if s.hf_offline else [],
            code=("pipeline.extract.hf", "pipeline.extract.raw_shards", "pipeline.extract.harvest_state"),
            config=lambda s: {**s.hf_harvest_identity(), "shards": s.shards},
            max_age=lambda s: None if s.hf_offline else timedelta(hours=s.hf_max_age_hours),
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
                     "quarantine": Output("data/normalized/hf/quarantine-{shard}.jsonl", side=True)},
            inputs=lambda s: [str(SCHEMA_DIR / "fair4ml-mlmodel.schema.json")],
            code=NORMALIZED_CODE,
            sharded=True,
        ),
        Asset(
            name="hf_models_jsonld",
            description="FAIR4ML records as one JSON-LD document with schema.org and FAIR4ML context",
            group=HF,
            build=build_hf_models_jsonld,
            upstream=("hf_models_normalized",),
            outputs={"jsonld": Output("data/rdf/hf/models-{shard}.jsonld"),
                     "digests": Output("data/rdf/hf/models-{shard}.digests.parquet", side=True)},
            code=("pipeline.transform.jsonld", "pipeline.transform.normalized_shards"),
            sharded=True,
        ),
        Asset(
            name="hf_load_models_to_neo4j",
            description="FAIR4ML records loaded as a property graph (Neo4j at NEO4J_URI, else embedded FalkorDB)",
            group=HF,
            build=build_hf_load_models_to_neo4j,
            upstream=("hf_models_normalized",),
            outputs=_loader_outputs("hf_load_models_to_neo4j"),
            code=("pipeline.load.graph", "pipeline.load.graph_model", "pipeline.load.neo4j",
                  "pipeline.load.falkordb", "pipeline.load.receipts", "pipeline.load.shard_load"),
            sharded=True,
            config=graph_target,
            verify=graph_holds_last_load,
        ),
        Asset(
            name="hf_index_models_in_elasticsearch",
            description="FAIR4ML records indexed for search (Elasticsearch at ELASTICSEARCH_URL, else embedded tantivy)",
            group=HF,
            build=build_hf_index_models_in_elasticsearch,
            upstream=("hf_models_normalized",),
            outputs=_loader_outputs("hf_index_models_in_elasticsearch"),
            code=("pipeline.load.search", "pipeline.load.elasticsearch", "pipeline.load.tantivy_index",
                  "pipeline.load.receipts", "pipeline.load.shard_load"),
            sharded=True,
            config=search_target,
            verify=search_holds_last_load,
        ),
    ],
    jobs=[Job("hf_etl_job", "Harvest, normalize and publish Hugging Face models (all hf_etl assets)", (HF,))],
)
