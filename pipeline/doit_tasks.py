"""Translate an asset registry into doit task dictionaries, and run one asset inside a doit action.

`dodo.py` calls `asset_tasks`; doit's workers call `materialize` with only strings as arguments,
so `doit -n N -P process` can pickle them.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import inspect
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from doit.exceptions import InvalidDodoFile, TaskFailed
from doit.tools import timeout

from pipeline import checks as asset_checks
from pipeline.config import DEFAULT_ARXIV_ENDPOINT, DEFAULT_HF_ENDPOINT, Settings, load_settings, redact_data
from pipeline.errors import PipelineError, SettingsError
from pipeline.paths import Paths
from pipeline.registry import (Asset, Registry, checks_fingerprint, code_fingerprint, load_registry,
                               save_fingerprint_cache, use_fingerprint_cache,
                               missing_input_message)
from pipeline.build_context import BuildContext, output_targets
from pipeline.runs.priority import prefer_critical_path
from pipeline.storage import OutputLedger, StagedOutputs, unreadable



def _select_once() -> None:
    """doit 0.37's `run --single` processes the task selection twice, and the second pass keeps only the
    first name (a task's options are parsed once; later calls return nothing for the names after it),
    so `doit -s a b` ran only `a`. The same selection processed again is left as the first pass made it."""
    from doit.control import TaskControl

    if getattr(TaskControl.process, "selects_once", False):
        return
    process = TaskControl.process

    def process_once(self, task_selection):
        if task_selection is not None and getattr(self, "_processed_selection", None) == list(task_selection):
            return None
        result = process(self, task_selection)
        self._processed_selection = None if task_selection is None else list(task_selection)
        return result

    process_once.selects_once = True
    TaskControl.process = process_once


_select_once()


def _single_keeps_order() -> None:
    """doit 0.37's `run --single` empties the task_dep of each selected task and of a selected group's
    shard tasks, which also drops the order among them: with two workers an asset's `:checks` task ran
    before the shards it reads were written, and `doit -s a b` ran b's shards before a's. Before the
    run's dispatcher starts, a selected task that reads a file another selected task writes waits for
    it again; what lies outside the selection stays skipped. Without -s this adds nothing (doit has
    already made every producer of a task's input a task_dep)."""
    from doit.control import TaskControl

    if getattr(TaskControl.task_dispatcher, "keeps_order", False):
        return
    dispatcher = TaskControl.task_dispatcher

    def ordered_dispatcher(self):
        selection = set()
        for name in self.selected_tasks or ():
            selection.add(name)
            if self.tasks[name].has_subtask:
                selection.update(self.tasks[name].task_dep)
        for name in selection:
            task = self.tasks[name]
            for path in task.file_dep:
                producer = self.targets.get(path)
                if producer in selection and producer != name and producer not in task.task_dep:
                    task.task_dep.append(producer)
        return dispatcher(self)

    ordered_dispatcher.keeps_order = True
    TaskControl.task_dispatcher = ordered_dispatcher


_single_keeps_order()


def _share_file_digests() -> None:
    """doit hashes a changed input file (md5) once per task that reads it, in its main process, between
    handing out tasks: a normalized shard read by eight tasks was hashed eight times (4.3 s of a 1%
    rebuild at 100k models), and the SPARQL store's inputs took 2.6 s of its 7.6. An asset's output
    already has the digest its producer recorded in the output ledger when it committed the file (in
    a worker); that is used while the file keeps that size and mtime, and any other file is hashed
    once per (mtime, size) in a run. doit only compares what this returns with what it returned
    before: a file seen first one way and then the other just counts as changed once."""
    from doit import dependency

    if getattr(dependency.get_file_md5, "shared", False):
        return
    compute = dependency.get_file_md5
    known: dict[tuple, str] = {}
    ledgers: dict[str, OutputLedger] = {}

    def get_file_md5(path):
        stat = os.stat(path)
        key = (os.path.abspath(path), stat.st_mtime_ns, stat.st_size)
        if key not in known:
            root = os.getcwd()
            ledger = ledgers.setdefault(root, OutputLedger(Path(root)))
            recorded = ledger.recorded_digest(path) if Paths(Path(root)).output_ledger.exists() else None
            known[key] = f"ledger:{recorded}" if recorded else compute(path)
        return known[key]

    get_file_md5.shared = True
    dependency.get_file_md5 = get_file_md5


_share_file_digests()
prefer_critical_path()  # pipeline/runs/priority.py


def _reset_peak_memory() -> bool:
    """Restart this process's resident-set high-water mark (Linux), so a task's peak is its own: a
    doit worker runs many tasks. False where the kernel does not offer it."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_memory_mib() -> float | None:
    try:
        with open("/proc/self/status") as fh:
            line = next(line for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None
    return round(int(line.split()[1]) / 1024, 1)


# a worker that holds more than this after a task hands Arrow's freed memory back (see below)
KEEP_RESIDENT_MIB = 384
# new container objects between two young-generation collections while a task builds (Python's default: 700)
BUILD_GC_THRESHOLD = 100_000


@contextmanager
def _fewer_collections(asset: Asset) -> Iterator[None]:
    """Run Python's cycle collector less often while an asset of the whole catalog builds (a loader,
    the SPARQL store, the enrichment). With the default, a task that makes a row per model collects
    every 700 new objects, and each older-generation pass walks all the worker holds. A full graph
    load at 100k models took 25.4-26.6 s with the default, 15.5-17.1 s with this; a full search load
    9.6-10.2 s and 6.0-6.4 s; peak memory the same (within 1%). The rows form no cycles: the graph
    load's 6,764 young, 614 middle and 43 full collections freed 13,690 objects in all. Shard tasks
    keep the default: with this, a 1% update's shards took 1.6-4.4 CPU s more (100k models, A/B),
    and normalizing every shard from scratch gained nothing beyond noise."""
    if asset.sharded:
        yield
        return
    saved = gc.get_threshold()
    gc.set_threshold(BUILD_GC_THRESHOLD, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _resident_mib() -> int | None:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20
    except (OSError, ValueError, IndexError):
        return None


def _return_freed_memory(always: bool) -> None:
    """Hand back to the OS what Arrow's allocator kept after a task freed it, once the worker holds more
    than KEEP_RESIDENT_MIB (or `always`, when each task's peak is measured): a doit worker runs hundreds
    of tasks, and each would otherwise start from the largest one before it. Not after every task: the
    next one faulted the memory in again, each page zeroed by the kernel: the normalized shards of a 1%
    update at 100k models took 7.7-8.0 CPU seconds that way, 6.3-7.3 this way (their workers hold
    about 270 MiB)."""
    arrow = sys.modules.get("pyarrow")
    if arrow is None:
        return
    resident = None if always else _resident_mib()
    if resident is None or resident > KEEP_RESIDENT_MIB:
        arrow.default_memory_pool().release_unused()


def task_name(name: str, shard: str | None) -> str:
    return f"{name}:{shard}" if shard is not None else name


def materialize(registry_ref: str, name: str, shard: str | None = None) -> dict | TaskFailed:
    """doit action: build one asset (or one shard of it); returns its metadata. A whole-catalog asset
    with large files builds in a fresh process (see `_in_fresh_process`), the others in the worker."""
    registry = load_registry(registry_ref)
    settings = load_settings()
    if _in_fresh_process(registry, registry[name], settings, shard):
        from pipeline.runs import fresh_process
        preload = ["pipeline.doit_tasks", registry_ref.partition(":")[0], "pyarrow.parquet", "pyarrow.compute"]
        try:
            return fresh_process.run(_materialize_anew, (registry_ref, name, shard), preload, f"mlentory {name}")
        except fresh_process.TaskProcessEnded as exc:  # killed (out of memory?) or crashed: one line, not a traceback
            return TaskFailed(f"{task_name(name, shard)}: {exc}; its previous outputs are kept - run `doit` again")
    return _materialize(registry, settings, name, shard)


def _materialize_anew(registry_ref: str, name: str, shard: str | None) -> dict | TaskFailed:
    return _materialize(load_registry(registry_ref), load_settings(), name, shard)


def _in_fresh_process(registry: Registry, asset: Asset, settings: Settings, shard: str | None) -> bool:
    """Whether the task is one of the whole catalog (not a shard's) whose input files and previous
    outputs hold more than `fresh_process_above_mib`: those tasks need the most memory, and in the
    worker they would grow on top of what its earlier tasks left (see pipeline/runs/fresh_process.py).
    Shard tasks stay in the worker: there are hundreds, each small."""
    limit = settings.fresh_process_above_mib * 2**20
    if asset.sharded or limit == float("inf"):
        return False
    total = 0
    for path in [*registry.input_paths(asset, settings, shard), *output_targets(asset, settings, shard).values()]:
        try:
            total += os.stat(settings.root / path).st_size
        except OSError:  # not there yet
            continue
        if total > limit:
            return True
    return limit == 0


def _materialize(registry: Registry, settings: Settings, name: str, shard: str | None) -> dict | TaskFailed:
    """Build one asset (or one shard of it) with staged outputs; returns its metadata.

    Before building: an input that is not what its producer wrote fails the task in one line naming
    the producer to run (in a plain `doit` run that producer was stale and ran first); an output of
    its own that is not what it wrote is removed, so the build does not start from it. After
    building: the outputs are recorded in the output ledger. A build that fails on an unreadable
    file says which, and marks it so that its producer is stale."""
    asset = registry[name]
    label = task_name(name, shard)
    inputs = registry.input_paths(asset, settings, shard)
    for path in inputs:
        if not (settings.root / path).exists():
            # doit skips its own missing-file check when another check already says "run"
            return TaskFailed(missing_input_message(label, path, registry.producer_of(path)))
    ledger = OutputLedger(settings.root)
    for path, why in ledger.check([p for p in inputs if registry.producer_of(p)]):
        return TaskFailed(damaged_input_message(label, path, why, registry.producer_of(path)))
    targets = output_targets(asset, settings, shard)
    for path, why in ledger.check(targets.values()):
        (settings.root / path).unlink()
        print(f"{label}: {path} is not what it wrote ({why}): it is rebuilt from scratch")
    # a sharded asset's outputs are rebuilt from local files, hundreds of them per update: swapped in place
    swapped = [k for k in targets if asset.sharded and not asset.outputs[k.split(":")[0]].kept]
    staged = StagedOutputs(targets, swap=swapped)
    staged.prepare()
    measured = settings.task_peak_memory and _reset_peak_memory()
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        with _fewer_collections(asset):
            metadata = dict(asset.build(BuildContext(registry, asset, settings, staged, shard)) or {})
        if asset.checks and not asset.sharded:
            results = _run_checks(asset, settings, {key: staged.current(key) for key in staged.targets}, metadata)
            if asset_checks.failures(results):
                sides = tuple(k for k in staged.targets if asset.outputs[k.split(":")[0]].side)
                ledger.record(staged.targets[key] for key in staged.commit(only=sides))
                staged.discard()
                return asset_checks.ChecksFailed(label, results)
            metadata["checks"] = results
        changed = staged.commit()
        ledger.record(targets.values(), staged.written)
    except PipelineError as exc:
        ledger.record(staged.targets[key] for key in staged.commit(only=exc.keep))
        staged.discard()
        return TaskFailed(settings.redact(f"{label}: {exc}"))
    except Exception:
        staged.discard()
        damaged = _unreadable_file(registry, settings, label, inputs, targets.values())
        if damaged is None:
            raise
        path, why, message = damaged
        ledger.mark_unreadable(path, f"it cannot be read: {why}")
        return TaskFailed(settings.redact(message))
    except BaseException:
        staged.discard()
        raise
    finally:
        _return_freed_memory(always=bool(measured))
    metadata["seconds"] = round(time.perf_counter() - started, 3)
    # the worker's CPU time (all its threads): unlike the seconds, time the machine gave to others does
    # not count, so two commits can be compared on a shared machine (benchmarks/compare.py)
    metadata["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
    metadata["changed_outputs"] = len([k for k, v in changed.items() if v])
    metadata["process"] = os.getpid()  # doit's own, a worker's (a run's workers), or a fresh process's
    if measured:  # the worker's peak while building (the run history keeps it)
        metadata["peak_rss_mib"] = _peak_memory_mib()
    # doit keeps what the action returns in its dependency file: never a credential
    metadata = redact_data(json.loads(json.dumps(metadata, default=str)), settings.secrets())
    # the run console shows it (one line per asset; the metadata with -v 2), the run history keeps it
    return metadata


def damaged_input_message(label: str, path: str, why: str, producer: str | None) -> str:
    """The one line a user reads when an input file is not what its producer wrote."""
    return (f"{label}: its input {path} is not what {producer} wrote ({why}) - run `doit {producer}` to "
            f"rebuild it (a plain `doit` does it first)")


def _unreadable_file(registry: Registry, settings: Settings, label: str, inputs: list[str],
                     own: list[Path]) -> tuple[str, str, str] | None:
    """After a failed build: the first input (or previous output of its own) that cannot be read, with
    why, and the one line to show; None when every file reads (the failure is something else)."""
    for path in [p for p in inputs if registry.producer_of(p)] + [str(p.relative_to(settings.root)) for p in own]:
        why = unreadable(settings.root / path)
        if why is None:
            continue
        producer = registry.producer_of(path)
        if producer and producer != label.split(":")[0]:
            return path, why, (f"{label}: cannot read its input {path} ({why}) - run `doit {producer}` to rebuild "
                               f"it (a plain `doit` does it first)")
        return path, why, f"{label}: cannot read its previous output {path} ({why}) - run `doit {label}` to rebuild it"
    return None


def outputs_as_written(task) -> bool:
    """doit uptodate check: every output of the task is what the task wrote (see OutputLedger)."""
    root = os.getcwd()
    if root not in _LEDGERS:
        _LEDGERS[root] = OutputLedger(Path(root))
    wrong = _LEDGERS[root].check(task.targets, cached=True)
    if wrong:
        NOT_AS_WRITTEN[task.name] = wrong
    return not wrong


_LEDGERS: dict[str, OutputLedger] = {}
NOT_AS_WRITTEN: dict[str, list[tuple[str, str]]] = {}  # task -> what the last check found (for doit status)


def _run_checks(asset: Asset, settings: Settings, files: dict[str, Path], metadata: dict) -> list[dict]:
    """Run the asset's checks on `files` (staging key -> path; `key:017` for one shard of an output)."""
    by_output: dict[str, list[Path]] = {}
    for key, path in files.items():
        by_output.setdefault(key.split(":")[0], []).append(path)
    return asset_checks.run(asset.checks, asset_checks.CheckInput(settings, by_output, metadata))


def materialize_checks(registry_ref: str, name: str) -> dict | TaskFailed:
    """doit action of `<asset>:checks`: a sharded asset's checks over all its shards, once they are built."""
    asset = load_registry(registry_ref)[name]
    settings = load_settings()
    results = _run_checks(asset, settings, output_targets(asset, settings, None), {})
    if asset_checks.failures(results):
        return asset_checks.ChecksFailed(asset.checks_task, results)
    return {"checks": results}


_CHECK_SETTINGS: dict[str, Settings] = {}


def verify_in_target(registry_ref: str, name: str, shard: str | None = None) -> bool:
    """doit uptodate check: the asset's target still holds its last materialization (of this shard)."""
    asset = load_registry(registry_ref)[name]
    root = os.getcwd()
    if root not in _CHECK_SETTINGS:  # hundreds of shard checks in one doit process share one reading
        _CHECK_SETTINGS[root] = load_settings(root)
    try:
        return bool(asset.verify(_CHECK_SETTINGS[root], asset, shard))
    except PipelineError:
        return False  # target unreachable: stale, and the run will report the connection error


class settings_changed:
    """doit uptodate check: the task's code fingerprint and settings are those of its last success.

    Like doit's `config_changed`, but doit's dependency file keeps the settings themselves (never a
    credential: the registry's config functions redact them), not only their digest, so `doit status`
    can say what changed: "source changed: snapshot → live Hub". A task last saved by
    `config_changed` (its md5 digest of the same JSON) is still up to date."""

    KEY = "_settings"
    LEGACY_KEY = "_config_changed"

    def __init__(self, config: dict):
        self.config = config
        self.text = json.dumps(config, sort_keys=True)
        self.__signature__ = _CALL_SIGNATURE  # see _task: doit reads it at every check

    def configure_task(self, task) -> None:
        task.value_savers.append(lambda: {self.KEY: self.text})

    def __call__(self, task, values) -> bool:
        saved = values.get(self.KEY)
        if saved is not None:
            return saved == self.text
        legacy = values.get(self.LEGACY_KEY)
        return legacy is not None and legacy == hashlib.md5(self.text.encode("utf-8")).hexdigest()

    def describe(self, values: dict) -> str | None:
        """What changed since the task's last success, in words; None when the saved state does not say."""
        saved = values.get(self.KEY)
        if saved is None:
            return None
        old = json.loads(saved)
        found = []
        if old.get("config") != self.config.get("config"):
            found.append(describe_config_change(old.get("config") or {}, self.config.get("config") or {}))
        if old.get("code") != self.config.get("code"):
            found.append("code changed")
        if old.get("checks") != self.config.get("checks"):
            found.append("its checks changed")
        return "; ".join(found) or None

    def __repr__(self) -> str:
        return f"settings_changed({self.text})"


_CALL_SIGNATURE = inspect.signature(functools.partial(settings_changed.__call__, None))  # (task, values)


def source_label(config: dict) -> str:
    """Where an asset's data comes from, in words: `snapshot`, `live Hub`, `live arXiv API at URL`."""
    source, folder = config.get("source"), config.get("dir")
    if source == "snapshot":
        return "snapshot" if not folder else f"snapshot {folder}"
    if source == "hub":
        endpoint = config.get("endpoint")
        return "live Hub" if endpoint in (None, DEFAULT_HF_ENDPOINT) else f"live Hub at {endpoint}"
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return "live arXiv API" if source == DEFAULT_ARXIV_ENDPOINT else f"live arXiv API at {source}"
    return str(source)


def target_label(config: dict) -> str:
    where = config.get("uri") or config.get("url") or config.get("path")
    return f"{config.get('kind')} at {where}" if where else str(config.get("kind"))


def describe_config_change(old: dict, new: dict) -> str:
    """`source changed: snapshot → live Hub`, `target changed: ...`, else the settings that differ."""
    if "source" in old or "source" in new:
        before, after = source_label(old), source_label(new)
        if before != after:
            return f"source changed: {before} → {after}"
    if "kind" in old or "kind" in new:
        before, after = target_label(old), target_label(new)
        if before != after:
            return f"target changed: {before} → {after}"
    keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    shown = [f"{k} {json.dumps(old.get(k))} → {json.dumps(new.get(k))}" for k in keys[:3]]
    return "settings changed: " + ", ".join(shown) + (" ..." if len(keys) > 3 else "")


def ensure_state_dir(root: Path | None = None) -> Path:
    """Create the folder of doit's dependency file (`dep_file` in pyproject.toml); sqlite3 will not."""
    path = Paths(root or Path.cwd()).state
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_defaults(root: Path | None = None) -> dict:
    """DOIT_CONFIG for dodo.py: a run without `-n` uses the workers the settings allow
    (pipeline/runs/workers.py). Settings that cannot be read give none here: `asset_tasks` says why."""
    from pipeline.runs.workers import doit_run_defaults

    try:
        settings = load_settings(root)
        return doit_run_defaults(settings.root, settings.workers)
    except SettingsError:
        return {}


def asset_tasks(registry_ref: str, settings: Settings | None = None) -> Iterator[dict]:
    """doit task dicts: one per asset (a group of one sub-task per shard if sharded), then one per job."""
    registry = load_registry(registry_ref)
    try:
        settings = settings or load_settings()
    except SettingsError as exc:  # one line, as doit says what is wrong with a dodo file
        raise InvalidDodoFile(f"{exc} (from the environment, .env or pyproject.toml [tool.mlentory])") from None
    use_fingerprint_cache(settings.paths.code_fingerprints)
    fingerprints = {asset.name: code_fingerprint(asset) for asset in registry}
    for asset in registry:
        if asset.checks_task:
            checks_fingerprint(asset)  # the checks tasks' own, kept in the cache with the others
    save_fingerprint_cache()
    for asset in registry:
        checks = [settings_changed({"code": fingerprints[asset.name], "config": asset.config(settings)})]
        max_age = asset.max_age(settings)
        if max_age is not None:
            checks.append(timeout(max_age))
        meta = {"asset": asset.name, "group": asset.group, "upstream": list(asset.upstream), "registry": registry_ref}
        if not asset.sharded:
            yield _task(registry_ref, registry, asset, settings, None, checks, asset.description, meta)
            continue
        yield {"basename": asset.name, "name": None, "doc": asset.description,
               "meta": {**meta, "shards": len(settings.shard_labels)}}
        for label in settings.shard_labels:
            yield _task(registry_ref, registry, asset, settings, label, checks,
                        f"shard {label} of {asset.name}", {**meta, "shard": label})
        if asset.checks_task:
            yield _checks_task(registry_ref, asset, settings)
    for job in registry.jobs:
        yield {
            "basename": job.name,
            "doc": job.description,
            "actions": None,
            "task_dep": registry.job_assets(job),
            "meta": {"job": job.name, "groups": list(job.groups)},
        }


def _checks_task(registry_ref: str, asset: Asset, settings: Settings) -> dict:
    """`<asset>:checks`: reruns when any shard's output or a check's code changes; downstream waits for it."""
    return {
        "basename": asset.name,
        "name": asset.checks_task.split(":", 1)[1],
        "doc": f"checks of {asset.name}: " + ", ".join(c.name for c in asset.checks),
        "actions": [(materialize_checks, [registry_ref, asset.name])],
        "file_dep": asset.output_paths(settings.shard_labels, include_side=False),
        "uptodate": [settings_changed({"checks": checks_fingerprint(asset)})],
        "verbosity": 2,
        "meta": {"checks_of": asset.name, "group": asset.group},
    }


# doit reads each uptodate callable's signature at every check of every task (to pass `task` and `values`):
# 1,082 times in a no-op of 541 tasks, 20-40 ms. Given as `__signature__`, inspect returns it as it is.
for _check in (outputs_as_written, verify_in_target):
    _check.__signature__ = inspect.signature(_check)


def _task(registry_ref, registry, asset, settings, shard, checks, doc, meta) -> dict:
    uptodate = list(checks) + [(outputs_as_written, [], {})]
    if asset.verify is not None:
        uptodate.append((verify_in_target, [registry_ref, asset.name, shard], {}))
    task = {
        "basename": asset.name,
        "doc": doc,
        "actions": [(materialize, [registry_ref, asset.name, shard])],
        "file_dep": registry.input_paths(asset, settings, shard),
        "targets": asset.output_paths(settings.shard_labels, shard),
        "uptodate": uptodate,
        "clean": True,
        "verbosity": 2,
        "meta": meta,
    }
    if shard is not None:
        task["name"] = shard
    gates = [registry[up].checks_task for up in asset.upstream if registry[up].checks_task]
    if gates:  # an upstream asset's failed error check stops this one
        task["task_dep"] = gates
    return task
