"""Base models beyond the harvest: a harvested model's bases that the harvest did not hold are fetched
from the Hub by id (and theirs, up to a depth), so the lineage ends in described models, not stubs;
fetched once and reused."""

import json

import pyarrow.parquet as pq

from tests.test_enrichment import live, live_hub, live_snapshot  # noqa: F401  (fixtures)


def entity(project, key):
    table = pq.read_table(project.path("data/normalized/entities/entities.parquet")).to_pylist()
    return next((json.loads(r["record"]) for r in table if r["key"] == key), None)


def test_bases_outside_the_harvest_are_fetched_up_the_chain(hf_project, live_hub):  # noqa: F811
    # harvest one model whose chain runs DeepScaleR -> R1-Distill-Qwen -> Qwen2.5-Math -> Qwen2.5
    hf_project.path("models.txt").write_text("agentica-org/DeepScaleR-1.5B-Preview\n")
    project = live(hf_project, live_hub)
    project.env["MLENTORY_HF_MODEL_LIST"] = "models.txt"
    result = project.doit()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    asked = {r["path"] for r in live_hub.requests if r["path"].startswith("/api/models/")}
    assert asked == {"/api/models/agentica-org/DeepScaleR-1.5B-Preview",
                     "/api/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B",
                     "/api/models/Qwen/Qwen2.5-Math-1.5B", "/api/models/Qwen/Qwen2.5-1.5B"}
    lineage = pq.read_table(project.path("data/enriched/base_model_lineage.parquet")).to_pylist()
    assert [(r["ancestor"], r["depth"], r["ancestor_fetched"]) for r in sorted(lineage, key=lambda r: r["depth"])] == [
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", 1, True), ("Qwen/Qwen2.5-Math-1.5B", 2, True),
        ("Qwen/Qwen2.5-1.5B", 3, True)]
    described = entity(project, "MLModel Qwen/Qwen2.5-Math-1.5B")
    assert described["fetched"] is True and described["fineTunedFrom"] == ["Qwen/Qwen2.5-1.5B"]
    assert described["license"] and described["description"]
    from pipeline.config import load_settings
    from pipeline.load.graph import query_graph
    settings = load_settings(project.root, environ=project.env)
    chain = query_graph(settings, "MATCH p = (:MLModel {id: 'agentica-org/DeepScaleR-1.5B-Preview'})"
                                  "-[:FINE_TUNED_FROM*]->(b:MLModel) RETURN b.id, length(p), b.fetched")
    assert sorted(chain, key=lambda r: r[1]) == [["deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", 1, True],
                                                ["Qwen/Qwen2.5-Math-1.5B", 2, True], ["Qwen/Qwen2.5-1.5B", 3, True]]

    # a second run asks the Hub for none of them again
    live_hub.requests.clear()
    again = project.doit("hf_raw_base_models")
    assert again.returncode == 0
    assert not [r for r in live_hub.requests if r["path"].startswith("/api/models/")]


def test_depth_bounds_the_fetch_and_the_rest_stay_stubs(hf_project, live_hub):  # noqa: F811
    hf_project.path("models.txt").write_text("agentica-org/DeepScaleR-1.5B-Preview\n")
    project = live(hf_project, live_hub)
    project.env.update(MLENTORY_HF_MODEL_LIST="models.txt", MLENTORY_BASE_MODEL_DEPTH="1")
    assert project.doit().returncode == 0
    assert entity(project, "MLModel deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B")["fetched"] is True
    stub = entity(project, "MLModel Qwen/Qwen2.5-Math-1.5B")
    assert stub is not None and "fetched" not in stub  # named by a fetched base, beyond the depth: a stub
