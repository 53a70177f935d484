"""Entities are validated once per text: a run checks only the entity records the previous entities
file (written by the same code and schema) did not hold, and a record that breaks the schema is
quarantined whatever the previous file held."""

import pyarrow.parquet as pq

from pipeline.transform import entities, validation


def _catalog(tmp_path, name, records, fingerprint, previous=None):
    quarantine: list[dict] = []
    out = tmp_path / f"{name}.parquet"
    kinds = entities.write_catalog(iter(records), quarantine, out, tmp_path / f"{name}.jsonl",
                                   tmp_path / f"{name}.jsonld", fingerprint=fingerprint, previous=previous)
    return out, quarantine, kinds


def _checked(monkeypatch) -> list[str]:
    seen: list[str] = []
    problems = validation.problems

    def counting(record, schema=validation.MODEL_SCHEMA):
        seen.append(record.get("identifier"))
        return problems(record, schema)

    monkeypatch.setattr(validation, "problems", counting)
    return seen


def test_only_records_the_previous_file_lacks_are_validated_again(tmp_path, monkeypatch):
    first = [entities.agent_record("alice"), entities.agent_record("bob"), entities.task_record("fill-mask")]
    broken = {**entities.agent_record("carol"), "name": 5}
    before, quarantine, _ = _catalog(tmp_path, "before", first + [broken], "code-1")
    assert [q["id"] for q in quarantine] == ["carol"]

    checked = _checked(monkeypatch)
    changed = [first[0], {**first[1], "name": "Bob B."}, broken, entities.agent_record("dave"), first[2]]
    after, quarantine, kinds = _catalog(tmp_path, "after", changed, "code-1", previous=before)
    assert sorted(checked) == ["bob", "carol", "dave"]  # alice and the task are the same texts as before
    assert [q["id"] for q in quarantine] == ["carol"]  # still refused: it never passed
    assert kinds == {"Agent": 3, "Task": 1}
    names = {r["identifier"]: r["name"] for r in pq.read_table(after).to_pylist()}
    assert names == {"alice": "alice", "bob": "Bob B.", "dave": "dave", "fill-mask": "Fill mask"}


def test_another_code_or_schema_validates_every_record(tmp_path, monkeypatch):
    records = [entities.agent_record("alice"), entities.agent_record("bob")]
    before, _, _ = _catalog(tmp_path, "before", records, "code-1")
    checked = _checked(monkeypatch)
    _catalog(tmp_path, "after", records, "code-2", previous=before)
    assert sorted(checked) == ["alice", "bob"]


def test_a_dataset_date_of_the_pattern_but_no_calendar_is_quarantined_like_a_model_date(tmp_path):
    """Every schema's date-and-time fields are checked against the calendar (found in the schema, not
    listed by hand): a Hub dataset whose lastModified says month 13 is refused with its path."""
    import json

    assert validation.instant_fields(entities.SCHEMA) == ("dateCreated", "dateModified")
    assert validation.instant_fields(validation.MODEL_SCHEMA) == ("dateCreated", "dateModified")
    body = {"id": "org/data", "tags": [], "createdAt": "2024-01-01T00:00:00.000Z"}
    good = entities.dataset_record({"id": "org/data", "status": "ok", "raw_json": json.dumps(
        {**body, "lastModified": "2024-02-29T10:00:00.000Z"})})
    odd = entities.dataset_record({"id": "org/odd", "status": "ok", "raw_json": json.dumps(
        {**body, "id": "org/odd", "lastModified": "2023-02-29T10:00:00.000Z"})})
    assert validation.problems(good, entities.SCHEMA) == []
    assert [p["path"] for p in validation.problems(odd, entities.SCHEMA)] == ["/dateModified"]
    _, quarantine, _ = _catalog(tmp_path, "dates", [good, odd], "code-1")
    assert [q["id"] for q in quarantine] == ["org/odd"] and "calendar" in quarantine[0]["reason"]
