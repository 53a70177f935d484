"""Issue 12, defect 1: credentials in endpoint URLs never reach data/, the run history, logs or the console.

The canary is the password part of every URL the pipeline is given. Connections must still use it
(the local Hub sees it as Basic auth); anything printed, stored or fingerprinted must not contain it.
"""

import base64

from pipeline.config import load_settings
from pipeline.load.targets import graph_target, search_target
from tests.faults.helpers import closed_port, files_containing, go_live
from tests.hub_server import HubSnapshotServer

CANARY = "c4n4ry-S3CRET-7f3a"


def with_password(url: str, user: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{user}:{CANARY}@{rest}"


def test_redact_url_strips_userinfo_and_credential_parameters():
    from pipeline.config import redact_text, redact_url

    assert redact_url(f"http://user:{CANARY}@127.0.0.1:18080") == "http://127.0.0.1:18080"
    assert redact_url(f"https://{CANARY}@example.org/api") == "https://example.org/api"
    shown = redact_url(f"https://e.org/q?author=me&token={CANARY}&api_key={CANARY}&X-Amz-Signature={CANARY}&n=1")
    assert shown == "https://e.org/q?author=me&n=1"
    settings = load_settings("/nonexistent", environ={
        "HF_ENDPOINT": with_password("http://127.0.0.1:1", "u"), "NEO4J_URI": with_password("bolt://db:7687", "neo4j"),
        "ELASTICSEARCH_URL": with_password("https://es:9200", "elastic"),
        "MLENTORY_ARXIV_ENDPOINT": f"https://arxiv.example/q?token={CANARY}"})
    text = settings.redact(f"Client error for url 'http://u:{CANARY}@127.0.0.1:1/api/models' ({CANARY})")
    assert CANARY not in text and "http://127.0.0.1:1/api/models" in text
    assert CANARY not in repr(settings) + str(settings.hf_harvest_identity())
    assert CANARY not in str(graph_target(settings)) + str(search_target(settings))
    assert CANARY not in redact_text(f"see https://arxiv.example/q?token={CANARY}")


def test_credentials_in_urls_reach_neither_data_nor_history_nor_console(hf_project, bundled_snapshot):
    outputs = []
    arxiv = bundled_snapshot.parent / "arxiv"
    with HubSnapshotServer(bundled_snapshot, page_size=25, arxiv_dir=arxiv) as hub:
        go_live(hf_project, hub, HF_ENDPOINT=with_password(hub.url, "hubuser"),
                MLENTORY_ARXIV_ENDPOINT=with_password(hub.arxiv_endpoint, "arxivuser"), MLENTORY_HF_MAX_AGE_HOURS="0")
        hub.fail_next(503, times=1, path_prefix="/api/models")  # a retry line names the URL it retries
        built = hf_project.doit()
        outputs.append(built)
        assert built.returncode == 0, built.stdout + built.stderr
        assert "retry 1 of 5" in built.stderr and f"GET {hub.url}/api/models" in built.stderr
        # the credentials were used for the connection
        basic = "Basic " + base64.b64encode(f"hubuser:{CANARY}".encode()).decode()
        assert {r["authorization"] for r in hub.requests if r["path"] == "/api/models"} == {basic}
        # a failing harvest: the Hub's error names the URL it was asked for
        hub.fail_next(404, times=1, path_prefix="/api/models")
        failed = hf_project.doit("hf_raw_models")
        outputs.append(failed)
        assert failed.returncode != 0
        assert f"cannot reach the Hugging Face Hub at {hub.url}:" in failed.stdout
    # graph and search targets with credentials in their URLs, unreachable: one line each, no secret
    targets = {"NEO4J_URI": with_password(f"bolt://127.0.0.1:{closed_port()}", "neo4j"),
               "ELASTICSEARCH_URL": with_password(f"http://127.0.0.1:{closed_port()}", "elastic")}
    for task in ("hf_load_models_to_neo4j", "hf_index_models_in_elasticsearch"):
        result = hf_project.doit("-s", task, env=targets)
        outputs.append(result)
        assert result.returncode != 0 and "FAILED" in result.stdout
    for command in (["runs", "-n", "10"], ["logs"], ["status", "--shards"], ["status", "--format", "json"]):
        outputs.append(hf_project.doit(*command, env=targets))
    for run_id in [line.split()[0] for line in outputs[-4].stdout.splitlines()]:
        outputs.append(hf_project.doit("logs", run_id))
    console = "".join(r.stdout + r.stderr for r in outputs)
    assert CANARY not in console
    assert files_containing(hf_project.root / "data", CANARY) == []
