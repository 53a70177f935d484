"""`doit runs`, `doit logs` and `doit lineage` through real doit runs."""

import re
import shutil
import subprocess


from pipeline.assets import REGISTRY


def test_runs_lists_recent_runs_with_what_failed(toy_project):
    toy_project.doit()
    toy_project.path("FAIL_total").write_text("broken sum")
    toy_project.path("input.txt").write_text("9\n")
    toy_project.doit()
    lines = toy_project.doit("runs", "-n", "5").stdout.splitlines()
    assert len(lines) == 2
    assert re.match(r"^\S+\s+failed\s+.*3 assets: 2 built, 1 failed \(1 row\) - failed: total$", lines[0])
    assert re.match(r"^\S+\s+success\s+.*3 assets: 3 built \(3 rows\)$", lines[1])
    assert len(toy_project.doit("runs", "-n", "1").stdout.splitlines()) == 1


def test_logs_default_to_the_failed_asset_of_the_last_run(toy_project):
    toy_project.path("FAIL_doubled").write_text("cannot double")
    failed = toy_project.doit()
    assert "`doit logs" in failed.stdout and "Traceback" not in failed.stdout
    logs = toy_project.doit("logs").stdout
    assert logs.startswith("== doubled (failed")
    assert "RuntimeError: cannot double" in logs and "Traceback" in logs
    run_id = logs.split("in run ")[1].split()[0]
    numbers = toy_project.doit("logs", run_id, "numbers").stdout
    assert "read 3 numbers" in numbers and '"rows": 3' in numbers
    assert toy_project.doit("logs", run_id, "total").stdout.startswith("== total (skipped")
    assert "did not run" in toy_project.doit("logs", run_id, "no_such_asset").stderr


def test_lineage_text_mermaid_and_dot(hf_project):
    text = hf_project.doit("lineage").stdout
    assert text.splitlines()[0] == "hf_raw_models"
    assert "└─▶ hf_index_models_in_elasticsearch" in text
    mermaid = hf_project.doit("lineage", "--format", "mermaid").stdout.splitlines()
    assert mermaid[0] == "graph LR"
    edges = [l.strip() for l in mermaid if "-->" in l]
    links = sum(len(asset.upstream) for asset in REGISTRY)  # one edge per upstream link, none repeated
    assert "hf_raw_models --> hf_models_normalized" in edges and len(edges) == links
    dot = hf_project.doit("lineage", "--format", "dot").stdout
    assert dot.startswith("digraph assets {") and dot.rstrip().endswith("}")
    assert dot.count("->") == links and '"hf_models_normalized" -> "hf_models_jsonld";' in dot
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg"], input=dot, text=True, check=True, capture_output=True)
    one = hf_project.doit("lineage", "--format", "mermaid", "hf_models_jsonld").stdout
    assert "hf_load_models_to_neo4j" not in one and "hf_raw_models --> hf_models_normalized" in one


def test_search_and_graph_commands(hf_project):
    assert hf_project.doit().returncode == 0
    search = hf_project.doit("search", "whisper", "-n", "3").stdout.splitlines()
    assert search[0].split() == ["#", "model", "task", "downloads", "license"]
    assert all("openai/whisper" in line or "distil-whisper" in line for line in search[1:4])
    filtered = hf_project.doit("search", "llama", "--license", "llama3.2").stdout
    assert "meta-llama/Llama-3.2" in filtered and "llama2 " not in filtered
    # `name=value` words reach the query (doit would take them as variables): field words filter, others are text
    licensed = hf_project.doit("search", "license=mit", "-n", "50").stdout.splitlines()
    hits = [line.split() for line in licensed[1:] if line.split()[0].isdigit()]
    assert len(hits) >= 10 and all("mit" in row[-1].split(",") for row in hits), licensed
    assert hf_project.doit("search", "zzqx=yyqv").stdout.strip() == "no models match"
    assert hf_project.doit("search", "translation", "language:fr", "-n", "1").stdout.splitlines()[1].split()[1] == \
        "Helsinki-NLP/opus-mt-fr-en"
    namespace = [row.split()[1] for row in hf_project.doit("search", "openai", "-n", "5").stdout.splitlines()[1:6]]
    assert all(model.split("/")[0].startswith("openai") for model in namespace), namespace
    rows = hf_project.doit("graph", "MATCH (m:MLModel)-[:TRAINED_ON]->(:Dataset {id: 'librispeech_asr'}) "
                                    "RETURN m.id ORDER BY m.id").stdout.split()
    assert "facebook/wav2vec2-base-960h" in rows
    bad = hf_project.doit("graph", "MATCH (")
    assert bad.returncode != 0 and bad.stderr.startswith("graph query failed:")


def test_a_bare_forget_asks_for_names_instead_of_crashing(toy_project):
    assert toy_project.doit().returncode == 0
    bare = toy_project.doit("forget")
    assert bare.returncode == 0 and "Traceback" not in bare.stderr
    assert "pass task name" in bare.stdout and "--all" in bare.stdout
    assert toy_project.doit().stdout.count("up to date") >= 1  # nothing was forgotten
    assert "forgetting doubled" in toy_project.doit("forget", "doubled").stdout
