"""`doit ui`: serve the web UI, on the loopback address unless told otherwise."""

from __future__ import annotations

import sys

from pipeline.cli.base import PipelineCommand, opt
from pipeline.config import load_settings


class Ui(PipelineCommand):
    name = "ui"
    doc_purpose = "serve the web UI (assets graph, jobs, runs, schedules) on http://127.0.0.1:3000"
    doc_usage = ""
    doc_description = ("Binds the loopback address unless --host says otherwise. The UI has no login: bound to "
                       "another address, anyone who reaches it can start and cancel runs. It answers only requests "
                       "whose Host is this machine's name or one of its addresses (--allowed-hosts adds names, e.g. a "
                       "proxy's; '*' allows any). Runs started from the UI are separate `doit` processes, one at a "
                       "time, recorded in the run history; stopping the UI interrupts the run it started.")
    cmd_options = (opt("host", "127.0.0.1", "address to bind (0.0.0.0: every interface)"),
                   opt("port", 3000, "port to listen on", kind=int, short="p"),
                   opt("allowed_hosts", "", "comma-separated extra names the Host header may carry (e.g. your proxy's); "
                       "'*': any"))

    def execute(self, params, args):
        import uvicorn

        from pipeline.ui.hosts import LOOPBACK_NAMES, is_loopback, machine_names, url_for
        from pipeline.ui.server import VENDOR_HINT, create_app, missing_vendor_files

        root = load_settings().root
        host, port = params["host"], params["port"]
        extra = [name.strip() for name in params["allowed_hosts"].split(",") if name.strip()]
        if missing_vendor_files():
            sys.stderr.write(f"warning: {VENDOR_HINT}\n")
        if is_loopback(host):
            hosts = list(dict.fromkeys(LOOPBACK_NAMES + [host] + extra))
            sys.stderr.write(f"mlentory UI for {root} on {url_for(host, port)}\n")
        else:
            names = machine_names(host)
            hosts = ["*"] if "*" in extra else list(dict.fromkeys(LOOPBACK_NAMES + names + extra))
            where = "every interface" if host in ("0.0.0.0", "::") else "that address"
            also = ", ".join(url_for(name, port) for name in names if name != host)
            sys.stderr.write(f"mlentory UI for {root} on {url_for(host, port)} ({where}"
                             + (f": {also}" if also else "") + ")\n")
            answered = "any Host name" if hosts == ["*"] else "Host names " + ", ".join(hosts)
            sys.stderr.write(f"warning: the UI has no login: anyone who can reach port {port} on {where} can start "
                             f"and cancel runs (it answers {answered}); keep it on 127.0.0.1, or behind a proxy "
                             "that authenticates\n")
        sys.stderr.flush()
        uvicorn.run(create_app(root, allowed_hosts=hosts), host=host, port=port, log_level="warning")
        return 0
