"""Make-style behaviour through real doit runs: no-op reruns, code changes, early cutoff, -s, atomic outputs."""

import re
import shutil

RAN = re.compile(r"^\.  (\S+)$", re.M)  # `doit -v 2`: one line per doit task that ran
# the console by asset: one line per asset, what the run did to it second
ASSET_LINE = re.compile(r"^(\S+)  +(built|checked|failed|interrupted|up to date|not run)\b", re.M)


def ran(result) -> set[str]:
    """The assets that ran, from the console's asset lines (a sharded asset counts once, whichever of
    its shards ran)."""
    return {name for name, word in ASSET_LINE.findall(result.stdout) if word not in ("up to date", "not run")}


def ran_tasks(result) -> set[str]:
    """The doit tasks that ran, shard sub-tasks by their own name (`asset:017`): needs `doit -v 2`."""
    return set(RAN.findall(result.stdout))


def test_second_run_does_nothing_and_says_so(toy_project):
    first = toy_project.doit()
    assert first.returncode == 0, first.stdout + first.stderr
    assert ran(first) == {"numbers", "doubled", "total"}
    second = toy_project.doit()
    assert ran(second) == set()
    assert "Nothing to do: all 3 selected assets are up to date." in second.stdout


def test_target_builds_only_stale_upstream(toy_project):
    assert toy_project.doit("numbers").returncode == 0
    result = toy_project.doit("doubled")
    assert ran(result) == {"doubled"}
    assert toy_project.path("data/doubled.txt").read_text() == "2\n4\n6\n"
    assert not toy_project.path("data/total.txt").exists()


def test_single_builds_every_asset_named(toy_project):
    assert toy_project.doit().returncode == 0
    assert ran(toy_project.doit("-a", "-s", "doubled", "total")) == {"doubled", "total"}
    assert ran(toy_project.doit("-a", "-s", "total", "numbers")) == {"total", "numbers"}


def test_single_keeps_the_order_inside_its_selection_with_parallel_workers(hf_project):
    """`-s` skips what lies outside the selection, not the order within it: a sharded asset's checks read
    its shards, and of two assets named the second reads the first's shards. With two worker processes,
    both once ran a task before the shards it reads were written ("Dependent file does not exist")."""
    assert hf_project.doit("hf_raw_models").returncode == 0
    for attempt in range(3):  # before the order was kept, each of 3 tries failed
        result = hf_project.doit("-n", "2", "-P", "process", "-s", "hf_models_jsonld", "hf_models_normalized")
        assert result.returncode == 0, result.stdout + result.stderr
        assert ran(result) == {"hf_models_normalized", "hf_models_jsonld"}
        if attempt == 0:  # later tries rewrite the same shards, so the checks are up to date
            assert re.search(r"^hf_models_normalized +built +4/4 shards .*checks: \d+ passed$", result.stdout, re.M)
        for folder in ("data/normalized/hf", "data/rdf/hf"):
            shutil.rmtree(hf_project.path(folder))


def test_single_with_missing_input_names_the_asset_to_build(toy_project):
    result = toy_project.doit("-s", "doubled")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    lines = [l for l in result.stdout.splitlines() if l.startswith("FAILED")]
    assert lines == ["FAILED doubled: its input data/numbers.txt was never built - run `doit numbers` first, "
                     "or `doit doubled` without -s to build what it needs"]


def test_code_change_reruns_the_asset_and_downstream_but_comments_do_not(toy_project):
    assert toy_project.doit().returncode == 0
    source = toy_project.path("toy_assets.py")
    original = source.read_text()
    source.write_text(original.replace("def build_doubled(ctx):\n", "def build_doubled(ctx):  # a comment\n"
                                       "    # why this doubles\n"))
    assert ran(toy_project.doit()) == set()
    source.write_text(original.replace("str(v * 2)", "str(v * 3)"))
    result = toy_project.doit()
    assert ran(result) == {"doubled", "total"}
    assert toy_project.path("data/total.txt").read_text() == "18\n"


def test_identical_rewrite_upstream_does_not_rerun_downstream(toy_project):
    assert toy_project.doit().returncode == 0
    toy_project.path("input.txt").write_text("1   2 3\n")  # input changed, output will be byte-identical
    result = toy_project.doit()
    assert ran(result) == {"numbers"}
    toy_project.path("input.txt").write_text("1 2 4\n")
    assert ran(toy_project.doit()) == {"numbers", "doubled", "total"}


def test_failed_task_keeps_previous_output_and_leaves_no_partial_files(toy_project):
    assert toy_project.doit().returncode == 0
    toy_project.path("input.txt").write_text("5 5\n")
    toy_project.path("FAIL_doubled").write_text("disk on fire")
    result = toy_project.doit()
    assert result.returncode != 0
    assert "disk on fire" in result.stdout + result.stderr
    assert toy_project.path("data/doubled.txt").read_text() == "2\n4\n6\n"
    assert toy_project.path("data/total.txt").read_text() == "12\n"
    assert not list(toy_project.path("data").glob(".*staging"))
    # the failure is not remembered as success: once fixed, the asset and its downstream rebuild
    toy_project.path("FAIL_doubled").unlink()
    assert ran(toy_project.doit()) == {"doubled", "total"}
    assert toy_project.path("data/total.txt").read_text() == "20\n"


def test_clear_failure_is_one_line_without_traceback(toy_project):
    toy_project.path("FAIL_numbers").write_text("clear:input.txt is empty - write some numbers into it")
    result = toy_project.doit()
    assert result.returncode != 0
    assert "FAILED numbers: input.txt is empty - write some numbers into it" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_doit_takes_an_outputs_digest_from_the_ledger_while_the_file_is_as_committed(toy_project, monkeypatch):
    """doit's md5 of an input is the digest its producer recorded when it committed the file (computed
    in the worker, not again in doit's main process per reader); a file changed since is read again."""
    from doit import dependency

    import pipeline.doit_tasks  # noqa: F401  (installs the hook)

    assert toy_project.doit().returncode == 0
    monkeypatch.chdir(toy_project.root)
    output = "data/doubled.txt"
    digest = dependency.get_file_md5(output)
    assert digest.startswith("ledger:")
    assert re.fullmatch(r"[0-9a-f]{32}", dependency.get_file_md5("input.txt"))  # not an asset's output: hashed
    text = toy_project.path(output).read_text()
    toy_project.path(output).write_text(text.replace("2", "8"))  # same size, other bytes
    assert dependency.get_file_md5(output) != digest
    # the asset that wrote it rebuilds it; it is the same as before, so its reader has nothing to do
    assert ran(toy_project.doit()) == {"doubled"}
    assert toy_project.path(output).read_text() == text
    assert dependency.get_file_md5(output).startswith("ledger:") and ran(toy_project.doit()) == set()
