"""What an open UI page costs the `doit ui` server while nothing happens.

Starts `doit ui` in a built project, opens a page (the Assets tab by default) in Debian's headless
chromium, waits for it to settle, then reads the server's CPU time from /proc/<pid>/stat (utime +
stime, plus cutime + cstime: the `doit status` subprocesses it waited for) at the start and the end
of the window, and counts the page's requests to the server in between.

    python benchmarks/ui_idle_cpu.py --project /path/to/built/project --seconds 60
    python benchmarks/ui_idle_cpu.py --project ... --code /path/to/other/checkout   # another version's UI

Linux only (/proc). Prints one line per figure and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(the process's own CPU seconds, its waited-for children's) from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))  # fields 14-17 of proc(5)
    return (utime + stime) / ticks, (cutime + cstime) / ticks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, type=Path, help="a project root that has been built")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the idle window")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds to wait after the page has loaded")
    parser.add_argument("--page", default="#/assets", help="the page to keep open")
    parser.add_argument("--code", type=Path, help="run another checkout's pipeline package (put first on PYTHONPATH)")
    args = parser.parse_args()

    env = dict(os.environ, NO_COLOR="1")
    if args.code:
        env["PYTHONPATH"] = os.pathsep.join([str(args.code.resolve()), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=args.project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"doit ui did not start: {server.stderr.read()}")
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                requests: list[str] = []
                page.on("request", lambda request: requests.append(request.url))
                page.goto(url + "/" + args.page)
                if args.page.rstrip("/") in ("#/assets", "#", ""):
                    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=120_000)
                else:  # another page: it has drawn something
                    page.wait_for_function("document.querySelector('#view h2, #view table')", timeout=120_000)
                page.wait_for_timeout(args.settle * 1000)
                before, began = cpu_seconds(server.pid), time.monotonic()
                seen = len(requests)
                page.wait_for_timeout(args.seconds * 1000)
                after, elapsed = cpu_seconds(server.pid), time.monotonic() - began
                during = requests[seen:]
            finally:
                browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    own, children = after[0] - before[0], after[1] - before[1]
    result = {"seconds": round(elapsed, 1), "server_cpu_s": round(own, 2), "subprocess_cpu_s": round(children, 2),
              "cpu_percent_of_a_core": round(100 * (own + children) / elapsed, 2), "requests": len(during),
              "page": args.page, "project": str(args.project), "code": str(args.code or "installed")}
    print(f"window:               {elapsed:.1f} s with {args.page} open")
    print(f"server CPU:           {own:.2f} s (its own), {children:.2f} s (its doit status subprocesses)")
    print(f"share of one core:    {result['cpu_percent_of_a_core']:.2f} %")
    print(f"requests by the page: {len(during)}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
