"""Elasticsearch target through the official client: explicit mapping, bulk helper, alias swap.

Documents live in an index named after its mapping version; loader shards update it in place with
the bulk helper (index changed documents, delete vanished ids). Shard receipts are documents of a
companion `<alias>-receipts` index. A new mapping version is filled beside the old index, and the
alias moves to it in one atomic `update_aliases` call only once every shard's receipt is there;
then the old index is deleted: searches never see a half-built index.
"""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

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
        "dataset_titles": {"type": "text", "analyzer": "english"},
        "paper_titles": {"type": "text", "analyzer": "english"},
        "task": KEYWORD, "library": KEYWORD, "license": KEYWORD, "language": KEYWORD, "author": KEYWORD,
        "shared_by": KEYWORD, "datasets": KEYWORD, "base_models": KEYWORD,
        "downloads": {"type": "long"}, "likes": {"type": "long"},
        "date_modified": {"type": "date"}, "date_created": {"type": "date"}, "shard": KEYWORD,
    },
}
SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}
MAPPING_VERSION = hashlib.sha256(json.dumps([MAPPINGS, SETTINGS], sort_keys=True).encode()).hexdigest()[:12]
RECEIPT_MAPPINGS = {"dynamic": "strict", "properties": {
    "index": KEYWORD, "loader": KEYWORD, "shard": KEYWORD, "receipt": {"type": "keyword", "index": False}}}


class ElasticsearchIndex:
    def __init__(self, settings: Settings):
        self.url = settings.elasticsearch_url
        self.alias = settings.elasticsearch_index
        self.labels = set(settings.shard_labels)
        self.index = f"{self.alias}-{MAPPING_VERSION}"
        self.receipts_index = f"{self.alias}-receipts"
        self.target = f"Elasticsearch at {redact_url(self.url)} (alias {self.alias})"
        self._auth = {}
        if settings.elasticsearch_api_key:
            self._auth["api_key"] = settings.elasticsearch_api_key
        elif settings.elasticsearch_user:
            self._auth["basic_auth"] = (settings.elasticsearch_user, settings.elasticsearch_password or "")
        self._es: Elasticsearch | None = None

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

    def _ensure(self, index: str, mappings: dict, settings: dict | None = None) -> None:
        if not self._es.indices.exists(index=index):
            try:
                self._es.indices.create(index=index, mappings=mappings, settings=settings or SETTINGS)
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):  # another shard created it meanwhile
                    raise

    def read_receipts(self, loader: str) -> dict[str, dict]:
        try:
            response = self._es.search(index=self.receipts_index, size=max(len(self.labels), 1),
                                       query={"bool": {"filter": [{"term": {"index": self.index}},
                                                                  {"term": {"loader": loader}}]}})
        except NotFoundError:
            return {}
        if not self._es.indices.exists(index=self.index):
            return {}  # receipts outlived their index (someone deleted it): nothing is held
        return {hit["_source"]["shard"]: json.loads(hit["_source"]["receipt"]) for hit in response["hits"]["hits"]}

    def load(self, shard: str, docs: list[dict], vanished: list[str] | None, rejects: TextIO) -> dict:
        """Index the shard's changed documents (all of them when `vanished` is None), delete vanished ids."""
        self._ensure(self.index, MAPPINGS)
        actions = [{"_index": self.index, "_id": doc["id"], "_source": {**doc, "shard": shard}} for doc in docs]
        actions += [{"_op_type": "delete", "_index": self.index, "_id": model_id} for model_id in vanished or []]
        refused = []
        for ok, item in helpers.streaming_bulk(self._es, actions, chunk_size=1000, raise_on_error=False,
                                               raise_on_exception=False, max_retries=3):
            if ok:
                continue
            op, detail = next(iter(item.items()))
            if op == "delete" and detail.get("status") == 404:
                continue  # already gone
            refused.append(detail.get("_id"))
            rejects.write(json.dumps({"id": detail.get("_id"), "reason": json.dumps(detail.get("error"))[:500]}) + "\n")
        retired = len(vanished or [])
        if vanished is None:  # a full shard load: whatever else the index holds for this shard has left
            response = self._es.delete_by_query(index=self.index, refresh=True, query={"bool": {
                "filter": [{"term": {"shard": shard}}], "must_not": [{"ids": {"values": [d["id"] for d in docs]}}]}})
            retired = response.get("deleted", 0)
        self._es.indices.refresh(index=self.index)
        return {"models_retired": retired, "rejected_ids": refused}

    def write_receipt(self, loader: str, shard: str, receipt: dict) -> None:
        """Store the shard's receipt; once every shard is in this index version, move the alias to it."""
        self._ensure(self.receipts_index, RECEIPT_MAPPINGS)
        self._es.index(index=self.receipts_index, id=f"{self.index}:{loader}:{shard}", refresh="wait_for",
                       document={"index": self.index, "loader": loader, "shard": shard,
                                 "receipt": json.dumps(receipt, sort_keys=True)})
        aliased = self._aliased_indices()
        if aliased == [self.index] or not self.labels <= set(self.read_receipts(loader)):
            return
        actions = [{"remove": {"index": i, "alias": self.alias}} for i in aliased if i != self.index]
        actions.append({"add": {"index": self.index, "alias": self.alias}})
        self._es.indices.update_aliases(actions=actions)
        for index in aliased:
            if index != self.index:
                self._es.indices.delete(index=index)

    def search(self, query: str, limit: int = 10, filters: dict | None = None) -> tuple[list[dict], dict]:
        must = [{"multi_match": {"query": query, "fields": ["name^3", "keywords^2", "description", "dataset_titles",
                                                              "paper_titles"]}}] if query \
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
