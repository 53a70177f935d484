"""The MLentory asset registry: every data asset of the pipeline, in build order.

Each asset names its upstream assets, its outputs under `data/` and the function that builds it.
Build functions are thin: they move data between files and call the stage modules
(`extract/`, `transform/`, `load/`), which are declared as the asset's code so editing them reruns
it. Stage modules are imported inside the build functions: doit loads this registry on every
command, and it must not pay for pyarrow, the Hub client or the database drivers to do so.
"""

from __future__ import annotations

import json
from datetime import timedelta

from pipeline.config import SCHEMA_DIR
from pipeline.doit_tasks import BuildContext
from pipeline.extract.snapshot import snapshot_files
from pipeline.load.targets import graph_target, search_target
from pipeline.registry import Asset, Job, Output, PipelineError, Registry
from pipeline.storage import read_jsonl, write_jsonl

BATCH_ROWS = 10_000
HF = "hf_etl"


def build_hf_raw_models(ctx: BuildContext) -> dict:
    import pyarrow.parquet as pq
    from pipeline.extract import hf

    rejected: list[dict] = []
    models = readme_missing = 0
    with pq.ParquetWriter(ctx.output("models"), hf.RAW_SCHEMA, compression="zstd") as writer:
        for table in hf.batches(hf.harvest(ctx.settings, rejected), BATCH_ROWS):
            writer.write_table(table)
            models += table.num_rows
            readme_missing += table.num_rows - table.column("readme_status").to_pylist().count("ok")
    write_jsonl(ctx.output("quarantine"), rejected)
    return {"models": models, "quarantined": len(rejected), "without_readme": readme_missing,
            "source": "snapshot" if ctx.settings.hf_offline else ctx.settings.hf_endpoint}


def build_hf_models_normalized(ctx: BuildContext) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pipeline.transform import fair4ml, validation

    raw = pq.ParquetFile(ctx.input("hf_raw_models"))
    ok = quarantined = 0
    with pq.ParquetWriter(ctx.output("parquet"), fair4ml.ARROW_SCHEMA, compression="zstd") as parquet, \
            ctx.output("jsonl").open("w", encoding="utf-8") as jsonl, \
            ctx.output("quarantine").open("w", encoding="utf-8") as quarantine:
        for batch in raw.iter_batches(batch_size=BATCH_ROWS):
            good = []
            for row in batch.to_pylist():
                record = fair4ml.to_fair4ml(json.loads(row["raw_json"]), row["readme"])
                issues = validation.problems(record)
                if issues:
                    entry = validation.quarantine_entry(row["id"], "schema", issues)
                    quarantine.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
                    quarantined += 1
                else:
                    good.append(record)
                    jsonl.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            parquet.write_table(pa.Table.from_pylist(good, schema=fair4ml.ARROW_SCHEMA))
            ok += len(good)
    total, where = ok + quarantined, ctx.asset.outputs["quarantine"].path
    if total and quarantined / total > ctx.settings.max_quarantine_fraction:
        # the previous good catalog stays; the new quarantine file is kept so the failures can be read
        raise PipelineError(f"validation failed for {quarantined} of {total} records: see {where} "
                            f"(fix the mapping or raise MLENTORY_MAX_QUARANTINE_FRACTION)", keep=("quarantine",))
    if quarantined:
        print(f"{quarantined} of {total} records quarantined: see {where}")
    return {"models": ok, "quarantined": quarantined}


def build_hf_models_jsonld(ctx: BuildContext) -> dict:
    from pipeline.transform import jsonld

    count = jsonld.write_file(read_jsonl(ctx.input("hf_models_normalized", "jsonl")), ctx.output("jsonld"))
    return {"models": count}


def build_hf_load_models_to_neo4j(ctx: BuildContext) -> dict:
    from pipeline.load import graph, receipts

    source = ctx.input("hf_models_normalized", "jsonl")
    store = graph.graph_store(ctx.settings).open()
    try:
        with ctx.output("rejects").open("w", encoding="utf-8") as rejects:
            counts = graph.load_records(store, read_jsonl(source), receipts.load_id_for(source),
                                        ctx.settings.load_batch_size, rejects)
        receipt = receipts.make_receipt(ctx.asset.name, graph_target(ctx.settings), source, counts)
        graph.write_receipt(store, ctx.asset.name, receipt)
    except BaseException:
        store.close(save=False)
        raise
    store.close(save=True)
    receipts.write_local(ctx.output("receipt"), receipt)
    return {**counts, "target": store.target}


