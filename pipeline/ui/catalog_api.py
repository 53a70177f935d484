"""The catalog's read-only REST API under /api/catalog/ (documented in docs/catalog-api.md and at
/openapi.json): search with facets and paging, a model, dataset or paper by id, a model's lineage
and history, and a model's record as JSON-LD, Turtle or RO-Crate. The reading itself is
pipeline/catalog/service.py's; here are the parameters, their checks and the answers' status codes:
400 for a bad parameter, 404 for an unknown id, 503 when a target does not answer.

Ids hold slashes (`org/model`, DOIs), so every id is the last part of its path.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pipeline.catalog.exports import FORMATS
from pipeline.catalog.graph_reads import MAX_DEPTH
from pipeline.catalog.service import Catalog
from pipeline.errors import NotFound, TargetUnavailable
from pipeline.load.search import FILTER_FIELDS
from pipeline.ui.http import error
from pipeline.ui.openapi import JSON, operation, param

MAX_PAGE = 100
MAX_WINDOW = 10_000  # offset + limit: as deep as Elasticsearch pages by default (index.max_result_window)
MAX_LINKED = 200


class BadRequest(ValueError):
    pass


def _number(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}, not {value}")
    return value


def _choice(request: Request, name: str, default: str, allowed) -> str:
    value = request.query_params.get(name, default)
    if value not in allowed:
        raise BadRequest(f"{name} is one of {', '.join(allowed)}, not {value!r}")
    return value


def _only(request: Request, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise BadRequest(f"unknown parameter{'s' * (len(unknown) > 1)} {', '.join(unknown)}: this route takes "
                         + (", ".join(allowed) or "none"))


async def _answer(work) -> Response:
    try:
        result = await asyncio.to_thread(work)
    except BadRequest as exc:
        return error(400, str(exc))
    except NotFound as exc:
        return error(404, str(exc))
    except TargetUnavailable as exc:
        return error(503, str(exc))
    return result if isinstance(result, Response) else JSONResponse(result)


class CatalogApi:
    def __init__(self, root: Path, env: dict | None = None):
        self.catalog = Catalog(root, env)

    def close(self) -> None:
        self.catalog.close()

    def routes(self) -> list[Route]:
        return [Route("/api/catalog/search", self.search),
                Route("/api/catalog/models/{model_id:path}", self.model),
                Route("/api/catalog/lineage/{model_id:path}", self.lineage),
                Route("/api/catalog/history/{model_id:path}", self.history),
                Route("/api/catalog/datasets/{dataset_id:path}", self.dataset),
                Route("/api/catalog/papers/{paper_id:path}", self.paper)]

    async def search(self, request: Request) -> Response:
        def work():
            _only(request, ("q", "offset", "limit", *FILTER_FIELDS))
            limit = _number(request, "limit", 20, 1, MAX_PAGE)
            offset = _number(request, "offset", 0, 0, MAX_WINDOW - limit)
            filters = {name: request.query_params.getlist(name) for name in FILTER_FIELDS
                       if request.query_params.getlist(name)}
            return self.catalog.search(request.query_params.get("q", ""), filters, offset, limit)
        return await _answer(work)

    async def model(self, request: Request) -> Response:
        model_id = request.path_params["model_id"]

        def work():
            _only(request, ("format",))
            form = _choice(request, "format", "json", ("json", *FORMATS))
            if form == "json":
                return self.catalog.model(model_id)
            exported = self.catalog.export(model_id, form)
            text = exported if isinstance(exported, str) else json.dumps(exported, ensure_ascii=False, indent=1)
            name = {"jsonld": "record.jsonld", "turtle": "record.ttl", "rocrate": "ro-crate-metadata.json"}[form]
            return Response(text, media_type=FORMATS[form],
                            headers={"Content-Disposition": f'inline; filename="{name}"'})
        return await _answer(work)

    async def lineage(self, request: Request) -> Response:
        def work():
            _only(request, ("direction", "depth", "limit"))
            direction = _choice(request, "direction", "both", ("ancestors", "descendants", "both"))
            depth = _number(request, "depth", 2, 1, MAX_DEPTH)
            limit = _number(request, "limit", 50, 1, MAX_LINKED)
            return self.catalog.lineage(request.path_params["model_id"], direction, depth, limit)
        return await _answer(work)

    async def history(self, request: Request) -> Response:
        model_id = request.path_params["model_id"]

        def work():
            _only(request, ())
            found = self.catalog.history(model_id)
            if not found:
                raise NotFound(f"no record of {model_id!r} in the catalog or its history (ids are case-sensitive here)")
            return {"id": model_id, "versions": found}
        return await _answer(work)

    async def _entity(self, request: Request, label: str, noun: str, key: str) -> Response:
        def work():
            _only(request, ("limit",))
            limit = _number(request, "limit", 20, 1, MAX_LINKED)
            return self.catalog.entity(label, noun, request.path_params[key], limit)
        return await _answer(work)

    async def dataset(self, request: Request) -> Response:
        return await self._entity(request, "Dataset", "dataset", "dataset_id")

    async def paper(self, request: Request) -> Response:
        return await self._entity(request, "Paper", "paper", "paper_id")


def operations() -> list[dict]:
    """The OpenAPI description of these routes (pipeline/ui/openapi.py)."""
    tag, gone = "catalog", (400, 404, 503)
    model_id = param("model_id", "a model's Hub id, e.g. google-bert/bert-base-uncased (any case)", where="path")
    filters = [param(name, f"only models whose {name} is this value (repeat: every value must hold)", repeat=True)
               for name in FILTER_FIELDS]
    return [
        operation("GET", "/api/catalog/search", "search models: hits, facet counts and the number of matches", tag,
                  (param("q", "words, \"phrases\", field:word and field:value filters (docs/catalog-api.md)"),
                   *filters,
                   param("offset", "how many hits to skip", kind="integer", default=0, minimum=0,
                         maximum=MAX_WINDOW - 1),
                   param("limit", "hits per page", kind="integer", default=20, minimum=1, maximum=MAX_PAGE)),
                  (400, 503)),
        operation("GET", "/api/catalog/models/{model_id}", "a model: its FAIR4ML record, what it links to "
                  "(licenses with their SPDX facts, datasets, papers, tasks, bases), and where it came from", tag,
                  (model_id, param("format", "json (default), or the record exported: jsonld, turtle, rocrate",
                                   enum=["json", *FORMATS], default="json")), gone,
                  content={JSON: "the model (format=json)", "application/ld+json":
                           "the record as JSON-LD (format=jsonld) or an RO-Crate metadata document (format=rocrate)",
                           "text/turtle": "the record as Turtle (format=turtle)"}),
        operation("GET", "/api/catalog/lineage/{model_id}", "a model's ancestors and descendants: nodes, and "
                  "edges from derived model to base with the relation", tag,
                  (model_id, param("direction", "which way", enum=["ancestors", "descendants", "both"],
                                   default="both"),
                   param("depth", "steps", kind="integer", default=2, minimum=1, maximum=MAX_DEPTH),
                   param("limit", "derived models shown per step (most downloaded first)", kind="integer",
                         default=50, minimum=1, maximum=MAX_LINKED)), gone),
        operation("GET", "/api/catalog/history/{model_id}", "the versions of a model's record, when each was "
                  "valid and what changed", tag, (model_id,), (400, 404)),
        operation("GET", "/api/catalog/datasets/{dataset_id}", "a dataset: its record, what it links to, and "
                  "the models trained or evaluated on it", tag,
                  (param("dataset_id", "the dataset's id as models name it", where="path"),
                   param("limit", "models listed per relationship", kind="integer", default=20, minimum=1,
                         maximum=MAX_LINKED)), gone),
        operation("GET", "/api/catalog/papers/{paper_id}", "a paper: its record, its authors and the models "
                  "citing it", tag,
                  (param("paper_id", "an arXiv id (2307.09288) or a DOI", where="path"),
                   param("limit", "models listed", kind="integer", default=20, minimum=1, maximum=MAX_LINKED)),
                  gone),
    ]
