"""The contract of a model source: where a platform's model records come from, chosen once per run.

A source yields raw records (`RawModel`: the item as the platform gave it, plus its card) that the
harvest writes into raw shards; the platform's mapping turns them into FAIR4ML records, and the shared
loaders do the rest. The Hugging Face source has two implementations behind this contract, the live Hub
and a snapshot folder of the same shape (`pipeline/extract/hf.py`, chosen by `hf_source`); a new
platform adds its own module with its own.
"""

from __future__ import annotations

from typing import Iterator, Protocol, runtime_checkable


@runtime_checkable
class ModelSource(Protocol):
    platform: str  # "hf": the prefix of its records' IRIs and the name its assets carry

    def identity(self) -> dict:
        """What decides which models it returns (a change makes the harvest stale and list everything)."""

    def input_files(self) -> list[str]:
        """Files it reads (a snapshot's), so their changes rerun the harvest; none for a live service."""

    def models(self, rejected: list[dict], since: str | None = None) -> Iterator:
        """Raw records, most recently modified first (down to `since` when given); what cannot be read
        goes to `rejected` as quarantine entries."""
