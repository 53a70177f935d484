"""Schema validation and quarantine through `doit`: bad records are kept with id, path and reason."""

import json

import pyarrow.parquet as pq

from pipeline.transform import validation
from tests.records import hub_item, record
from tests.test_loaders_doit import write_snapshot


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_bad_records_are_quarantined_with_path_and_reason_and_odd_fields_repaired(hf_project, tmp_path):
    items = [
        hub_item("good/one", pipeline_tag="fill-mask"),
        hub_item("odd/negative-downloads", downloads=-3),
        hub_item("odd/base-model-map", cardData={"base_model": {"name": "org/x"}}),
        hub_item("odd/model-index-text", cardData={"model-index": "accuracy 0.9"}),
        hub_item("odd/tags-string", tags="llama"),
        hub_item("bad/date", lastModified="yesterday"),
        hub_item("bad/created", createdAt="last week"),
        hub_item("bad/month", lastModified="2024-13-01T00:00:00.000Z"),  # the pattern's shape, no calendar's
        {"modelId": "legacy/shape"},  # the listing's older items named the repo only `modelId`
        {"author": "no-id-at-all"},
        "not even an object",
        hub_item("good/two", cardData={"datasets": "squad"}),
    ]
    write_snapshot(tmp_path / "snap", [i for i in items if isinstance(i, dict) and "id" in i])
    (tmp_path / "snap" / "api" / "models.json").write_text(json.dumps(items))
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(tmp_path / "snap")
    hf_project.env["MLENTORY_MAX_QUARANTINE_FRACTION"] = "1"  # this input is mostly bad on purpose
    hf_project.env["MLENTORY_SHARDS"] = "1"
    result = hf_project.doit("hf_models_normalized")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 of 10 records quarantined: see data/normalized/hf/quarantine-000.jsonl" in result.stdout
    harvest_line = [line for line in result.stdout.splitlines() if line.startswith("hf_raw_models ")][0]
    assert "10 models  2 quarantined" in harvest_line  # the harvest's line says what it set aside

    raw_quarantine = read_jsonl(hf_project.path("data/raw/hf/quarantine.jsonl"))
    assert [(q["path"], q["reason"].split(" (")[0]) for q in raw_quarantine] == [
        ("/9/id", "item has no valid repo 'id'"), ("/10", "item is a str, not an object")]

    quarantine = {q["id"]: q for q in read_jsonl(hf_project.path("data/normalized/hf/quarantine-000.jsonl"))}
    assert sorted(quarantine) == ["bad/created", "bad/date", "bad/month"]
    assert quarantine["bad/month"]["path"] == "/dateModified" and "not a calendar date" in quarantine["bad/month"]["reason"]
    assert quarantine["bad/date"]["path"] == "/dateModified"
    assert quarantine["bad/created"]["path"] == "/dateCreated"

    good = {r["identifier"]: r for r in pq.read_table(hf_project.path("data/normalized/hf/models-000.parquet")).to_pylist()}
    assert sorted(good) == ["good/one", "good/two", "legacy/shape", "odd/base-model-map", "odd/model-index-text",
                            "odd/negative-downloads", "odd/tags-string"]
    assert good["good/two"]["trainedOn"] == ["squad"] and good["good/two"]["dataIssues"] == []
    # each repair is said in the record; nothing is iterated character by character
    assert good["odd/negative-downloads"]["downloads"] == 0
    assert good["odd/negative-downloads"]["dataIssues"] == ["downloads '-3' is not a count (0 used)"]
    assert good["odd/base-model-map"]["fineTunedFrom"] == ["org/x"]
    assert good["odd/model-index-text"]["evaluationMetrics"] == []
    assert good["odd/model-index-text"]["dataIssues"] == ["model-index is a str, not a list (left out)"]
    assert good["odd/tags-string"]["keywords"] == ["llama"]
    assert "tags are a str" in good["odd/tags-string"]["dataIssues"][0]
    lines = read_jsonl(hf_project.path("data/normalized/hf/models-000.jsonl"))
    assert lines == [json.loads(r["record"]) for r in good.values()]


