"""Atomic outputs: an asset writes to staging files that replace the real ones only when it succeeds.

A failed or killed task therefore leaves the previous good output in place. A staged file whose
bytes equal the existing output is discarded instead of renamed, so the output keeps its mtime and
doit sees nothing to re-hash or rerun downstream (early cutoff).

The output ledger (`data/.doit/outputs.sqlite3`) remembers every output as it was committed: size,
mtime and digest. A file that is no longer what its producer wrote (truncated, edited, a disk
error) makes the producer stale, so the next run rebuilds it; see `OutputLedger`.
"""

from __future__ import annotations

import ctypes
import errno as _errno
import filecmp
import functools
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Iterable, Mapping

from pipeline.deferred_removal import remove_later
from pipeline.digests import file_digest
from pipeline.paths import Paths
from pipeline.sqlite_wal import open_wal

STAGING_SUFFIX = ".staging"


def _exchange(staged: Path, target: Path) -> bool:
    """Atomically swap two existing files (Linux `renameat2(RENAME_EXCHANGE)`); False where the system or
    the file system does not offer it."""
    libc = _libc()
    if libc is None:
        return False
    if libc.renameat2(_AT_FDCWD, os.fsencode(staged), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (_errno.ENOSYS, _errno.EINVAL, _errno.EOPNOTSUPP, _errno.EXDEV, _errno.ENOENT):
        return False  # not offered here (or the old file went meanwhile): a rename does it
    raise OSError(errno, os.strerror(errno), str(target))


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


@functools.lru_cache(maxsize=1)
def _libc():
    """The C library, when it offers renameat2 (glibc 2.28 and later on Linux), else None."""
    import ctypes.util
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    return libc if libc is not None and hasattr(libc, "renameat2") else None


def swap_into_place(staged: Path, target: Path) -> None:
    """Put `staged` at `target` atomically, as `os.replace` does. Over an existing file, ext4 makes a
    rename write the new file's data out first (auto_da_alloc): 3.2 ms for 4 MB here, against 0.25 ms
    to exchange the two files and remove the old one, and a 1% update commits about 2,000 such files
    at 100k models. The cost of skipping that: after an operating-system crash in the next seconds the
    file can be found empty; the output ledger then says it is not what its producer wrote, and the
    next run rebuilds it from its inputs. The old file is removed in the background
    (pipeline/deferred_removal.py); an interrupted run leaves it under a staging file's name, swept
    like any staging file."""
    if target.exists() and _exchange(staged, target):
        remove_later(staged, STAGING_SUFFIX)  # the old file: 25 ms for 100 MB, mostly waiting
    else:
        os.replace(staged, target)


_WRITTEN: dict[str, tuple[int, str]] = {}  # staged path -> (size, digest) of what a HashedWriter wrote


class HashedWriter:
    """A file opened for binary writing that digests its bytes as they are written (as `file_digest`),
    so that the output ledger need not read the file back once it is committed: the JSON-LD exports
    are about 7 MB a shard, and reading them back took about as long as hashing them.
    The digest counts only once the file is closed without an error."""

    def __init__(self, path: Path):
        from pipeline.digests import file_hasher
        self.path = Path(path)
        self._file = self.path.open("wb")
        self._digest = file_hasher()
        self._size = 0

    def write(self, data) -> int:
        self._digest.update(data)
        self._size += len(data) if isinstance(data, bytes) else memoryview(data).nbytes
        return self._file.write(data)

    def __enter__(self) -> "HashedWriter":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self._file.close()
        if exc_type is None:
            _WRITTEN[os.fspath(self.path)] = (self._size, self._digest.hexdigest())


class StagedOutputs:
    """Staging paths for a set of outputs, committed all together or not at all. The outputs named in
    `swap` are put in place by `swap_into_place`, the others by `os.replace`."""

    def __init__(self, targets: Mapping[str, Path], swap: Iterable[str] = ()):
        self.targets = dict(targets)
        self.staged = {key: self._staging_path(path) for key, path in self.targets.items()}
        self.kept: set[str] = set()
        self.swap = set(swap)
        self.written: dict[Path, tuple[int, str]] = {}  # committed target -> (size, digest) its writer saw

    @staticmethod
    def _staging_path(target: Path) -> Path:
        return target.with_name(f".{target.name}.{os.getpid()}{STAGING_SUFFIX}")

    def __getitem__(self, key: str) -> Path:
        return self.staged[key]

    def prepare(self) -> None:
        for path in {p.parent for p in self.staged.values()}:
            path.mkdir(parents=True, exist_ok=True)
        for path in self.staged.values():
            path.unlink(missing_ok=True)
            _WRITTEN.pop(os.fspath(path), None)

    def keep(self, key: str) -> None:
        """The build knows output `key` is unchanged: the existing file stays, nothing is staged for it."""
        if not self.targets[key].exists():
            raise RuntimeError(f"cannot keep {self.targets[key]}: it does not exist")
        self.staged[key].unlink(missing_ok=True)
        self.kept.add(key)

    def current(self, key: str) -> Path:
        """What output `key` holds if the build were committed now: its staged file, else the existing one."""
        return self.staged[key] if self.staged[key].exists() else self.targets[key]

    def commit(self, only: tuple[str, ...] | None = None) -> dict[str, bool]:
        """Move every staged file (or those named in `only`) over its target; returns which changed."""
        keys = [k for k in self.staged if k not in self.kept] if only is None \
            else [k for k in only if self.staged[k].exists()]
        missing = [key for key in keys if not self.staged[key].exists()]
        if missing:
            self.discard()
            raise RuntimeError(f"the build wrote no file for output(s): {', '.join(missing)}")
        changed = {}
        for key in keys:
            staged = self.staged[key]
            target = self.targets[key]
            written = _WRITTEN.pop(os.fspath(staged), None)
            if written is not None:
                self.written[target] = written
            if target.exists() and filecmp.cmp(staged, target, shallow=False):
                staged.unlink()
                changed[key] = False
            else:
                (swap_into_place if key in self.swap else os.replace)(staged, target)
                changed[key] = True
        changed.update((key, False) for key in self.kept if only is None)
        return changed

    def discard(self) -> None:
        for path in self.staged.values():
            path.unlink(missing_ok=True)
            _WRITTEN.pop(os.fspath(path), None)


def _leftover(name: str) -> bool:
    """Names only unfinished writes have: staging files, temporary files of write-then-rename
    (ours, and tantivy's `.tmpXXXX`), the harvest's spool folders."""
    return (name.endswith(STAGING_SUFFIX) or name.startswith((".tmp", ".spool-"))
            or (name.startswith(".") and name.endswith(".tmp")) or name == "CURRENT.tmp")


def sweep_leftovers(paths: Paths) -> list[Path]:
    """Remove what interrupted runs left under the data folder (see `_leftover`); returns what was removed.

    Only call it while holding the run lock (pipeline/runs/lock.py): then no other run is writing,
    so every such file belongs to a run that ended without cleaning up (killed, or its machine lost
    power). doit's own folder is left alone.
    """
    import shutil

    removed = []
    for folder, dirs, files in os.walk(paths.data):
        if Path(folder) == paths.data:
            dirs[:] = [d for d in dirs if paths.data / d != paths.state]
        for name in [d for d in dirs if _leftover(d)]:
            shutil.rmtree(Path(folder) / name, ignore_errors=True)
            removed.append(Path(folder) / name)
            dirs.remove(name)
        for name in files:
            if _leftover(name):
                (Path(folder) / name).unlink(missing_ok=True)
                removed.append(Path(folder) / name)
    return removed


def write_jsonl(path: Path, records: Iterable[Mapping]) -> int:
    """Write one JSON object per line (keys sorted, so equal records give equal bytes)."""
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
            fh.write("\n")
            count += 1
    return count


class ParquetRows:
    """Rows added one at a time and written to Parquet a row group at a time, so a large output is
    never whole in memory (and a reader can take it one group at a time)."""

    def __init__(self, path: Path, schema, rows_per_group: int = 10_000):
        self.path, self.schema, self.rows_per_group = path, schema, rows_per_group
        self._rows: list[dict] = []

    def __enter__(self) -> "ParquetRows":
        import pyarrow.parquet as pq
        self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        return self

    def add(self, row: dict) -> None:
        self._rows.append(row)
        if len(self._rows) == self.rows_per_group:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self.schema))
            self._rows.clear()

    def __exit__(self, *exc) -> None:
        try:
            if exc[0] is None:
                self._flush()
        finally:
            self._writer.close()


