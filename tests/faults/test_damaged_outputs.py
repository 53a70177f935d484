"""Issue 12, defect 2: an output that is not what its producer wrote makes the producer stale, and a
file that cannot be read is named with what to run - the pipeline never stays blocked."""

import pyarrow.parquet as pq
import pytest

RAW = "data/raw/hf/models-001.parquet"
NORMALIZED = "data/normalized/hf/models-002.parquet"


def truncate(project, relative: str) -> bytes:
    path = project.path(relative)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    return good


def failed_lines(result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("FAILED")]


@pytest.mark.parametrize("relative, producer", [(RAW, "hf_raw_models"), (NORMALIZED, "hf_models_normalized")])
def test_a_truncated_shard_makes_its_producer_stale_and_the_next_run_rebuilds_it(hf_project, relative, producer):
    assert hf_project.doit().returncode == 0
    good = truncate(hf_project, relative)
    status = hf_project.doit("status", "--shards").stdout
    row = next(line for line in status.splitlines() if line.startswith(producer + " "))
    assert "stale" in row, status
    assert f"output {relative} is not what it wrote" in status
    result = hf_project.doit()
    assert result.returncode == 0, result.stdout + result.stderr
    assert hf_project.path(relative).read_bytes() == good
    pq.read_table(hf_project.path(relative))
    assert "Nothing to do" in hf_project.doit().stdout


def test_a_damaged_input_is_named_with_the_producer_to_run(hf_project):
    assert hf_project.doit().returncode == 0
    good = truncate(hf_project, RAW)
    result = hf_project.doit("-s", "hf_models_normalized:001")  # only the consumer: the producer does not run
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert failed_lines(result) == [
        f"FAILED hf_models_normalized:001: its input {RAW} is not what hf_raw_models wrote (it has "
        f"{len(good) // 2} bytes, {len(good)} were written) - run `doit hf_raw_models` to rebuild it "
        "(a plain `doit` does it first)"]
    assert hf_project.doit("hf_raw_models").returncode == 0
    assert hf_project.doit().returncode == 0


def test_a_damaged_file_the_ledger_never_saw_is_named_and_its_producer_made_stale(hf_project):
    """Files built before the output ledger existed have no record: the reader's error says which file."""
    assert hf_project.doit().returncode == 0
    hf_project.path("data/.doit/outputs.sqlite3").unlink()
    truncate(hf_project, RAW)
    result = hf_project.doit()
    assert result.returncode != 0
    [line] = failed_lines(result)
    assert line.startswith(f"FAILED hf_models_normalized:001: cannot read its input {RAW} (ArrowInvalid: ")
    assert line.endswith("- run `doit hf_raw_models` to rebuild it (a plain `doit` does it first)")
    again = hf_project.doit()
    assert again.returncode == 0, again.stdout + again.stderr
    pq.read_table(hf_project.path(RAW))
    assert "Nothing to do" in hf_project.doit().stdout
