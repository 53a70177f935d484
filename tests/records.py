"""Schema-valid FAIR4ML records for loader tests, built through the real mapping from Hub-shaped items."""

from pipeline.transform import fair4ml, validation


def hub_item(model_id: str, **fields) -> dict:
    item = {"_id": "0" * 24, "id": model_id, "modelId": model_id, "author": model_id.split("/")[0],
            "private": False, "tags": [], "downloads": 10, "likes": 1, "sha": "a" * 40,
            "lastModified": "2024-05-01T00:00:00.000Z", "createdAt": "2024-01-01T00:00:00.000Z",
            "gated": False, "disabled": False, "siblings": []}
    item.update(fields)
    return item


def record(model_id: str, readme: str | None = None, **fields) -> dict:
    out = fair4ml.to_fair4ml(hub_item(model_id, **fields), readme)
    assert validation.problems(out) == [], validation.problems(out)
    return out


def family() -> list[dict]:
    """A base model, two generations of fine-tunes and a quantization, sharing datasets."""
    return [
        record("org/base", pipeline_tag="text-generation", library_name="transformers",
               cardData={"license": "apache-2.0", "datasets": ["org/pile"], "language": ["en"]},
               tags=["transformers", "arxiv:2001.08361", "license:apache-2.0"]),
        record("org/instruct", pipeline_tag="text-generation", library_name="transformers",
               cardData={"license": "apache-2.0", "base_model": "org/base", "datasets": ["org/chat"]},
               tags=["base_model:finetune:org/base"]),
        record("someone/tuned", pipeline_tag="text-generation",
               cardData={"license": "mit", "base_model": ["org/instruct"], "datasets": "org/chat"},
               tags=["base_model:finetune:org/instruct"]),
        record("someone/tuned-GGUF", library_name="gguf",
               cardData={"base_model": "someone/tuned"}, tags=["gguf", "base_model:quantized:someone/tuned"]),
        record("other/bert-tiny", pipeline_tag="fill-mask", library_name="transformers",
               cardData={"license": "mit", "datasets": ["org/pile"], "language": ["en", "de"]},
               readme="# bert tiny\n\nA tiny BERT for masked language modelling.\n"),
    ]


def empty_platform_snapshots(root) -> dict:
    """Snapshot folders of OpenML and bioimage.io that list nothing, as the environment that selects them:
    for a test about the Hub's records alone (licenses, entities and papers are catalog-wide)."""
    from pathlib import Path
    root = Path(root)
    (root / "zoo").mkdir(parents=True, exist_ok=True)
    (root / "zoo" / "collection.json").write_text('{"collection": []}')
    flows = root / "openml" / "api" / "v1" / "xml" / "flow"
    flows.mkdir(parents=True, exist_ok=True)
    (flows / "list.xml").write_text('<oml:flows xmlns:oml="http://openml.org/openml"></oml:flows>')
    return {"MLENTORY_BIOIMAGEIO_SNAPSHOT_DIR": str(root / "zoo"), "MLENTORY_OPENML_SNAPSHOT_DIR": str(root / "openml")}
