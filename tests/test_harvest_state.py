"""When a harvest lists everything and when it asks only for what changed since the watermark."""

from datetime import datetime, timedelta, timezone

from pipeline.config import load_settings
from pipeline.extract import harvest_state
from pipeline.extract.hf import RawModel, newer_items

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_full_listing_when_needed_else_incremental(tmp_path):
    settings = load_settings(tmp_path, environ={"HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "4"})
    assert harvest_state.mode({}, settings, False, "c1", NOW) == ("full", "first harvest")
    state = harvest_state.next_state({}, settings, "full", "2026-04-30T10:00:00.000Z", "c1", NOW)
    later = NOW + timedelta(hours=1)
    assert harvest_state.mode(state, settings, True, "c1", later)[0] == "incremental"
    assert harvest_state.mode(state, settings, True, "c2", later) == ("full", "the harvest's code changed")
    assert harvest_state.mode(state, settings, False, "c1", later) == ("full", "a shard file is missing")
    other = load_settings(tmp_path, environ={"HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "8"})
    assert harvest_state.mode(state, other, True, "c1", later) == ("full", "source or shard count changed")
    week = NOW + timedelta(hours=settings.hf_full_listing_hours)
    assert harvest_state.mode(state, settings, True, "c1", week)[0] == "full"
    # an incremental harvest keeps the last full listing's time and moves the watermark forward
    nxt = harvest_state.next_state(state, settings, "incremental", "2026-05-01T11:00:00.000Z", "c1", later)
    assert nxt["full_listing_at"] == state["full_listing_at"] and nxt["watermark"] == "2026-05-01T11:00:00.000Z"
    assert harvest_state.next_state(state, settings, "incremental", None, "c1", later)["watermark"] == state["watermark"]


def test_listing_stops_at_the_first_item_older_than_the_watermark_and_tracks_the_newest():
    items = [{"id": "a", "lastModified": "2026-05-01T09:00:00.000Z"}, {"id": "b", "lastModified": "not a date"},
             {"id": "c", "lastModified": "2026-04-30T10:00:00.000Z"}, {"id": "d", "lastModified": "2026-04-29T00:00:00.000Z"}]
    assert [i["id"] for i in newer_items(items, "2026-04-30T10:00:00.000Z")] == ["a", "b", "c"]  # inclusive
    tracker = harvest_state.Watermark("2026-04-30T10:00:00.000Z")
    seen = list(tracker.track(RawModel(i["id"], i["lastModified"], "{}", None, "missing") for i in items[:3]))
    assert len(seen) == 3 and tracker.newest == "2026-05-01T09:00:00.000Z" and tracker.ids == {"a", "b", "c"}
    # a stamp of the right shape that is no date (month 13) would sort after every real one: ignored
    tracker = harvest_state.Watermark("2026-04-30T10:00:00.000Z")
    list(tracker.track([RawModel("x", "2026-13-01T00:00:00.000Z", "{}", None, "missing")]))
    assert tracker.newest == "2026-04-30T10:00:00.000Z"
