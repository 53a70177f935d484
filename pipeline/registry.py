"""The asset registry: what each data asset is, what it needs, what it writes, and which code builds it.

Everything else (doit tasks, status, lineage, the UI) is derived from these declarations, so a
path or a dependency is written exactly once: here.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator, Mapping

from pipeline import fingerprint
from pipeline.config import Settings
from pipeline.shards import SHARD_PLACEHOLDER, shard_path


@dataclass(frozen=True)
class Output:
    """One file an asset writes. `side` outputs (quarantine, rejects, receipts) feed no downstream asset.
    A `kept` output holds what its inputs cannot give again (a record's ended versions): it is always
    put in place with the rename that makes the file system write it out first.

    A path holding `{shard}` is a sharded output: one file per shard (see pipeline/shards.py).
    """

    path: str
    side: bool = False
    kept: bool = False

    @property
    def sharded(self) -> bool:
        return SHARD_PLACEHOLDER in self.path

    def paths(self, labels: list[str], shard: str | None = None) -> list[str]:
        if not self.sharded:
            return [self.path]
        return [shard_path(self.path, label) for label in ([shard] if shard is not None else labels)]


@dataclass(frozen=True)
class Asset:
    """One data asset: a doit task that turns its upstream assets' files into its own outputs."""

    name: str
    description: str
    group: str
    build: Callable
    outputs: Mapping[str, Output]
    upstream: tuple[str, ...] = ()
    # Files that are inputs but not assets (schemas, the bundled snapshot); given the settings.
    inputs: Callable[[Settings], list[str]] = lambda settings: []
    # Modules whose code counts as this asset's code, besides the build function itself.
    code: tuple[str, ...] = ()
    # The settings that change what this asset writes.
    config: Callable[[Settings], Mapping] = lambda settings: {}
    # How long an output stays fresh when it depends on the outside world (e.g. a live harvest).
    max_age: Callable[[Settings], timedelta | None] = lambda settings: None
    # For loaders: does the target still hold what the local outputs say was loaded? (receipt check)
    verify: Callable[[Settings, "Asset", str | None], bool] | None = None
    # One doit sub-task per shard (`name:017`), each reading the same shard of its sharded inputs.
    sharded: bool = False
    # Checks measured on the outputs after each materialization (see pipeline/checks.py).
    checks: tuple = ()
    # A target only one task writes at a time (its loaders wait on a lock): of the ready tasks sharing
    # one, the cheaper is handed out first, not one that holds a worker waiting (pipeline/runs/priority.py).
    exclusive: str | None = None

    def __post_init__(self) -> None:
        if self.sharded and not all(o.sharded for o in self.outputs.values()):
            raise ValueError(f"sharded asset {self.name}: every output path needs {SHARD_PLACEHOLDER}")

    @property
    def checks_task(self) -> str | None:
        """The task that runs a sharded asset's checks once all its shards are built (`name:checks`)."""
        return f"{self.name}:checks" if self.sharded and self.checks else None

    def output_paths(self, labels: list[str], shard: str | None = None, include_side: bool = True) -> list[str]:
        """Output files (of one shard when `shard` is given, else of all shards)."""
        return [p for o in self.outputs.values() if include_side or not o.side for p in o.paths(labels, shard)]


@dataclass(frozen=True)
class Job:
    """A named selection of assets (Dagster's job): `doit <job>` builds them and what they need."""

    name: str
    description: str
    groups: tuple[str, ...]


@dataclass
class Registry:
    assets: list[Asset]
    jobs: list[Job] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_name = {a.name: a for a in self.assets}
        if len(self._by_name) != len(self.assets):
            raise ValueError("asset names must be unique")
        producers: dict[str, str] = {}
        for asset in self.assets:
            for up in asset.upstream:
                if up not in self._by_name:
                    raise ValueError(f"asset {asset.name} names unknown upstream asset {up}")
            for output in asset.outputs.values():
                if output.path in producers:
                    raise ValueError(f"{output.path} is written by both {producers[output.path]} and {asset.name}")
                producers[output.path] = asset.name
        self._produced = producers
        self._producers: list | None = None  # compiled when first asked (a no-op `doit` never asks)

    def __iter__(self) -> Iterator[Asset]:
        return iter(self.assets)

    def __getitem__(self, name: str) -> Asset:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def producer_of(self, path: str) -> str | None:
        """The asset that writes `path` (relative to the project root), if any."""
        path = Path(path).as_posix()
        if self._producers is None:
            self._producers = [(re.compile(re.escape(out).replace(re.escape(SHARD_PLACEHOLDER), r"\d+") + "$"), name)
                               for out, name in self._produced.items()]
        return next((name for pattern, name in self._producers if pattern.match(path)), None)

    def downstream(self, name: str) -> list[str]:
        return [a.name for a in self.assets if name in a.upstream]

    def input_paths(self, asset: Asset, settings: Settings, shard: str | None = None) -> list[str]:
        """Every file the asset (or one shard of it) reads: upstream outputs, not side ones, and declared inputs.

        A shard of a sharded asset reads the same shard of sharded upstream outputs; anything else reads
        all their shards.
        """
        labels = settings.shard_labels
        paths = [p for up in asset.upstream for p in self[up].output_paths(labels, shard, include_side=False)]
        return paths + list(asset.inputs(settings))

    def job_assets(self, job: Job) -> list[str]:
        return [a.name for a in self.assets if a.group in job.groups]


def missing_input_message(asset: str, path: str, producer: str | None) -> str:
    """The one line a user reads when an asset's input file was never built."""
    if producer:
        return (f"{asset}: its input {path} was never built - run `doit {producer}` first, "
                f"or `doit {asset}` without -s to build what it needs")
    return f"{asset}: its input file {path} does not exist"


def load_registry(ref: str) -> Registry:
    """Import a registry from a `module:attribute` reference (picklable, so workers can re-import it)."""
    module_name, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module_name), attr or "REGISTRY")