def graph_holds_last_load(settings, asset: Asset) -> bool:
    from pipeline.load import graph, receipts

    local = receipts.read_local(settings.root / asset.outputs["receipt"].path)
    if local is None or local.get("target") != graph_target(settings):
        return False
    store = graph.graph_store(settings).open()
    try:
        return receipts.same_load(local, graph.read_receipt(store, asset.name))
    finally:
        store.close(save=False)


def build_hf_index_models_in_elasticsearch(ctx: BuildContext) -> dict:
    from pipeline.load import receipts, search

    source = ctx.input("hf_models_normalized", "jsonl")
    index = search.search_index(ctx.settings).open()
    try:
        with ctx.output("rejects").open("w", encoding="utf-8") as rejects:
            counts = index.rebuild(search.search_documents(read_jsonl(source)), receipts.load_id_for(source), rejects)
        receipt = receipts.make_receipt(ctx.asset.name, search_target(ctx.settings), source, counts)
        index.write_receipt(receipt)
    finally:
        index.close()
    receipts.write_local(ctx.output("receipt"), receipt)
    return {**counts, "target": index.target}


def search_holds_last_load(settings, asset: Asset) -> bool:
    from pipeline.load import receipts, search

    local = receipts.read_local(settings.root / asset.outputs["receipt"].path)
    if local is None or local.get("target") != search_target(settings):
        return False
    index = search.search_index(settings).open()
    try:
        return receipts.same_load(local, index.read_receipt())
    finally:
        index.close()


REGISTRY = Registry(
    assets=[
        Asset(
            name="hf_raw_models",
            description="Model metadata and model cards harvested from the Hugging Face Hub (raw JSON kept)",
            group=HF,
            build=build_hf_raw_models,
            outputs={"models": Output("data/raw/hf/models.parquet"),
                     "quarantine": Output("data/raw/hf/quarantine.jsonl", side=True)},
            inputs=lambda s: snapshot_files(s) if s.hf_offline else [],
            code=("pipeline.extract.hf",),
            config=lambda s: s.hf_harvest_identity(),
            max_age=lambda s: None if s.hf_offline else timedelta(hours=s.hf_max_age_hours),
        ),
        Asset(
            name="hf_models_normalized",
            description="Hub models mapped to FAIR4ML and validated against the JSON Schema (bad ones quarantined)",
            group=HF,
            build=build_hf_models_normalized,
            upstream=("hf_raw_models",),
            outputs={"parquet": Output("data/normalized/hf/models.parquet"),
                     "jsonl": Output("data/normalized/hf/models.jsonl"),
                     "quarantine": Output("data/normalized/hf/quarantine.jsonl", side=True)},
            inputs=lambda s: [str(SCHEMA_DIR / "fair4ml-mlmodel.schema.json")],
            code=("pipeline.transform.fair4ml", "pipeline.transform.modelcard", "pipeline.transform.validation"),
        ),
        Asset(
            name="hf_models_jsonld",
            description="FAIR4ML records as one JSON-LD document with schema.org and FAIR4ML context",
            group=HF,
            build=build_hf_models_jsonld,
            upstream=("hf_models_normalized",),
            outputs={"jsonld": Output("data/rdf/hf/models.jsonld")},
            code=("pipeline.transform.jsonld",),
        ),
        Asset(
            name="hf_load_models_to_neo4j",
            description="FAIR4ML records loaded as a property graph (Neo4j at NEO4J_URI, else embedded FalkorDB)",
            group=HF,
            build=build_hf_load_models_to_neo4j,
            upstream=("hf_models_normalized",),
            outputs={"receipt": Output("data/load/hf_load_models_to_neo4j.json"),
                     "rejects": Output("data/load/hf_load_models_to_neo4j.rejects.jsonl", side=True)},
            code=("pipeline.load.graph", "pipeline.load.graph_model", "pipeline.load.neo4j",
                  "pipeline.load.falkordb", "pipeline.load.receipts"),
            config=graph_target,
            verify=graph_holds_last_load,
        ),
        Asset(
            name="hf_index_models_in_elasticsearch",
            description="FAIR4ML records indexed for search (Elasticsearch at ELASTICSEARCH_URL, else embedded tantivy)",
            group=HF,
            build=build_hf_index_models_in_elasticsearch,
            upstream=("hf_models_normalized",),
            outputs={"receipt": Output("data/load/hf_index_models_in_elasticsearch.json"),
                     "rejects": Output("data/load/hf_index_models_in_elasticsearch.rejects.jsonl", side=True)},
            code=("pipeline.load.search", "pipeline.load.elasticsearch", "pipeline.load.tantivy_index",
                  "pipeline.load.receipts"),
            config=search_target,
            verify=search_holds_last_load,
        ),
    ],
    jobs=[Job("hf_etl_job", "Harvest, normalize and publish Hugging Face models (all hf_etl assets)", (HF,))],
)
