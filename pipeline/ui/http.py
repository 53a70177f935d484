"""HTTP plumbing shared by the UI's APIs: JSON errors and JSON bodies."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def json_body(request: Request) -> dict:
    """POST bodies must be JSON: a cross-site form cannot send that without a CORS preflight we never grant."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ValueError("send a JSON body (Content-Type: application/json)")
    try:
        body = await request.json()
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ValueError("the JSON body must be an object")
    return body