_FINGERPRINTS: dict[tuple, str] = {}  # per process: shard sub-tasks of an asset share one


def checks_fingerprint(asset: Asset) -> str:
    """Digest of the asset's checks: their names, severities and the code that measures them; kept in
    the fingerprint cache as `code_fingerprint`'s are (parsing the checks' code again was a fifth of
    the time every `doit` spends making its tasks)."""
    def compute() -> tuple[str, set[Path]]:
        digest, files = hashlib.sha256(), set()
        for check in asset.checks:
            digest.update(f"{check.name}\0{check.severity}\0".encode())
            parts, read = fingerprint.closure_and_files(check.measure)
            digest.update(fingerprint.digest(parts).encode())
            files |= read
        return digest.hexdigest(), files

    key = ("checks", tuple((c.name, c.severity, c.measure.__module__, c.measure.__qualname__) for c in asset.checks))
    return _remembered(key, sorted({str(fingerprint.module_file(c.measure.__module__)) for c in asset.checks}), compute)


def _remembered(key: tuple, where, compute) -> str:
    """A fingerprint from this process's memo, else from the disk cache while the files it was computed
    from are unchanged, else `compute()` -> (fingerprint, those files). `where` (where the code is loaded
    from) belongs to the cache key: another checkout's files may be unchanged too."""
    if key not in _FINGERPRINTS:
        cache = _DISK_CACHE[0] if _DISK_CACHE else None
        cache_key = repr((key, where))
        cached = cache.get(cache_key) if cache else None
        if cached is None:
            cached, files = compute()
            if cache:
                cache.put(cache_key, cached, files)
        _FINGERPRINTS[key] = cached
    return _FINGERPRINTS[key]


_DISK_CACHE: list = []  # at most one fingerprint.DiskCache, set by use_fingerprint_cache


def use_fingerprint_cache(path: Path) -> None:
    """Keep code fingerprints in `path` between processes (see fingerprint.DiskCache)."""
    _DISK_CACHE[:] = [fingerprint.DiskCache(path)]


def save_fingerprint_cache() -> None:
    for cache in _DISK_CACHE:
        cache.save()


def code_fingerprint(asset: Asset) -> str:
    """Digest of the code that builds the asset: its build function and everything in the package it
    reaches (see pipeline/fingerprint.py), plus modules named in `code=`; changes only when behaviour may.
    An unsharded asset's checks run in its task, so they count; a sharded asset's run in their own."""
    def compute() -> tuple[str, set[Path]]:
        parts, files = fingerprint.closure_and_files(asset.build)
        for module_name in asset.code:
            try:
                parts[f"{module_name}:<declared>"] = fingerprint.module_code(module_name)
            except ValueError:
                raise ValueError(f"asset {asset.name} declares unknown code module {module_name}") from None
            files.add(fingerprint.module_file(module_name))
        extra = []
        if asset.checks and not asset.sharded:
            extra.append(checks_fingerprint(asset))
            for check in asset.checks:
                files |= fingerprint.closure_and_files(check.measure)[1]
        return fingerprint.digest(parts, extra), files

    key = (asset.build.__module__, asset.build.__qualname__, asset.code, asset.sharded,
           tuple((c.name, c.severity, c.measure.__module__, c.measure.__qualname__) for c in asset.checks))
    # where the code is loaded from belongs to the key: a project built by another checkout or install
    # (whose files have not changed) would otherwise be told that copy's fingerprints
    return _remembered(key, str(fingerprint.module_file(asset.build.__module__)), compute)
