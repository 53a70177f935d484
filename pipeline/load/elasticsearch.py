"""Elasticsearch target through the official client: explicit mapping, bulk helper, alias swap.

Documents live in an index named after its mapping version; loader shards update it in place with
one bulk request (index changed documents, delete vanished ids; a full shard load first asks the
index which ids it holds for the shard), then refresh it, so a search after a load sees the load.
Shard receipts are documents of a companion `<alias>-receipts` index, keyed by index version, the
index's uuid, loader and shard, and read back by id (`mget` is real-time: no refresh to wait for);
an index deleted and re-created under the same name has a new uuid, so old receipts never vouch
for it. A new mapping version is filled beside the old index, and the alias moves to it in one
atomic `update_aliases` call only once every shard's receipt is there; then the old index is
deleted: searches never see a half-built index. Only core APIs are used (no scripts, no
`_delete_by_query`).
"""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from elasticsearch import ApiError, AuthenticationException, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch import ConnectionError as EsConnectionError

from pipeline.config import Settings, redact_url
from pipeline.load.search import FACETS, SEARCH_FIELDS, query_terms
from pipeline.errors import PipelineError

COMPOSE_HINT = ("start it with `docker compose up -d elasticsearch` or unset ELASTICSEARCH_URL to use "
                "the embedded search index")
KEYWORD = {"type": "keyword"}
# a keyword also searched as words (`openai/whisper-tiny` -> openai, whisper, tiny) through `<field>.words`
KEYWORD_AND_WORDS = {"type": "keyword", "fields": {"words": {"type": "text", "analyzer": "standard"}}}
WORDS = ("id", "task", "license", "language")
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": KEYWORD_AND_WORDS,
        "name": {"type": "text", "analyzer": "english", "fields": {"raw": KEYWORD}},
        "description": {"type": "text", "analyzer": "english"},
        "keywords": {"type": "text", "analyzer": "standard", "fields": {"raw": KEYWORD}},
        "dataset_titles": {"type": "text", "analyzer": "english"},
        "paper_titles": {"type": "text", "analyzer": "english"},
        "platform": KEYWORD, "task": KEYWORD_AND_WORDS, "library": KEYWORD, "license": KEYWORD_AND_WORDS, "language": KEYWORD_AND_WORDS,
        "author": KEYWORD,
        "shared_by": KEYWORD, "datasets": KEYWORD, "base_models": KEYWORD, "relation": KEYWORD,
        "inferred": KEYWORD, "card": KEYWORD,
        "downloads": {"type": "long"}, "likes": {"type": "long"},
        "date_modified": {"type": "date"}, "date_created": {"type": "date"}, "shard": KEYWORD,
    },
}
SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}
SHARD_IDS_PAGE = 5000  # ids per page when a full shard load asks which ids the index holds for the shard
MAPPING_VERSION = hashlib.sha256(json.dumps([MAPPINGS, SETTINGS], sort_keys=True).encode()).hexdigest()[:12]
RECEIPT_MAPPINGS = {"dynamic": "strict", "properties": {
    "index": KEYWORD, "loader": KEYWORD, "shard": KEYWORD, "receipt": {"type": "keyword", "index": False}}}


def _field(field: str) -> str:
    return f"{field}.words" if field in WORDS else field


