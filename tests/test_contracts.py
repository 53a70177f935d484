"""Every backend and source keeps its contract (pipeline/load/base.py, pipeline/extract/base.py): the
methods the loaders and the harvest call exist on each with parameters they can be called with, and
the factories hand out the implementation the settings select. The behaviour behind the contracts is
tested against every backend in test_load_graph.py and test_load_search.py."""

import inspect

import pytest

from pipeline.config import load_settings
from pipeline.extract.base import ModelSource
from pipeline.extract.bioimageio import BioimageioSource
from pipeline.extract.hf_source import HubSource, SnapshotSource, hf_source
from pipeline.extract.openml import OpenmlSource
from pipeline.load.base import GraphStore, SearchIndex, ShardSink
from pipeline.load.elasticsearch import ElasticsearchIndex
from pipeline.load.falkordb import FalkorStore
from pipeline.load.graph import GraphSink, graph_store
from pipeline.load.neo4j import Neo4jStore
from pipeline.load.search import SearchSink, search_index
from pipeline.load.tantivy_index import TantivyIndex

IMPLEMENTATIONS = [
    (GraphStore, FalkorStore), (GraphStore, Neo4jStore),
    (SearchIndex, TantivyIndex), (SearchIndex, ElasticsearchIndex),
    (ShardSink, GraphSink), (ShardSink, SearchSink),
    (ModelSource, SnapshotSource), (ModelSource, HubSource), (ModelSource, OpenmlSource),
    (ModelSource, BioimageioSource),
]


def _members(protocol) -> list[str]:
    declared = set(vars(protocol)) | set(getattr(protocol, "__annotations__", {}))
    return sorted(name for name in declared if not name.startswith("_"))


def _parameters(function) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())[1:]  # without self


@pytest.mark.parametrize("protocol,implementation", IMPLEMENTATIONS,
                         ids=[f"{p.__name__}-{i.__name__}" for p, i in IMPLEMENTATIONS])
def test_each_implementation_accepts_every_call_its_contract_allows(protocol, implementation):
    for name in _members(protocol):
        assert hasattr(implementation, name), f"{implementation.__name__} lacks {name}"
        wanted = getattr(protocol, name, None)
        if not callable(wanted):
            continue
        given = _parameters(getattr(implementation, name))
        contract = _parameters(wanted)
        assert [p.name for p in given[:len(contract)]] == [p.name for p in contract], \
            f"{implementation.__name__}.{name} takes {[p.name for p in given]}, the contract {[p.name for p in contract]}"
        for extra in given[len(contract):]:
            assert extra.default is not inspect.Parameter.empty, \
                f"{implementation.__name__}.{name} needs {extra.name}, which no caller of the contract passes"
        for mine, theirs in zip(given, contract):
            if theirs.default is not inspect.Parameter.empty:
                assert mine.default == theirs.default, f"{implementation.__name__}.{name}: default of {mine.name}"


def test_the_settings_choose_the_backend_and_the_source(tmp_path):
    embedded = load_settings(tmp_path, environ={"HF_HUB_OFFLINE": "1"})
    served = load_settings(tmp_path, environ={"NEO4J_URI": "bolt://localhost:1", "ELASTICSEARCH_URL": "http://localhost:1"})
    assert isinstance(graph_store(embedded), FalkorStore) and isinstance(graph_store(served), Neo4jStore)
    assert isinstance(search_index(embedded), TantivyIndex) and isinstance(search_index(served), ElasticsearchIndex)
    assert type(hf_source(embedded)) is SnapshotSource and type(hf_source(served)) is HubSource
    for chosen, protocol in [(graph_store(served), GraphStore), (search_index(served), SearchIndex),
                             (hf_source(embedded), ModelSource), (GraphSink(embedded, "hf_graph"), ShardSink),
                             (OpenmlSource(embedded), ModelSource), (BioimageioSource(embedded), ModelSource)]:
        assert isinstance(chosen, protocol)


def test_a_source_without_the_contract_is_recognised(tmp_path):
    class Half:
        platform = "x"

        def identity(self):
            return {}

    assert not isinstance(Half(), ModelSource)
