"""Elasticsearch target through the official client: explicit mapping, bulk helper, alias swap.

Each rebuild indexes into a new versioned index, moves the alias to it in one atomic
`update_aliases` call, then deletes the previous indices: searches never see a half-built index.
The load receipt lives in the index mapping's `_meta`.
"""

from __future__ import annotations

import json
import time
from typing import Iterable, TextIO

from elasticsearch import ApiError, AuthenticationException, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch import ConnectionError as EsConnectionError

from pipeline.config import Settings, redact_url
from pipeline.load.search import FACETS
from pipeline.registry import PipelineError

COMPOSE_HINT = ("start it with `docker compose up -d elasticsearch` or unset ELASTICSEARCH_URL to use "
                "the embedded search index")
KEYWORD = {"type": "keyword"}
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": KEYWORD,
        "name": {"type": "text", "analyzer": "english", "fields": {"raw": KEYWORD}},
        "description": {"type": "text", "analyzer": "english"},
        "keywords": {"type": "text", "analyzer": "standard", "fields": {"raw": KEYWORD}},
        "task": KEYWORD, "library": KEYWORD, "license": KEYWORD, "language": KEYWORD, "author": KEYWORD,
        "shared_by": KEYWORD, "datasets": KEYWORD, "base_models": KEYWORD,
        "downloads": {"type": "long"}, "likes": {"type": "long"},
        "date_modified": {"type": "date"}, "date_created": {"type": "date"},
    },
}
SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


class ElasticsearchIndex:
    def __init__(self, settings: Settings):
        self.url = settings.elasticsearch_url
        self.alias = settings.elasticsearch_index
        self.target = f"Elasticsearch at {redact_url(self.url)} (alias {self.alias})"
        self._auth = {}
        if settings.elasticsearch_api_key:
            self._auth["api_key"] = settings.elasticsearch_api_key
        elif settings.elasticsearch_user:
            self._auth["basic_auth"] = (settings.elasticsearch_user, settings.elasticsearch_password or "")
        self._es: Elasticsearch | None = None
        self._new_index: str | None = None

    def open(self) -> "ElasticsearchIndex":
        self._es = Elasticsearch(self.url, request_timeout=60, retry_on_timeout=True, max_retries=3, **self._auth)
        try:
            self._es.info()
        except AuthenticationException as exc:
            raise PipelineError(f"Elasticsearch at {redact_url(self.url)} rejected the credentials: "
                                "check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USER / ELASTICSEARCH_PASSWORD") from exc
        except (EsConnectionError, TransportError, ApiError) as exc:
            raise PipelineError(f"cannot connect to Elasticsearch at {redact_url(self.url)}: "
                                f"{exc.__class__.__name__} - {COMPOSE_HINT}") from exc
        return self

    def _aliased_indices(self) -> list[str]:
        try:
            return sorted(self._es.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    def rebuild(self, docs: Iterable[dict], load_id: str, rejects: TextIO) -> dict:
        index = f"{self.alias}-{load_id}-{time.time_ns()}"
        self._es.indices.create(index=index, mappings=MAPPINGS, settings=SETTINGS)
        actions = ({"_index": index, "_id": doc["id"], "_source": doc} for doc in docs)
        indexed = rejected = 0
        for ok, item in helpers.streaming_bulk(self._es, actions, chunk_size=1000, raise_on_error=False,
                                               raise_on_exception=False, max_retries=3):
            if ok:
                indexed += 1
                continue
            rejected += 1
            detail = item.get("index", item)
            rejects.write(json.dumps({"id": detail.get("_id"), "reason": json.dumps(detail.get("error"))[:500]}) + "\n")
        self._es.indices.refresh(index=index)
        self._new_index = index
        return {"documents_indexed": indexed, "rejected": rejected}

    def write_receipt(self, receipt: dict) -> None:
        """Receipt into the new index's `_meta`, then the atomic alias swap, then old indices go."""
        new = self._new_index
        self._es.indices.put_mapping(index=new, meta={"mlentory_receipt": json.dumps(receipt, sort_keys=True)})
        old = [i for i in self._aliased_indices() if i != new]
        actions = [{"remove": {"index": i, "alias": self.alias}} for i in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self._es.indices.update_aliases(actions=actions)
        for index in old:
            self._es.indices.delete(index=index)

    def read_receipt(self) -> dict | None:
        try:
            mapping = self._es.indices.get_mapping(index=self.alias)
        except NotFoundError:
            return None
        for body in mapping.values():
            raw = body.get("mappings", {}).get("_meta", {}).get("mlentory_receipt")
            return json.loads(raw) if raw else None
        return None

    def search(self, query: str, limit: int = 10, filters: dict | None = None) -> tuple[list[dict], dict]:
        must = [{"multi_match": {"query": query, "fields": ["name^3", "keywords^2", "description"]}}] if query \
            else [{"match_all": {}}]
        body_filter = [{"term": {field: value}} for field, value in (filters or {}).items()]
        try:
            response = self._es.search(index=self.alias, size=limit, query={"bool": {"must": must, "filter": body_filter}},
                                       aggs={f: {"terms": {"field": f, "size": 10}} for f in FACETS})
        except NotFoundError as exc:
            raise PipelineError(f"no search index {self.alias} at {redact_url(self.url)}: "
                                "run `doit hf_index_models_in_elasticsearch`") from exc
        hits = [{**hit["_source"], "score": round(hit["_score"] or 0, 3)} for hit in response["hits"]["hits"]]
        facets = {f: {b["key"]: b["doc_count"] for b in response["aggregations"][f]["buckets"]} for f in FACETS}
        return hits, facets

    def close(self) -> None:
        if self._es is not None:
            self._es.close()
            self._es = None