class ParquetSource:
    """A Parquet file opened once for the several reads a task makes of it (`read_parquet`,
    `normalized_shards.iter_records`): opening a normalized shard (71 columns) costs about 0.4 ms, and
    the loaders of a 1% update read each of the 256 shards three times. Usable as its path elsewhere."""

    def __init__(self, path):
        import pyarrow.parquet as pq
        self.path = Path(path)
        self.file = pq.ParquetFile(path)

    def __fspath__(self) -> str:
        return os.fspath(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def __enter__(self) -> "ParquetSource":
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()


def parquet_file(path):
    """An open `pq.ParquetFile` of `path` (a path, or a ParquetSource's own), and whether the caller
    opened it (and so closes it)."""
    import pyarrow.parquet as pq
    return (path.file, False) if isinstance(path, ParquetSource) else (pq.ParquetFile(path), True)


def read_parquet(path, columns: list[str] | None = None):
    """One Parquet file (a path or a ParquetSource) as a table, read in this thread. `pq.read_table`
    builds a dataset around a single file first, which costs about 1.3 ms a call here (a 1% rebuild at
    100k models makes thousands); its threads only slow a worker that reads small files. A column the
    file lacks is an error, as it is for `pq.read_table` (`ParquetFile.read` would leave it out silently)."""
    import pyarrow as pa
    parquet, opened = parquet_file(path)
    try:
        if columns is not None:
            names = parquet.schema_arrow.names  # built anew at each access: 0.2 ms for a normalized shard
            missing = [name for name in columns if name not in names]
            if missing:
                raise pa.ArrowInvalid(f"{path}: no column {', '.join(missing)} in {names}")
        return parquet.read(columns=columns, use_threads=False)
    finally:
        if opened:
            parquet.close()


def read_jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


_LEDGER_SCHEMA = """
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, digest TEXT NOT NULL, problem TEXT
);
"""


class OutputLedger:
    """What every output file was when its producer committed it (paths relative to the project root).

    `check` compares files with that: a different size, or a different digest when the mtime moved,
    means someone or something else changed the file since (a file whose mtime alone changed is
    fine). A file a reader found unreadable is marked so (`mark_unreadable`). A file the ledger has
    no record of (built before it existed) is taken as it is.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._db: sqlite3.Connection | None = None
        self._pid = None
        self._rows: dict[str, tuple] | None = None  # all rows, for the many checks of one doit process

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # a forked doit worker opens its own
            self._db = open_wal(Paths(self.root).output_ledger, _LEDGER_SCHEMA, timeout=60)
            self._pid = os.getpid()
        return self._db

    def _relative(self, path) -> str:
        if isinstance(path, str) and not path.startswith("/"):  # doit's targets already are
            return path
        path = Path(path)
        return (path.relative_to(self.root) if path.is_absolute() else path).as_posix()

    def _lookup(self, paths: list[str], cached: bool) -> dict[str, tuple]:
        if cached:
            if self._rows is None:
                self._rows = {row[0]: row[1:] for row in self._connection().execute("SELECT * FROM outputs")}
            return self._rows
        found = {}
        for start in range(0, len(paths), 500):
            chunk = paths[start:start + 500]
            query = f"SELECT * FROM outputs WHERE path IN ({','.join('?' * len(chunk))})"
            found.update((row[0], row[1:]) for row in self._connection().execute(query, chunk))
        return found

    def record(self, paths: Iterable, written: Mapping[Path, tuple[int, str]] | None = None) -> None:
        """Remember these files as they are now (just committed by their producer). `written` gives the
        (size, digest) a `HashedWriter` saw of some of them: used while the file still has that size."""
        relative = [self._relative(p) for p in paths]
        seen = {self._relative(p): value for p, value in (written or {}).items()}
        known = self._lookup(relative, cached=False)
        rows = []
        for path in relative:
            try:
                stat = (self.root / path).stat()
            except FileNotFoundError:
                continue
            before = known.get(path)
            unchanged = before and before[0] == stat.st_size and before[1] == stat.st_mtime_ns and not before[3]
            if unchanged:
                digest = before[2]
            elif path in seen and seen[path][0] == stat.st_size:
                digest = seen[path][1]
            else:
                digest = file_digest(self.root / path)
            rows.append((path, stat.st_size, stat.st_mtime_ns, digest, None))
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO outputs VALUES (?,?,?,?,?)", rows)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def recorded_digest(self, path) -> str | None:
        """The digest the producer recorded for this file, if the file still has the size and mtime it
        had then (else None: it must be read)."""
        try:
            relative = self._relative(path)
            stat = (self.root / relative).stat()
        except (OSError, ValueError):  # gone, or outside the project (a snapshot, a schema)
            return None
        row = self._connection().execute("SELECT size, mtime_ns, digest, problem FROM outputs WHERE path = ?",
                                         (relative,)).fetchone()
        if row is None or row[3] or (row[0], row[1]) != (stat.st_size, stat.st_mtime_ns):
            return None
        return row[2]

    def mark_unreadable(self, path, problem: str) -> None:
        """A reader could not read this file: its producer is stale until it writes it again."""
        self._connection().execute("INSERT OR REPLACE INTO outputs VALUES (?,?,?,?,?)",
                                   (self._relative(path), -1, -1, "", problem))

    def check(self, paths: Iterable, cached: bool = False) -> list[tuple[str, str]]:
        """(path, what is wrong) for every existing file that is not what its producer wrote.
        `cached` reads the whole ledger once per process (for doit's checks of every task)."""
        relative = [self._relative(p) for p in paths]
        known = self._lookup(relative, cached)
        wrong = []
        root = str(self.root)
        for path in relative:
            row = known.get(path)
            if row is None:
                continue
            size, mtime_ns, digest, problem = row
            try:
                stat = os.stat(f"{root}/{path}")
            except FileNotFoundError:
                continue  # a missing output: doit itself reruns its producer
            if problem:
                wrong.append((path, problem))
            elif stat.st_size != size:
                wrong.append((path, f"it has {stat.st_size} bytes, {size} were written"))
            elif stat.st_mtime_ns != mtime_ns and file_digest(self.root / path) != digest:
                wrong.append((path, "its content changed since it was written"))
        return wrong


def unreadable(path: Path) -> str | None:
    """Why a Parquet or JSON output cannot be read (its footer, its JSON), or None; other files pass."""
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq
            pq.read_metadata(path)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            for _ in read_jsonl(path):
                pass
    except FileNotFoundError:
        return None
    except Exception as exc:  # whatever the reader says is the reason
        return f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:200]}"
    return None