def test_every_problem_of_a_record_is_listed():
    broken = record("ok/model")
    broken["downloads"] = -1
    broken["likes"] = "many"
    broken["unexpected"] = True
    paths = [p["path"] for p in validation.problems(broken)]
    assert paths == ["/", "/downloads", "/likes"]
    entry = validation.quarantine_entry("ok/model", "schema", validation.problems(broken))
    assert entry["path"] == "/" and "unexpected" in entry["reason"] and len(entry["errors"]) == 3


def test_jsonld_document_has_context_and_one_node_per_record(hf_project, tmp_path):
    write_snapshot(tmp_path / "snap", [hub_item("org/base", cardData={"datasets": ["org/pile"]}),
                                       hub_item("org/tuned", cardData={"base_model": "org/base"},
                                                tags=["arxiv:1810.04805"])])
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(tmp_path / "snap")
    hf_project.env["MLENTORY_SHARDS"] = "1"
    assert hf_project.doit("hf_models_jsonld").returncode == 0
    document = json.loads(hf_project.path("data/rdf/hf/models-000.jsonld").read_text())
    context = document["@context"]
    assert context["@vocab"] == "https://schema.org/" and context["fair4ml"] == "https://w3id.org/fair4ml#"
    nodes = {n["@id"]: n for n in document["@graph"]}
    # stable IRIs under the configured base; the Hub page is the node's url and sameAs
    tuned = nodes["https://w3id.org/mlentory/model/hf/org/tuned"]
    assert tuned["@type"] == "MLModel" and tuned["url"] == tuned["sameAs"] == "https://huggingface.co/org/tuned"
    assert tuned["fineTunedFrom"] == ["https://w3id.org/mlentory/model/hf/org/base"]
    assert tuned["citation"] == ["https://w3id.org/mlentory/paper/arxiv/1810.04805"]
    assert nodes["https://w3id.org/mlentory/model/hf/org/base"]["trainedOn"] == [
        "https://w3id.org/mlentory/dataset/hf/org/pile"]
    assert {s["interactionType"]["@type"] for s in tuned["interactionStatistic"]} == {"DownloadAction", "LikeAction"}
    # another base moves every IRI (and makes the JSON-LD stale)
    other = hf_project.doit("hf_models_jsonld", env={"MLENTORY_IRI_BASE": "https://example.org/catalog"})
    assert other.returncode == 0 and any(l.split()[:2] == ["hf_models_jsonld", "built"] for l in other.stdout.splitlines())
    moved = json.loads(hf_project.path("data/rdf/hf/models-000.jsonld").read_text())
    assert {n["@id"] for n in moved["@graph"]} == {"https://example.org/catalog/model/hf/org/base",
                                                   "https://example.org/catalog/model/hf/org/tuned"}


def test_mostly_invalid_input_fails_in_one_line_keeps_the_catalog_and_publishes_the_quarantine(hf_project, tmp_path):
    good = [hub_item("good/one"), hub_item("good/two")]
    write_snapshot(tmp_path / "snap", good)
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(tmp_path / "snap")
    hf_project.env.update(MLENTORY_SHARDS="1", MLENTORY_QUARANTINE_MIN_RECORDS="1")
    assert hf_project.doit("hf_models_normalized").returncode == 0
    catalog = hf_project.path("data/normalized/hf/models-000.parquet").read_bytes()
    bad = [hub_item(f"bad/m{i}", createdAt="never") for i in range(3)]
    write_snapshot(tmp_path / "snap", good + bad)
    result = hf_project.doit("hf_models_normalized")
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert [l for l in result.stdout.splitlines() if l.startswith("FAILED")] == [
        "FAILED hf_models_normalized:000: validation failed for 3 of 5 records: see "
        "data/normalized/hf/quarantine-000.jsonl (fix the mapping or raise MLENTORY_MAX_QUARANTINE_FRACTION)"]
    assert hf_project.path("data/normalized/hf/models-000.parquet").read_bytes() == catalog
    assert len(read_jsonl(hf_project.path("data/normalized/hf/quarantine-000.jsonl"))) == 3


