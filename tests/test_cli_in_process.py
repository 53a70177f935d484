"""Every command plugin run in-process (tests/conftest.py `Project.run_here`), its output read from the
stream it writes to: what a user sees, without a subprocess per command. The builds themselves are real
`doit` runs."""

import json
import tomllib

import pytest

from tests.conftest import REPO


def commands() -> dict[str, str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["doit"]["plugins"]["command"]


def test_every_command_is_its_own_module_under_pipeline_cli():
    for name, where in commands().items():
        module, _, cls = where.partition(":")
        assert module == f"pipeline.cli.{name}", f"doit {name} lives in {module}"


@pytest.fixture
def built_toy(toy_project):
    toy_project.path("FAIL_total").write_text("broken sum")
    assert toy_project.doit().returncode != 0
    return toy_project


def test_status_runs_logs_and_lineage_print_to_their_stream(built_toy):
    status = built_toy.run_here("status")
    assert status.returncode == 0, status.stderr
    rows = {line.split()[0]: line.split()[2] for line in status.stdout.splitlines()[1:4]}
    assert rows["numbers"] == "fresh" and rows["total"] == "failed"
    document = json.loads(built_toy.run_here("status", "--format", "json").stdout)
    assert {a["name"] for a in document["assets"]} >= {"numbers", "doubled", "total"}

    runs = built_toy.run_here("runs").stdout.splitlines()
    assert len(runs) == 1 and "failed: total" in runs[0]
    run_id = runs[0].split()[0]
    one = built_toy.run_here("runs", run_id).stdout
    assert one.startswith(f"run {run_id}  failed") and "RuntimeError: broken sum" in one

    logs = built_toy.run_here("logs")
    assert logs.stdout.startswith("== total (failed") and "broken sum" in logs.stdout
    unknown = built_toy.run_here("logs", "no_such_asset")
    assert unknown.returncode == 3 and "no run or asset 'no_such_asset'" in unknown.stderr and unknown.stdout == ""

    assert built_toy.run_here("lineage", "doubled", "--format", "mermaid").stdout.startswith("graph LR")


def test_options_after_the_words_and_a_bad_choice(built_toy):
    assert built_toy.run_here("status", "total", "--state", "failed").stdout.count("\n") >= 2
    bad = built_toy.run_here("status", "--state", "purple")
    assert bad.returncode == 3 and "purple" in bad.stderr and bad.stdout == ""


def test_search_graph_sparql_history_and_quality_on_the_catalog(built_hf_project):
    hf_project = built_hf_project
    search = hf_project.run_here("search", "bert", "-n", "3", "license=apache-2.0")
    assert search.returncode == 0, search.stderr
    hits = [line for line in search.stdout.splitlines() if line[:1].isdigit()]
    assert 1 <= len(hits) <= 3

    graph = hf_project.run_here("graph", "MATCH (m:MLModel) WHERE m.id = 'google-bert/bert-base-uncased' RETURN m.id")
    assert graph.stdout.strip() == "google-bert/bert-base-uncased", graph.stderr

    sparql = hf_project.run_here("sparql", "SELECT (COUNT(?m) AS ?n) WHERE { ?m a fair4ml:MLModel }", "--format", "json")
    assert int(json.loads(sparql.stdout)[0]["n"]) > 100, sparql.stderr

    history = hf_project.run_here("history", "google-bert/bert-base-uncased", "--format", "json")
    assert json.loads(history.stdout)[-1]["change"] == "current"
    missing = hf_project.run_here("history", "nobody/nothing")
    assert missing.returncode == 1 and "no record of nobody/nothing" in missing.stderr

    quality = json.loads(hf_project.run_here("quality", "--format", "json").stdout)
    assert quality["catalog"]["records"] > 100
    assert all(c["status"] == "pass" for c in quality["checks"] if c["asset"].startswith("hf_"))
    # the other platforms' records are counted beside the Hub's; OpenML's flows carry no licence: a warning
    assert quality["platforms"]["openml"]["records"] > 0 and quality["platforms"]["bioimageio"]["records"] > 0
    assert {c["status"] for c in quality["checks"]} <= {"pass", "warn"}
    assert any(c["asset"] == "openml_models_normalized" and c["check"] == "license_filled" and c["status"] == "warn"
               for c in quality["checks"])


def test_a_command_writes_to_the_stream_it_is_given_and_nowhere_else(built_toy, monkeypatch, capsys):
    import io

    from pipeline.cli.logs import Logs
    from pipeline.cli.runs import Runs

    monkeypatch.chdir(built_toy.root)
    for command in (Runs, Logs):
        given = io.StringIO()
        assert command(outstream=given).parse_execute([]) == 0
        assert given.getvalue().strip()
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("command", ["list", "status", "runs", "run"])
def test_a_bad_setting_is_one_line_naming_it(toy_project, command):
    result = toy_project.run_here(command, env={"MLENTORY_SHARDS": "0"})
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == ["ERROR: setting shards must be between 1 and 100000 (from the "
                                                  "environment, .env or pyproject.toml [tool.mlentory])"]
