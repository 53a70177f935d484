"""The OpenAPI 3.1 description of the UI's HTTP interface, served at /openapi.json.

Each API module declares its operations beside its routes (`OPERATIONS`, made with `operation` and
`param`); the document is assembled from those declarations, and a test checks that every route the
app registers is described, so a route added without its description fails the tests.
"""

from __future__ import annotations

import re

JSON = "application/json"
ERROR = {"type": "object", "properties": {"error": {"type": "string", "description": "what went wrong, in one line"}},
         "required": ["error"]}
ERRORS = {400: "a parameter is missing or not valid", 404: "no such thing", 409: "refused in this state (a run is in progress, or it has ended)",
          415: "the body is not JSON (Content-Type: application/json)", 500: "`doit status` failed (its message)",
          503: "the graph or search target does not answer (down, unreachable, or never loaded)"}


def param(name: str, description: str, where: str = "query", kind: str = "string", required: bool = False,
          enum: list | None = None, default=None, repeat: bool = False, minimum: int | None = None,
          maximum: int | None = None) -> dict:
    schema: dict = {"type": kind}
    schema.update((k, v) for k, v in (("enum", enum), ("default", default), ("minimum", minimum),
                                      ("maximum", maximum)) if v is not None)
    if repeat:
        schema = {"type": "array", "items": schema}
    out = {"name": name, "in": where, "description": description, "required": required or where == "path",
           "schema": schema}
    if repeat:
        out.update(style="form", explode=True)
    return out


def operation(method: str, path: str, summary: str, tag: str, parameters: tuple = (), errors: tuple = (),
              content: dict | None = None, body: str | None = None, status: int = 200) -> dict:
    """One route's description; `content` maps media types to what the answer is (default: JSON)."""
    answer = {"description": "the answer", "content": {media: {"schema": {"description": what}}
                                                       for media, what in (content or {JSON: summary}).items()}}
    responses = {str(status): answer}
    responses.update((str(code), {"description": ERRORS.get(code, "refused"),
                                  "content": {JSON: {"schema": ERROR}}}) for code in errors)
    out = {"method": method.lower(), "path": path, "summary": summary, "tags": [tag], "parameters": list(parameters),
           "responses": responses}
    if body:
        out["requestBody"] = {"required": True, "content": {JSON: {"schema": {"type": "object", "description": body}}}}
    return out


def openapi_path(route_path: str) -> str:
    """A Starlette path (`/api/assets/{name:path}`) as OpenAPI writes it (`/api/assets/{name}`)."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", route_path)


def document() -> dict:
    from pipeline.ui import catalog_api, ops_api, server

    paths: dict[str, dict] = {}
    for op in (*server.OPERATIONS, *ops_api.OPERATIONS, *catalog_api.operations()):
        body = {k: v for k, v in op.items() if k not in ("method", "path")}
        paths.setdefault(op["path"], {})[op["method"]] = body
    return {
        "openapi": "3.1.0",
        "info": {"title": "mlentory pipeline UI", "version": "1",
                 "description": "Operate the pipeline (assets, runs, schedules) and read the catalog it builds "
                                "(search, models, datasets, papers, lineage, exports). Read-only apart from "
                                "starting and cancelling runs and switching schedules; served on loopback by "
                                "default and only to the Host names `doit ui` allows. See docs/catalog-api.md."},
        "paths": dict(sorted(paths.items())),
    }