def test_fast_check_and_jsonschema_agree():
    """The compiled fast path must accept exactly what the reference validator accepts."""
    from jsonschema import Draft202012Validator
    import json as _json

    reference = Draft202012Validator(_json.loads(validation.schema_path(validation.MODEL_SCHEMA).read_text()))
    fast = validation.fast_check(validation.MODEL_SCHEMA)
    base = record("org/model", cardData={"base_model": "org/base", "datasets": ["d"], "license": "mit"})
    variants = [base, {**base, "downloads": -1}, {**base, "likes": 1.5}, {**base, "identifier": "bad id"},
                {**base, "mlTask": ["Not A Tag"]}, {**base, "extra": 1}, {**base, "cardStatus": "weird"},
                {**base, "dateModified": "2024-01-01"}, {**base, "fineTunedFrom": [{"x": 1}]},
                {**base, "evaluationMetrics": [{"metric": "acc", "value": "high"}]},
                {**base, "baseModelRelation": "other"}, {k: v for k, v in base.items() if k != "license"}]
    for variant in variants:
        try:
            fast(variant)
            fast_ok = True
        except Exception:
            fast_ok = False
        assert fast_ok == reference.is_valid(variant), variant


def test_a_record_quarantined_before_is_quarantined_again_without_being_examined_again(hf_project, tmp_path):
    """A shard rebuilt because another of its records changed: its quarantined record, from the same raw
    row and by the same code, keeps its entry without being mapped and validated again; once its raw row
    changes it is examined again."""
    import io

    from pipeline.transform import fair4ml, normalized_shards

    snap = tmp_path / "snap"
    items = [hub_item("good/one"), hub_item("bad/date", lastModified="yesterday")]
    write_snapshot(snap, items)
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(snap), MLENTORY_SHARDS="1",
                          MLENTORY_MAX_QUARANTINE_FRACTION="1", MLENTORY_HF_FULL_LISTING_HOURS="0")
    assert hf_project.doit("hf_raw_models").returncode == 0
    raw = hf_project.path("data/raw/hf/models-000.parquet")
    first, first_q = tmp_path / "first.parquet", io.StringIO()
    normalized_shards.build_shard(raw, tmp_path / "none.parquet", first, first_q, "code-1", mapping=fair4ml.to_fair4ml)
    (tmp_path / "q.jsonl").write_text(first_q.getvalue())
    [entry] = [json.loads(line) for line in first_q.getvalue().splitlines()]
    assert entry["id"] == "bad/date" and entry["path"] == "/dateModified" and entry["raw_digest"]

    mapped = []

    def counting(item, readme):
        mapped.append(item.get("id"))
        return fair4ml.to_fair4ml(item, readme)

    write_snapshot(snap, [hub_item("good/one", downloads=5, lastModified="2030-01-01T00:00:00.000Z"), items[1]])
    assert hf_project.doit("hf_raw_models").returncode == 0
    again = io.StringIO()
    counts = normalized_shards.build_shard(raw, first, tmp_path / "second.parquet", again, "code-1",
                                           mapping=counting, previous_quarantine=tmp_path / "q.jsonl")
    assert mapped == ["good/one"] and again.getvalue() == first_q.getvalue() and counts["quarantined"] == 1
    assert (counts["mapped"], counts["quarantine_reused"]) == (1, 1)  # what its status line says

    other_code = io.StringIO()  # another fingerprint: nothing is taken from the previous build
    normalized_shards.build_shard(raw, first, tmp_path / "third.parquet", other_code, "code-2",
                                  mapping=counting, previous_quarantine=tmp_path / "q.jsonl")
    assert sorted(mapped[1:]) == ["bad/date", "good/one"]
    assert json.loads(other_code.getvalue())["path"] == "/dateModified"

    changed = dict(items[1], downloads=7)  # its raw row changes: examined again, still refused
    write_snapshot(snap, [hub_item("good/one", downloads=5, lastModified="2030-01-01T00:00:00.000Z"), changed])
    assert hf_project.doit("hf_raw_models").returncode == 0
    fresh = io.StringIO()
    normalized_shards.build_shard(raw, first, tmp_path / "fourth.parquet", fresh, "code-1",
                                  mapping=counting, previous_quarantine=tmp_path / "q.jsonl")
    assert "bad/date" in mapped[3:] and json.loads(fresh.getvalue())["raw_digest"] != entry["raw_digest"]
