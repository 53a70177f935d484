"""The web UI (`doit ui`): one Starlette app over the sources the CLI reads, assembled here.

Its parts, by concern: pipeline/ui/project.py (the project: states, history, the run it runs),
pipeline/ui/ops_api.py (assets, runs, schedules, the event stream), pipeline/ui/catalog_api.py (the
catalog itself: search, models, datasets, papers, lineage, exports), pipeline/ui/openapi.py (the
description at /openapi.json), pipeline/ui/hosts.py (which Host names it answers). Pages are kept up
to date by server-sent events (pipeline/ui/live.py), so an open page costs nothing while the
project is idle.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.ui import catalog_api, ops_api, openapi
from pipeline.ui.live import Live
from pipeline.ui.openapi import operation
from pipeline.ui.project import CANCEL_GRACE_S, Project

UI_DIR = Path(__file__).resolve().parent
STATIC_DIR = UI_DIR / "static"
VENDOR_FILES = {"cytoscape.min.js": "cytoscape", "uPlot.iife.min.js": "uplot", "uPlot.min.css": "uplot"}
VENDOR_HINT = ("the UI's JavaScript libraries (the graph and the plots) are missing: run `npm ci` in pipeline/ui "
               "(it copies them to pipeline/ui/static/vendor/)")


OPERATIONS = [
    operation("GET", "/", "the web UI (one page; its views are routed by the URL fragment)", "ui",
              content={"text/html": "the page"}),
    operation("GET", "/static/{path}", "the page's scripts, styles and vendored libraries", "ui",
              (openapi.param("path", "a file under pipeline/ui/static", where="path"),), (404,),
              content={"*/*": "the file"}),
    operation("GET", "/api/health", "the project root, missing JavaScript libraries, the live watcher's state", "ui"),
    operation("GET", "/openapi.json", "this description", "ui"),
]


def missing_vendor_files() -> list[str]:
    return [name for name in VENDOR_FILES if not (STATIC_DIR / "vendor" / name).exists()]


def create_app(root: Path, env: dict | None = None, allowed_hosts: list[str] | None = None,
               cancel_grace_s: float = CANCEL_GRACE_S) -> Starlette:
    project = Project(root, env, cancel_grace_s=cancel_grace_s)
    ops, live = ops_api.routes(project)
    catalog = catalog_api.CatalogApi(project.root, project.env)

    async def index(request: Request):
        return FileResponse(STATIC_DIR / "index.html")

    async def health(request: Request):
        missing = missing_vendor_files()
        return JSONResponse({"root": str(project.root), "missing": missing,
                             "message": VENDOR_HINT if missing else "", "live": live.info()})

    async def description(request: Request):
        return JSONResponse(openapi.document())

    @asynccontextmanager
    async def lifespan(app):
        restore = _end_streams_on_signals(live)
        try:
            yield
        finally:
            live.stop()
            restore()
        await asyncio.to_thread(project.shutdown)
        await asyncio.to_thread(catalog.close)

    routes = [
        Route("/", index),
        Route("/api/health", health),
        Route("/openapi.json", description),
        *ops,
        *catalog.routes(),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["127.0.0.1", "localhost", "testserver"])]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.project = project
    app.state.live = live
    app.state.catalog = catalog
    return app


def _end_streams_on_signals(live: Live):
    """uvicorn waits for open responses before it stops, and an event stream never ends by itself:
    on SIGINT or SIGTERM end the streams first, then let uvicorn's own handler do its work.
    Returns what puts the previous handlers back. Only the main thread may set handlers (a test
    client runs the app in another thread: nothing to do there)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {}

    def handler(signum, frame):
        live.stop()
        earlier = previous.get(signum)
        if callable(earlier):
            earlier(signum, frame)
        elif earlier == signal.SIG_DFL:  # what it would have done without us
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, handler)

    def restore():
        for signum, earlier in previous.items():
            if signal.getsignal(signum) is handler:
                signal.signal(signum, earlier)
    return restore
