"""The Hugging Face model source, chosen once (see pipeline/extract/base.py): a snapshot folder when
HF_HUB_OFFLINE=1, the live Hub otherwise. Cheap to import (the registry asks it for files and identity
on every command); the reading itself is in pipeline/extract/hf.py.
"""

from __future__ import annotations

from typing import Iterator

from pipeline.config import Settings


class SnapshotSource:
    """The Hub's models from a snapshot folder (HF_HUB_OFFLINE=1): the bundled one or MLENTORY_HF_SNAPSHOT_DIR."""

    platform = "hf"

    def __init__(self, settings: Settings):
        self.settings = settings

    def identity(self) -> dict:
        return self.settings.hf_harvest_identity()

    def input_files(self) -> list[str]:
        from pipeline.extract.snapshot import snapshot_files
        listed = [str(self.settings.model_list_path())] if self.settings.hf_model_list else []
        return snapshot_files(self.settings) + listed

    def models(self, rejected: list[dict], since: str | None = None) -> Iterator:
        from pipeline.extract import hf
        if self.settings.hf_model_list:
            return hf.iter_listed_snapshot(self.settings, rejected)
        return hf.iter_snapshot(self.settings, rejected, since)


class HubSource(SnapshotSource):
    """The live Hub at HF_ENDPOINT (its listing, or the models a model list names)."""

    def input_files(self) -> list[str]:
        return [str(self.settings.model_list_path())] if self.settings.hf_model_list else []

    def models(self, rejected: list[dict], since: str | None = None) -> Iterator:
        from pipeline.extract import hf
        return hf.iter_hub(self.settings, rejected, since)


def hf_source(settings: Settings) -> SnapshotSource:
    """The Hugging Face source these settings select: the one place the offline switch is read for it."""
    return SnapshotSource(settings) if settings.hf_offline else HubSource(settings)
