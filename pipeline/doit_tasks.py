"""Translate an asset registry into doit task dictionaries, and run one asset inside a doit action.

`dodo.py` calls `asset_tasks`; doit's workers call `materialize` with only strings as arguments,
so `doit -n N -P process` can pickle them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Iterator

from doit.exceptions import TaskFailed
from doit.tools import config_changed, timeout

from pipeline.config import Settings, load_settings
from pipeline.registry import (Asset, PipelineError, Registry, code_fingerprint, load_registry,
                               missing_input_message)
from pipeline.storage import StagedOutputs

DEP_DIR = "data/.doit"


class BuildContext:
    """What a build function sees: settings, its input files and the staging paths of its outputs."""

    def __init__(self, registry: Registry, asset: Asset, settings: Settings, staged: StagedOutputs):
        self.registry = registry
        self.asset = asset
        self.settings = settings
        self._staged = staged

    def input(self, upstream: str, key: str | None = None) -> Path:
        """Path of an upstream asset's output (its only non-side output when `key` is omitted)."""
        outputs = self.registry[upstream].outputs
        if key is None:
            keys = [k for k, o in outputs.items() if not o.side]
            if len(keys) != 1:
                raise ValueError(f"{upstream} has outputs {keys}: name one")
            key = keys[0]
        return self.settings.root / outputs[key].path

    def output(self, key: str) -> Path:
        """Staging path to write output `key` to; it replaces the real file when the build succeeds."""
        return self._staged[key]

    def final_path(self, key: str) -> Path:
        """Where output `key` lives once committed (for messages and references, never for writing)."""
        return self.settings.root / self.asset.outputs[key].path


def materialize(registry_ref: str, name: str) -> dict | TaskFailed:
    """doit action: build one asset with staged outputs; returns its metadata (kept by doit)."""
    registry = load_registry(registry_ref)
    asset = registry[name]
    settings = load_settings()
    for path in registry.input_paths(asset, settings):
        if not (settings.root / path).exists():
            # doit skips its own missing-file check when another check already says "run"
            return TaskFailed(missing_input_message(name, path, registry.producer_of(path)))
    staged = StagedOutputs({k: settings.root / o.path for k, o in asset.outputs.items()})
    staged.prepare()
    started = time.perf_counter()
    try:
        metadata = dict(asset.build(BuildContext(registry, asset, settings, staged)) or {})
        changed = staged.commit()
    except PipelineError as exc:
        staged.commit(only=exc.keep)
        staged.discard()
        return TaskFailed(f"{name}: {exc}")
    except BaseException:
        staged.discard()
        raise
    metadata["seconds"] = round(time.perf_counter() - started, 3)
    metadata["changed_outputs"] = sorted(k for k, v in changed.items() if v)
    print(f"{name}: " + json.dumps(metadata, sort_keys=True, default=str))
    return json.loads(json.dumps(metadata, default=str))


def verify_in_target(registry_ref: str, name: str) -> bool:
    """doit uptodate check: the asset's target still holds its last materialization."""
    asset = load_registry(registry_ref)[name]
    try:
        return bool(asset.verify(load_settings(), asset))
    except PipelineError:
        return False  # target unreachable: stale, and the run will report the connection error


def ensure_state_dir(root: Path | None = None) -> Path:
    """Create the folder of doit's dependency file (`dep_file` in pyproject.toml); sqlite3 will not."""
    path = (root or Path.cwd()) / DEP_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def asset_tasks(registry_ref: str, settings: Settings | None = None) -> Iterator[dict]:
    """doit task dicts: one per asset, then one group task per job."""
    registry = load_registry(registry_ref)
    settings = settings or load_settings()
    for asset in registry:
        uptodate = [config_changed({"code": code_fingerprint(asset), "config": asset.config(settings)})]
        max_age = asset.max_age(settings)
        if max_age is not None:
            uptodate.append(timeout(max_age))
        if asset.verify is not None:
            uptodate.append((verify_in_target, [registry_ref, asset.name], {}))
        yield {
            "basename": asset.name,
            "doc": asset.description,
            "actions": [(materialize, [registry_ref, asset.name])],
            "file_dep": registry.input_paths(asset, settings),
            "targets": asset.output_paths(),
            "uptodate": uptodate,
            "clean": True,
            "verbosity": 2,
            "meta": {"asset": asset.name, "group": asset.group, "upstream": list(asset.upstream)},
        }
    for job in registry.jobs:
        yield {
            "basename": job.name,
            "doc": job.description,
            "actions": None,
            "task_dep": registry.job_assets(job),
            "meta": {"job": job.name, "groups": list(job.groups)},
        }