def _text_query(text: str) -> dict:
    """The bool clauses of a query (see pipeline/load/search.py parse_query): words in every searched
    field with its weight, phrases and fielded terms required; no term at all matches everything."""
    words, required = query_terms(text)
    fields = [f"{_field(field)}^{boost:g}" for field, boost in SEARCH_FIELDS.items()]
    must = [{"match_phrase": {_field(field): phrase}} if field else
            {"multi_match": {"query": phrase, "type": "phrase", "fields": fields}} for field, phrase in required]
    should = [{"multi_match": {"query": " ".join(words), "fields": fields}}] if words else []
    if not must and not should:
        return {"must": [{"match_all": {}}]}
    return {"must": must, "should": should, **({} if must else {"minimum_should_match": 1})}


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
        self._uuid: str | None = None  # of the index the last read_receipts or load saw
        self._receipts_exist = False  # known to exist, from a read of the receipts
        self._unrefreshed = False  # loads no refresh has made searchable yet

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

    def _create(self, index: str, mappings: dict) -> None:
        try:
            self._es.indices.create(index=index, mappings=mappings, settings=SETTINGS)
        except ApiError as exc:
            if "resource_already_exists" not in str(exc):  # another shard created it meanwhile
                raise

    def _index_uuid(self, create: bool = False) -> str | None:
        """The identity of the index behind this version's name (a deleted and re-created index has a new
        one); None if there is no such index, unless `create` asks to create it."""
        try:
            response = self._es.indices.get_settings(index=self.index, name="index.uuid")
        except NotFoundError:
            if not create:
                return None
            self._create(self.index, MAPPINGS)
            return self._index_uuid()
        return response[self.index]["settings"]["index"]["uuid"]

    def _receipt_id(self, uuid: str, loader: str, shard: str) -> str:
        return f"{self.index}:{uuid}:{loader}:{shard}"

    def _receipt_docs(self, uuid: str, loader: str, source: bool, labels=None) -> list[dict]:
        """The receipt documents of every shard label (`found` or not), by id: real-time, unlike a search."""
        ids = [self._receipt_id(uuid, loader, shard) for shard in sorted(labels or self.labels)]
        docs = self._es.mget(index=self.receipts_index, ids=ids, source=source)["docs"]
        # a missing receipts index is an error on each document rather than a 404
        self._receipts_exist = not any(doc.get("error", {}).get("type") == "index_not_found_exception" for doc in docs)
        return docs

    def read_receipts(self, loader: str) -> dict[str, dict]:
        """The receipts of this very index for every shard label. Receipts name the index's uuid: those
        of a deleted index never describe one re-created under its name."""
        self._uuid = self._index_uuid()
        if self._uuid is None:
            return {}  # no index, so nothing is held (whatever receipts outlived it)
        return {doc["_source"]["shard"]: json.loads(doc["_source"]["receipt"])
                for doc in self._receipt_docs(self._uuid, loader, source=True, labels=[*self.labels, "all"])
                if doc.get("found")}

    def _shard_ids(self, shard: str) -> list[str]:
        """Every id the index holds for a shard, in id order (a refresh first, so a load that no refresh
        made visible yet, e.g. one interrupted before its receipt, is seen too)."""
        self._es.indices.refresh(index=self.index)
        ids, after = [], None
        while True:
            page = self._es.search(index=self.index, size=SHARD_IDS_PAGE, source=False, sort=[{"id": "asc"}],
                                   query={"term": {"shard": shard}}, track_total_hits=False,
                                   **({"search_after": after} if after else {}))["hits"]["hits"]
            ids += [hit["_id"] for hit in page]
            if len(page) < SHARD_IDS_PAGE:
                return ids
            after = page[-1]["sort"]

    def load(self, shard: str, docs: list[dict], vanished: list[str] | None, rejects: TextIO) -> dict:
        """Index the shard's changed documents (all of them when `vanished` is None, then whatever else the
        index holds for the shard is deleted) and delete vanished ids; `flush()` makes them searchable."""
        self._uuid = self._index_uuid(create=True)  # the index this load goes to, which its receipt will name
        if vanished is None:  # a full shard load: what the index holds for this shard and is not in docs has left
            sent = {doc["id"] for doc in docs}
            vanished = [model_id for model_id in self._shard_ids(shard) if model_id not in sent]
        actions = [{"_index": self.index, "_id": doc["id"], "_source": {**doc, "shard": shard}} for doc in docs]
        actions += [{"_op_type": "delete", "_index": self.index, "_id": model_id} for model_id in vanished]
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
        self._unrefreshed = self._unrefreshed or bool(actions)
        return {"models_retired": len(vanished), "rejected_ids": refused}

    def flush(self) -> None:
        """One explicit refresh after a task's shard loads (cheap: it writes only their changes), not a
        wait for the periodic refresh: searches see the loads as soon as the task ends."""
        if self._unrefreshed:
            self._es.indices.refresh(index=self.index)
            self._unrefreshed = False

    def write_receipt(self, loader: str, shard: str, receipt: dict) -> None:
        self.write_receipts(loader, {shard: receipt})

    def write_receipts(self, loader: str, receipts: dict[str, dict]) -> None:
        """Store the shards' receipts in one request; once every shard is in this index version, move the
        alias to it (checked once for all of them)."""
        if not receipts:
            return
        if not self._receipts_exist:
            self._create(self.receipts_index, RECEIPT_MAPPINGS)
            self._receipts_exist = True
        uuid = self._uuid or self._index_uuid()
        if uuid is None:
            raise PipelineError(f"the index {self.index} at {redact_url(self.url)} was deleted during the load of "
                                f"shard {min(receipts)}: run the loader again")
        operations: list[dict] = []
        for shard, receipt in sorted(receipts.items()):
            operations.append({"index": {"_index": self.receipts_index, "_id": self._receipt_id(uuid, loader, shard)}})
            operations.append({"index": self.index, "loader": loader, "shard": shard,
                               "receipt": json.dumps(receipt, sort_keys=True)})
        response = self._es.bulk(operations=operations)
        if response.get("errors"):
            failed = next(item["index"] for item in response["items"] if item["index"].get("error"))
            raise PipelineError(f"{redact_url(self.url)} refused the receipt {failed.get('_id')}: "
                                f"{json.dumps(failed['error'])[:300]} - delete the index {self.receipts_index} "
                                "and run the loader again (every shard is then sent whole)")
        aliased = self._aliased_indices()
        expected = ["all"] if "all" in receipts else None  # an unsharded loader (a small platform's) has one receipt
        if aliased == [self.index] or not all(doc.get("found") for doc in self._receipt_docs(uuid, loader, source=False,
                                                                                                 labels=expected)):
            return
        # every shard's load was refreshed before its receipt was written: the new index is complete
        actions = [{"remove": {"index": i, "alias": self.alias}} for i in aliased if i != self.index]
        actions.append({"add": {"index": self.index, "alias": self.alias}})
        try:
            self._es.indices.update_aliases(actions=actions)
        except NotFoundError:
            # another shard's task saw the last receipt too and moved the alias meanwhile
            if self._aliased_indices() != [self.index]:
                raise
        for index in aliased:
            if index != self.index:
                self._es.indices.delete(index=index, ignore_unavailable=True)

    def search(self, query: str, limit: int = 10, filters: dict | None = None,
               offset: int = 0) -> tuple[list[dict], dict, int]:
        body_filter = [{"term": {field: value}} for field, values in (filters or {}).items()
                       for value in (values if isinstance(values, (list, tuple)) else [values])]
        try:
            response = self._es.search(index=self.alias, size=limit, from_=offset, track_total_hits=True,
                                       query={"bool": {**_text_query(query), "filter": body_filter}},
                                       aggs={f: {"terms": {"field": f, "size": 10}} for f in FACETS})
        except NotFoundError as exc:
            raise PipelineError(f"no search index {self.alias} at {redact_url(self.url)}: "
                                "run `doit hf_index_models_in_elasticsearch`") from exc
        hits = [{**hit["_source"], "score": round(hit["_score"] or 0, 3)} for hit in response["hits"]["hits"]]
        facets = {f: {b["key"]: b["doc_count"] for b in response["aggregations"][f]["buckets"]} for f in FACETS}
        return hits, facets, response["hits"]["total"]["value"]

    def close(self) -> None:
        if self._es is not None:
            self._es.close()
            self._es = None
