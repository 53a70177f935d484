"""The test Elasticsearch launcher itself: what it serves, and one clear line when a node cannot start."""

import pytest
import requests

from tests.es_launcher.launcher import EsServer, ensure_built


def test_a_node_that_cannot_start_says_why_in_one_line(tmp_path):
    ensure_built()
    server = EsServer(tmp_path / "es", port="abc")
    with pytest.raises(RuntimeError) as err:
        server.start()
    message = str(err.value)
    assert "\n" not in message and message.startswith("the test Elasticsearch did not start: ")
    assert "abc" in message and str(tmp_path / "es" / "node.log") in message
    assert server._process is None  # nothing left running


def test_the_node_is_elasticsearch_8_with_the_english_analyzer(elasticsearch_env):
    url = elasticsearch_env["ELASTICSEARCH_URL"]
    info = requests.get(url, timeout=10)
    assert info.headers.get("X-elastic-product") == "Elasticsearch"
    assert info.json()["version"]["number"].startswith("8.")
    analyzed = requests.post(f"{url}/_analyze", json={"analyzer": "english", "text": "Transformers running"}, timeout=10)
    assert [t["token"] for t in analyzed.json()["tokens"]] == ["transform", "run"]
