"""What a build function sees (`BuildContext`): settings, its input files and where to write its outputs.

Kept apart from the doit adapter (pipeline/doit_tasks.py) so assets, tests and tools build against it
without doit: it knows the registry's outputs and the staging of files, nothing of tasks.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.registry import Asset, Registry
from pipeline.storage import StagedOutputs


class BuildContext:
    """What a build function sees: settings, its input files and the staging paths of its outputs.

    A sub-task of a sharded asset has `shard` set (e.g. "017") and sees that shard of its inputs and
    outputs; an unsharded asset with sharded outputs names the shard it writes.
    """

    def __init__(self, registry: Registry, asset: Asset, settings: Settings, staged: StagedOutputs,
                 shard: str | None = None):
        self.registry = registry
        self.asset = asset
        self.settings = settings
        self.shard = shard
        self._staged = staged

    @property
    def labels(self) -> list[str]:
        return self.settings.shard_labels

    def _output_of(self, upstream: str, key: str | None):
        outputs = self.registry[upstream].outputs
        if key is None:
            keys = [k for k, o in outputs.items() if not o.side]
            if len(keys) != 1:
                raise ValueError(f"{upstream} has outputs {keys}: name one")
            key = keys[0]
        return outputs[key]

    def input(self, upstream: str, key: str | None = None) -> Path:
        """Path of an upstream asset's output (its only non-side output when `key` is omitted)."""
        output = self._output_of(upstream, key)
        if output.sharded and self.shard is None:
            raise ValueError(f"{upstream}'s output is sharded: use ctx.inputs()")
        return self.settings.root / output.paths(self.labels, self.shard)[0]

    def inputs(self, upstream: str, key: str | None = None) -> list[tuple[str, Path]]:
        """(shard, path) of every shard of a sharded upstream output."""
        output = self._output_of(upstream, key)
        return [(label, self.settings.root / path) for label, path in zip(self.labels, output.paths(self.labels))]

    def _key(self, key: str, shard: str | None) -> str:
        if self.asset.outputs[key].sharded and self.shard is None:
            if shard is None:
                raise ValueError(f"output {key} is sharded: name the shard")
            return f"{key}:{shard}"
        return key

    def output(self, key: str, shard: str | None = None) -> Path:
        """Staging path to write output `key` to; it replaces the real file when the build succeeds."""
        return self._staged[self._key(key, shard)]

    def keep(self, key: str, shard: str | None = None) -> None:
        """Declare output `key` unchanged: the committed file stays as it is (and keeps its mtime)."""
        self._staged.keep(self._key(key, shard))

    def final_path(self, key: str, shard: str | None = None) -> Path:
        """Where output `key` lives once committed: for reading the previous output, never for writing."""
        return self._staged.targets[self._key(key, shard)]


def output_targets(asset: Asset, settings: Settings, shard: str | None) -> dict[str, Path]:
    """Staging keys and final paths of every file one run of the asset (or of one shard) writes."""
    targets = {}
    for key, output in asset.outputs.items():
        if output.sharded and shard is None:
            labels = settings.shard_labels
            targets.update((f"{key}:{label}", settings.root / path) for label, path in zip(labels, output.paths(labels)))
        else:
            targets[key] = settings.root / output.paths(settings.shard_labels, shard)[0]
    return targets
