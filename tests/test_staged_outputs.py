"""Committing staged outputs: a swapped commit leaves the new bytes at the target and nothing at the
staging name, like a rename; where the system cannot exchange two files it renames."""

import os

import pytest

from pipeline import storage
from pipeline.deferred_removal import wait_for_removals
from pipeline.storage import StagedOutputs, swap_into_place


def _staged(tmp_path, name, old: bytes | None, new: bytes):
    target = tmp_path / name
    if old is not None:
        target.write_bytes(old)
    staged = tmp_path / f".{name}.staging"
    staged.write_bytes(new)
    return staged, target


@pytest.mark.parametrize("old", [b"previous version\n" * 1000, None], ids=["over a file", "new file"])
def test_swap_into_place_leaves_the_new_file_and_no_staging_file(tmp_path, old):
    staged, target = _staged(tmp_path, "models-000.nq", old, b"new version\n" * 500)
    inode = staged.stat().st_ino
    swap_into_place(staged, target)
    assert target.read_bytes() == b"new version\n" * 500 and target.stat().st_ino == inode
    wait_for_removals()  # the old file is removed in the background
    assert sorted(os.listdir(tmp_path)) == ["models-000.nq"]


def test_without_an_exchange_it_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "_exchange", lambda staged, target: False)
    staged, target = _staged(tmp_path, "models-000.ttl", b"old", b"new")
    swap_into_place(staged, target)
    assert target.read_bytes() == b"new" and sorted(os.listdir(tmp_path)) == ["models-000.ttl"]


def test_an_exchange_swaps_both_files_or_touches_neither(tmp_path):
    """renameat2's exchange (Linux on ext4, tmpfs, ...) swaps the two files; where the file system or the
    system lacks it, the answer is False and both files are as they were."""
    staged, target = _staged(tmp_path, "a", b"old", b"new")
    if storage._exchange(staged, target):
        assert target.read_bytes() == b"new" and staged.read_bytes() == b"old"
    else:
        assert target.read_bytes() == b"old" and staged.read_bytes() == b"new"


def test_a_commit_swaps_only_the_outputs_named_and_reports_changes(tmp_path, monkeypatch):
    swapped = []
    monkeypatch.setattr(storage, "swap_into_place", lambda staged, target: (swapped.append(target.name),
                                                                             os.replace(staged, target)))
    targets = {"nquads": tmp_path / "m.nq", "history": tmp_path / "h.parquet", "same": tmp_path / "s.txt"}
    for path in targets.values():
        path.write_text("before")
    outputs = StagedOutputs(targets, swap=["nquads", "same"])
    outputs.prepare()
    outputs["nquads"].write_text("after")
    outputs["history"].write_text("after")
    outputs["same"].write_text("before")
    assert outputs.commit() == {"nquads": True, "history": True, "same": False}
    assert swapped == ["m.nq"]  # the history is renamed (kept), the unchanged file not touched
    assert {p.read_text() for p in (targets["nquads"], targets["history"])} == {"after"}


def test_a_digest_seen_while_writing_is_what_the_ledger_records(tmp_path, monkeypatch):
    """A file written through HashedWriter is not read again to be recorded, and its digest is the file's."""
    from pipeline.digests import file_digest
    from pipeline.storage import HashedWriter, OutputLedger

    targets = {"nquads": tmp_path / "data" / "m.nq", "other": tmp_path / "data" / "o.txt"}
    outputs = StagedOutputs(targets, swap=["nquads"])
    outputs.prepare()
    with HashedWriter(outputs["nquads"]) as fh:
        fh.write(b"<a> <b> <c> <g> .\n" * 1000)
        fh.write(memoryview(b"<d> <e> <f> <g> .\n"))
    outputs["other"].write_text("written plainly")
    outputs.commit()
    hashed = []
    monkeypatch.setattr(storage, "file_digest", lambda path: hashed.append(path.name) or file_digest(path))
    ledger = OutputLedger(tmp_path)
    ledger.record(targets.values(), outputs.written)
    assert hashed == ["o.txt"]
    assert ledger.recorded_digest(targets["nquads"]) == file_digest(targets["nquads"])


def test_the_ledger_holds_each_outputs_digest_after_a_run(built_hf_project):
    import sqlite3

    from pipeline.digests import file_digest

    with sqlite3.connect(built_hf_project.path("data/.doit/outputs.sqlite3")) as db:
        rows = db.execute("SELECT path, size, mtime_ns, digest FROM outputs").fetchall()
    checked = []
    for path, size, mtime_ns, digest in rows:
        stat = built_hf_project.path(path).stat()
        if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
            assert digest == file_digest(built_hf_project.path(path)), path
            checked.append(path)
    assert [p for p in checked if p.endswith((".nq", ".ttl", ".jsonld")) and "/hf/models-" in p]
