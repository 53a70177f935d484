"""The asset registry: what each data asset is, what it needs, what it writes, and which code builds it.

Everything else (doit tasks, status, lineage, the UI) is derived from these declarations, so a
path or a dependency is written exactly once: here.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import inspect
import re
import textwrap
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator, Mapping

from pipeline.config import Settings
from pipeline.shards import SHARD_PLACEHOLDER, shard_path


class PipelineError(Exception):
    """A failure with a message a user can act on; printed as one line, never as a traceback.

    `keep` names outputs to publish even though the asset failed (e.g. the quarantine that explains why).
    """

    def __init__(self, message: str, keep: tuple[str, ...] = ()):
        super().__init__(message)
        self.keep = keep


@dataclass(frozen=True)
class Output:
    """One file an asset writes. `side` outputs (quarantine, rejects, receipts) feed no downstream asset.

    A path holding `{shard}` is a sharded output: one file per shard (see pipeline/shards.py).
    """

    path: str
    side: bool = False

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
        self._producers = [(re.compile(re.escape(path).replace(re.escape(SHARD_PLACEHOLDER), r"\d+") + "$"), name)
                           for path, name in producers.items()]

    def __iter__(self) -> Iterator[Asset]:
        return iter(self.assets)

    def __getitem__(self, name: str) -> Asset:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def producer_of(self, path: str) -> str | None:
        """The asset that writes `path` (relative to the project root), if any."""
        path = Path(path).as_posix()
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


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def normalized_code(source: str) -> str:
    """The code's syntax tree without comments, docstrings or formatting: what it does, not how it reads."""
    tree = _strip_docstrings(ast.parse(textwrap.dedent(source)))
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


_FINGERPRINTS: dict[tuple, str] = {}  # per process: shard sub-tasks of an asset share one


def checks_fingerprint(asset: Asset) -> str:
    """Digest of the asset's checks: their names, severities and the code that measures them."""
    digest = hashlib.sha256()
    for check in asset.checks:
        digest.update(f"{check.name}\0{check.severity}\0".encode())
        digest.update(normalized_code(inspect.getsource(check.measure)).encode())
    return digest.hexdigest()


def code_fingerprint(asset: Asset) -> str:
    """Digest of the asset's build function and declared code modules; changes only when behaviour may.
    An unsharded asset's checks run in its task, so they count; a sharded asset's run in their own."""
    key = (asset.build.__module__, asset.build.__qualname__, asset.code)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = _code_fingerprint(asset)
    return _FINGERPRINTS[key]


_MODULE_CODE: dict[str, str] = {}  # per process: modules shared by several assets are parsed once


def _module_code(asset: Asset, module_name: str) -> str:
    if module_name not in _MODULE_CODE:
        # read the source without importing: loading the registry must not pay for heavy libraries
        spec = importlib.util.find_spec(module_name)
        if spec is None or not spec.origin:
            raise ValueError(f"asset {asset.name} declares unknown code module {module_name}")
        code = normalized_code(Path(spec.origin).read_text(encoding="utf-8"))
        _MODULE_CODE[module_name] = hashlib.sha256(code.encode()).hexdigest()
    return _MODULE_CODE[module_name]


def _code_fingerprint(asset: Asset) -> str:
    digest = hashlib.sha256(normalized_code(inspect.getsource(asset.build)).encode())
    for module_name in asset.code:
        digest.update(_module_code(asset, module_name).encode())
    if asset.checks and not asset.sharded:
        digest.update(checks_fingerprint(asset).encode())
    return digest.hexdigest()
