"""Record history: a model whose upstream data changes keeps its earlier versions with when each was
valid; a remapping by new code is not a new version; a model that leaves the catalog keeps its history;
`doit history MODEL` prints what changed when."""

import json

from tests.records import hub_item
from tests.test_loaders_doit import write_snapshot


def test_versions_are_kept_with_their_validity_and_shown_by_doit_history(hf_project, tmp_path):
    snap = tmp_path / "snap"
    base = hub_item("org/model", downloads=10, cardData={"license": "mit"})
    other = hub_item("org/other")
    write_snapshot(snap, [base, other])
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(snap), MLENTORY_HF_FULL_LISTING_HOURS="0")
    assert hf_project.doit("hf_models_normalized").returncode == 0
    assert hf_project.doit("history", "org/model").stdout.splitlines()[0] == "org/model: 1 version"

    changed = dict(base, downloads=999, lastModified="2030-01-01T00:00:00.000Z", cardData={"license": "apache-2.0"})
    write_snapshot(snap, [changed, other])
    assert hf_project.doit("hf_models_normalized").returncode == 0
    versions = json.loads(hf_project.doit("history", "org/model", "--format", "json").stdout)
    assert [v["change"] for v in versions] == ["updated", "current"]
    # valid from the Hub's lastModified of one version to the next's
    assert (versions[0]["valid_from"], versions[0]["valid_to"], versions[1]["valid_from"]) == (
        base["lastModified"], "2030-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z")
    assert (versions[0]["record"]["downloads"], versions[1]["record"]["downloads"]) == (10, 999)
    text = hf_project.doit("history", "org/model").stdout
    assert 'downloads: 10 -> 999' in text and 'license: ["mit"] -> ["apache-2.0"]' in text

    # the model leaves the catalog: its history stays and says so
    write_snapshot(snap, [other])
    assert hf_project.doit("hf_models_normalized").returncode == 0
    gone = json.loads(hf_project.doit("history", "org/model", "--format", "json").stdout)
    assert [v["change"] for v in gone] == ["updated", "removed"]
    assert "left the catalog at" in hf_project.doit("history", "org/model").stdout

    unknown = hf_project.doit("history", "org/never")
    assert unknown.returncode == 1 and unknown.stderr.strip().startswith("no record of org/never")


def test_a_code_change_alone_is_not_a_new_version(hf_project, tmp_path):
    """The shard is mapped again by other code (another fingerprint) from the same raw rows: the record may
    differ, but nothing upstream changed, so no version ends."""
    import io

    from pipeline.transform import fair4ml, normalized_shards

    snap = tmp_path / "snap"
    write_snapshot(snap, [hub_item("org/model")])
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(snap), MLENTORY_SHARDS="1")
    assert hf_project.doit("hf_raw_models").returncode == 0
    raw = hf_project.path("data/raw/hf/models-000.parquet")
    first, second, history = tmp_path / "first.parquet", tmp_path / "second.parquet", tmp_path / "history.parquet"
    normalized_shards.build_shard(raw, tmp_path / "none.parquet", first, io.StringIO(), "code-1",
                                  history=(tmp_path / "none-history.parquet", history), now="2026-01-01T00:00:00Z",
                                  mapping=fair4ml.to_fair4ml)
    counts = normalized_shards.build_shard(raw, first, second, io.StringIO(), "code-2",
                                           history=(history, tmp_path / "history-2.parquet"),
                                           now="2026-02-01T00:00:00Z", mapping=fair4ml.to_fair4ml)
    assert counts["mapped"] == 1 and "versions_ended" not in counts  # mapped again, no version ended
    assert not (tmp_path / "history-2.parquet").exists()


def test_versions_past_the_recent_bound_move_to_the_archive_and_stay_in_order(hf_project, tmp_path):
    """The recent history file is rewritten by every update that ends a version; it holds at most
    MLENTORY_HISTORY_RECENT_VERSIONS of them, older ones move to the archive, and `doit history` reads both."""
    import pyarrow.parquet as pq

    snap = tmp_path / "snap"
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(snap), MLENTORY_HF_FULL_LISTING_HOURS="0",
                          MLENTORY_SHARDS="1", MLENTORY_HISTORY_RECENT_VERSIONS="2")
    recent = hf_project.path("data/history/hf/models-000.parquet")
    archive = hf_project.path("data/history/hf/models-000.archive.parquet")
    held = []
    for day in range(1, 6):  # five versions: four end
        write_snapshot(snap, [hub_item("org/model", downloads=day, lastModified=f"2030-01-0{day}T00:00:00.000Z")])
        assert hf_project.doit("hf_models_normalized").returncode == 0
        held.append((pq.read_metadata(recent).num_rows, pq.read_metadata(archive).num_rows))
    # ended: 0, 1, 2, then a third (over the bound of 2: all three to the archive), then one more
    assert held == [(0, 0), (1, 0), (2, 0), (0, 3), (1, 3)]
    versions = json.loads(hf_project.doit("history", "org/model", "--format", "json").stdout)
    assert [v["record"]["downloads"] for v in versions] == [1, 2, 3, 4, 5]
    assert [v["change"] for v in versions] == ["updated"] * 4 + ["current"]
