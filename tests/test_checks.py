"""Asset checks through doit: an error check stops downstream and says why; warnings only show; the
figures appear in `doit status`, `doit logs` and `doit quality`."""

import json

from pipeline import checks
from tests.records import empty_platform_snapshots, hub_item
from tests.test_loaders_doit import ITEMS, write_snapshot


def lines_starting(text: str, prefix: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


def test_an_error_check_stops_downstream_and_shows_in_status_logs_and_quality(hf_project, tmp_path):
    # the same Hub model listed twice in two spellings (Hub ids are case-insensitive): one model counted twice
    twice = ITEMS + [hub_item("ORG/Base", pipeline_tag="text-generation")]
    write_snapshot(tmp_path / "snap", twice)
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(tmp_path / "snap")
    result = hf_project.doit()
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert lines_starting(result.stdout, "FAILED") == [
        "FAILED hf_models_normalized:checks: 1 error check failed - unique_ids: ids held by more than one record "
        "(case-insensitive): org/base (downstream assets were not built; `doit quality` shows every figure)"]
    # the asset itself was built; nothing that reads it was
    assert len(list(hf_project.root.glob("data/normalized/hf/models-*.parquet"))) == 4
    assert not list(hf_project.root.glob("data/rdf/hf/*.jsonld")) and not hf_project.path("data/load").exists()
    assert not hf_project.path("data/raw/hf/datasets.parquet").exists()

    rows = {r["name"]: r for r in json.loads(hf_project.doit("status", "--format", "json").stdout)["assets"]}
    normalized = rows["hf_models_normalized"]
    assert normalized["state"] == "failed" and "error check unique_ids failed" in normalized["reason"]
    assert {c["check"]: c["status"] for c in normalized["checks"]}["unique_ids"] == "fail"
    row = lines_starting(hf_project.doit("status").stdout, "hf_models_normalized ")[0]
    assert "error check unique_ids failed in run" in row and "1 failed (" in row and "unique_ids 1" in row
    logs = hf_project.doit("logs").stdout
    assert "== hf_models_normalized:checks (failed" in logs and "FAIL  unique_ids" in logs
    quality = hf_project.doit("quality").stdout
    assert any(l.split()[:3] == ["FAIL", "hf_models_normalized", "unique_ids"] for l in quality.splitlines())

    # the listing is fixed (a full listing sees what left it): the check passes and downstream is built
    write_snapshot(tmp_path / "snap", ITEMS)
    result = hf_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    summary = lines_starting(result.stdout, "hf_models_normalized ")  # the asset's line, its checks on it
    checks = summary[0].split("checks: ")[1]
    assert "passed" in checks and "failed" not in checks and "unique_ids" not in checks
    assert len(list(hf_project.root.glob("data/rdf/hf/*.jsonld"))) == 4


def test_a_warning_shows_but_blocks_nothing(hf_project, tmp_path):
    unknown = [hub_item(f"lab/m{i}", cardData={"license": "our-own-terms"}) for i in range(3)]
    write_snapshot(tmp_path / "snap", ITEMS + unknown)
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(tmp_path / "snap")
    hf_project.env.update(empty_platform_snapshots(tmp_path / "platforms"))  # the Hub's licenses alone
    result = hf_project.doit()
    assert result.returncode == 0, result.stdout + result.stderr
    line = lines_starting(result.stdout, "licenses ")
    assert line and "built" in line[0] and line[0].endswith("checks: 0 passed, 1 warning (licenses_recognised 0.75)")
    status = hf_project.doit("status", "licenses").stdout
    assert "checks: 0 passed, 1 warning (licenses_recognised 0.75)" in status
    assert hf_project.path("data/normalized/entities/entities.parquet").exists()


def test_a_check_that_cannot_run_says_why_at_its_severity():
    def broken(given):
        raise KeyError("records")

    results = checks.run([checks.Check("figures", "", broken), checks.Check("guard", "", broken, severity="error")],
                         checks.CheckInput(None, {}))
    assert [(r["check"], r["status"]) for r in results] == [("figures", "warn"), ("guard", "fail")]
    assert results[0]["detail"] == "the check could not run: KeyError: 'records'"
    assert checks.summary(results) == "0 passed, 1 warning, 1 failed (figures -; guard -)"
