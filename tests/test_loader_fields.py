"""The model loaders read only the columns they use (`ShardSink.fields`): what they build from those
must be what they built from whole records, on the real-world corpus (tests/realworld) written as a
normalized shard by the pipeline's own code."""

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.load import graph_model as gm
from pipeline.load.search import RECORD_FIELDS, LinkedTitles, search_document
from pipeline.transform import fair4ml
from pipeline.transform.ids import arxiv_ids
from pipeline.transform.normalized_shards import build_shard, iter_records

CORPUS = Path(__file__).resolve().parent / "realworld" / "corpus"


@pytest.fixture(scope="module")
def corpus_shard(tmp_path_factory) -> Path:
    """The real-world corpus mapped into one normalized shard (every record valid: see test_realworld)."""
    folder = tmp_path_factory.mktemp("fields")
    items = json.loads((CORPUS / "api" / "models.json").read_text(encoding="utf-8"))
    rows = []
    for n, item in enumerate(items):
        model_id = item.get("id") or item["modelId"]
        card = CORPUS / "readmes" / model_id / "README.md"
        rows.append({"id": model_id, "raw_json": json.dumps({**item, "id": model_id}),
                     "readme": card.read_bytes().decode("utf-8") if card.exists() else None, "digest": f"d{n}"})
    raw = folder / "raw.parquet"
    pq.write_table(pa.Table.from_pylist(rows), raw, row_group_size=64)  # several row groups
    out = folder / "models-000.parquet"
    counts = build_shard(raw, folder / "none.parquet", out, io.StringIO(), "test", mapping=fair4ml.to_fair4ml)
    assert counts["models"] == len(items) > 300 and counts["quarantined"] == 0
    return out


@pytest.mark.parametrize("fields", [gm.MODEL_FIELDS, RECORD_FIELDS], ids=["graph", "search"])
def test_a_loaders_fields_read_from_columns_equal_the_records_values(corpus_shard, fields):
    whole = list(iter_records(corpus_shard, None))
    projected = list(iter_records(corpus_shard, None, fields=fields))
    assert projected == [{k: record[k] for k in sorted(fields)} for record in whole]
    assert [list(r) for r in projected] == [sorted(fields)] * len(whole)  # keys in the JSON's order
    for wanted in ({r["identifier"] for r in whole[::7]}, {r["identifier"] for r in whole} - {whole[5]["identifier"]}):
        some = list(iter_records(corpus_shard, wanted, fields=fields))  # a few rows: JSON; most: columns
        assert [{k: r[k] for k in sorted(fields)} for r in some] == [p for p in projected if p["identifier"] in wanted]
        assert len(some) == len(wanted)


def test_graph_and_search_build_the_same_from_their_fields_as_from_whole_records(corpus_shard):
    whole = list(iter_records(corpus_shard, None))
    graph = list(iter_records(corpus_shard, None, fields=gm.MODEL_FIELDS))
    search = list(iter_records(corpus_shard, None, fields=RECORD_FIELDS))
    assert any(r["citation"] for r in whole) and any(r["fineTunedFrom"] for r in whole)  # what links is there
    linked = {("Dataset", d) for r in whole for d in r["trainedOn"]} | {("Paper", p) for r in whole for p in arxiv_ids(r)}
    assert {kind for kind, _ in linked} == {"Dataset", "Paper"}
    entities = corpus_shard.parent / "entities.parquet"  # a title for every dataset and paper the corpus links to
    pq.write_table(pa.Table.from_pylist([{"kind": kind, "identifier": i, "name": f"{kind} {i}"}
                                         for kind, i in sorted(linked)]), entities)
    titles = LinkedTitles(entities)
    for full, g, s in zip(whole, graph, search):
        assert gm.model_properties(g, "000") == gm.model_properties(full, "000")
        assert gm.record_links(g) == gm.record_links(full)
        assert search_document(s, titles) == search_document(full, titles)
    assert gm.rows_for(graph, "000") == gm.rows_for(whole, "000")


def test_a_nested_field_is_refused_and_an_old_file_gives_whole_records(corpus_shard, tmp_path):
    with pytest.raises(ValueError, match="fieldSources"):
        list(iter_records(corpus_shard, None, fields={"identifier", "fieldSources"}))
    old = tmp_path / "old.parquet"  # a layout without the field columns: the records as they are
    pq.write_table(pq.read_table(corpus_shard, columns=["identifier", "record"]), old)
    assert list(iter_records(old, None, fields=RECORD_FIELDS)) == list(iter_records(corpus_shard, None))
