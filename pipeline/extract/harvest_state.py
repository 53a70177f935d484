"""What the last harvest saw: its watermark (newest lastModified), when it last listed everything.

An incremental harvest asks only for models modified since the watermark; a full listing (the only
way to notice models deleted upstream) runs on the first harvest, after a change of source or
shard count, when a shard file is missing, and when the last one is older than
`hf_full_listing_hours`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.config import Settings
from pipeline.extract.hf import RawModel
from pipeline.transform.dates import is_instant
from pipeline.storage import read_jsonl


def read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write(path: Path, state: dict) -> None:
    path.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def mode(state: dict, settings: Settings, shards_present: bool, code: str,
         now: datetime | None = None, identity: dict | None = None) -> tuple[str, str]:
    """("full" or "incremental", why). `code` is the harvest's code fingerprint: rows written by
    other code are not merged with, they are listed again. `identity` is the source's (see
    pipeline/extract/base.py; the Hugging Face harvest's when omitted)."""
    now = now or datetime.now(timezone.utc)
    if not state.get("full_listing_at"):
        return "full", "first harvest"
    if identity is None and settings.hf_model_list:
        return "full", "a model list is harvested whole"
    if state.get("code") != code:
        return "full", "the harvest's code changed"
    identity = settings.hf_harvest_identity() if identity is None else identity
    if state.get("identity") != identity or state.get("shards") != settings.shards:
        return "full", "source or shard count changed"
    if not shards_present:
        return "full", "a shard file is missing"
    if not state.get("watermark"):
        return "full", "no watermark"
    age = now - datetime.fromisoformat(state["full_listing_at"])
    if age >= timedelta(hours=settings.hf_full_listing_hours):
        return "full", f"last full listing is {age.total_seconds() / 3600:.1f} h old"
    return "incremental", f"models modified since {state['watermark']}"


def next_state(state: dict, settings: Settings, harvest_mode: str, newest: str | None, code: str,
               now: datetime | None = None, identity: dict | None = None) -> dict:
    now = now or datetime.now(timezone.utc)
    full = harvest_mode == "full"
    return {"identity": settings.hf_harvest_identity() if identity is None else identity, "shards": settings.shards, "code": code,
            "watermark": newest or (None if full else state.get("watermark")),
            "full_listing_at": now.isoformat(timespec="seconds") if full else state["full_listing_at"],
            "last_harvest": {"mode": harvest_mode, "at": now.isoformat(timespec="seconds")}}


class Watermark:
    """Passes records through, noting their ids and the newest valid lastModified among them."""

    def __init__(self, since: str | None):
        self.newest = since
        self.ids: set[str] = set()
        self._track_ids = since is not None  # an incremental harvest is small; a full one is not kept

    def track(self, records: Iterable[RawModel]) -> Iterator[RawModel]:
        for record in records:
            stamp = record.last_modified
            if is_instant(stamp) and (self.newest is None or stamp[:19] > self.newest[:19]):
                self.newest = stamp
            if self._track_ids:
                self.ids.add(record.id)
            yield record


def _same_item(entry: dict) -> tuple:
    """What identifies a quarantined item without a usable id: the item itself and why it was refused
    (not its position, which moves as the listing grows)."""
    return entry.get("reason"), entry.get("raw")


def merge_quarantine(previous: Path, rejected: list[dict], seen: set[str], harvest_mode: str) -> list[dict]:
    """A full harvest's quarantine is its own; an incremental one keeps earlier entries it did not re-read.

    An item without an id is recognised by its content: read again, it replaces its earlier entry
    instead of being added once more (a listing shows it again on every incremental harvest)."""
    fresh: dict[tuple, dict] = {}
    for entry in rejected:  # one entry per item, even if a shifting listing showed it twice
        fresh.setdefault((entry.get("id"),) if entry.get("id") else _same_item(entry), entry)
    rejected = list(fresh.values())
    if harvest_mode == "full" or not previous.exists():
        return rejected
    again = seen | {entry.get("id") for entry in rejected if entry.get("id")}
    kept = [entry for entry in read_jsonl(previous)
            if (entry["id"] not in again if entry.get("id") else _same_item(entry) not in fresh)]
    return kept + rejected
