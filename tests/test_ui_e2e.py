"""The web UI end to end: `doit ui` in the toy project, driven in Debian's headless chromium by Playwright.

Needs /usr/bin/chromium (`.ci/run` installs it with apt). Without it the test skips with one line,
except under CI (the CI variable set), where it fails: a green CI must have run it. Screenshots go
to build/test-artifacts/.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_history import wait_for

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "build" / "test-artifacts"
GREEN, GREY, ORANGE = "rgb(46,125,50)", "rgb(158,158,158)", "rgb(239,108,0)"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("no /usr/bin/chromium (apt-get install chromium); required when CI is set", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def ui(toy_project):
    """`doit ui` serving the toy project on a free port; stopped (and checked stopped) at the end."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=toy_project.root,
                               env=toy_project.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def up():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                return True
        except OSError:
            return process.poll() is not None

    try:
        assert wait_for(up, 60) and process.poll() is None, process.stderr.read()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture
def page():
    assert CHROMIUM.exists(), "CI is set but /usr/bin/chromium is missing: .ci/run installs it with apt"
    from pipeline.ui.server import VENDOR_HINT, missing_vendor_files
    assert not missing_vendor_files(), VENDOR_HINT
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def node_color(page, name):
    return page.evaluate(f"window.cy.getElementById({name!r}).style('background-color')").replace(" ", "")


def test_assets_graph_materialize_plus_and_run_logs(toy_project, ui, page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert toy_project.doit("-s", "numbers").returncode == 0  # one built asset, two never built

    page.goto(ui + "/#/assets")
    page.wait_for_function("window.cy && window.cy.nodes().length === 3")
    assert node_color(page, "numbers") == GREEN
    assert node_color(page, "doubled") == GREY and node_color(page, "total") == GREY
    assert page.evaluate("window.cy.edges().length") == 2
    xs = [page.evaluate(f"window.cy.getElementById({n!r}).position('x')") for n in ("numbers", "doubled", "total")]
    assert xs == sorted(xs) and len(set(xs)) == 3  # laid out left to right along the arrows
    assert page.locator('tr[data-asset="numbers"] .state').inner_text() == "fresh"
    assert page.locator('tr[data-asset="total"] .state').inner_text() == "never"
    page.fill("#q", "tot")
    assert page.locator("#assets tbody tr").count() == 1
    page.fill("#q", "")
    page.select_option("#fstate", "never")
    assert page.locator("#assets tbody tr").count() == 2
    page.select_option("#fstate", "")
    page.screenshot(path=str(ARTIFACTS / "ui-assets.png"), full_page=True)

    page.click('tr[data-asset="total"] a')
    page.wait_for_selector("#materialize-plus")
    assert "Sum of the doubled numbers" in page.inner_text("#asset")
    page.click("#materialize-plus")
    page.wait_for_selector("#run-link")
    page.wait_for_selector('#asset h2 .state[data-state="fresh"]', timeout=90_000)  # turns green
    page.wait_for_selector('#checks tr[data-check="total_positive"] .state[data-state="pass"]')  # its check, with the figure
    assert "12" in page.inner_text('#checks tr[data-check="total_positive"]')

    page.click("#run-link")
    page.wait_for_selector('#run h2 .state[data-state="success"]', timeout=90_000)
    assert page.locator('tr[data-task="total"] .state').inner_text() == "success"
    assert page.locator('tr[data-task="doubled"] .state').inner_text() == "success"
    assert page.locator('tr[data-task="numbers"] .state').inner_text() == "up-to-date"  # fresh upstream kept
    page.click('tr[data-task="doubled"] summary')
    page.wait_for_selector('tr[data-task="doubled"] details[open]')
    logs = page.inner_text('tr[data-task="doubled"] pre.logs')
    assert '"rows":3' in logs.replace(" ", "") and "-- stdout" in logs and "doubled 3 numbers" in logs
    page.screenshot(path=str(ARTIFACTS / "ui-run.png"), full_page=True)

    page.click('header a[data-tab="assets"]')
    page.wait_for_function("window.cy && window.cy.nodes().length === 3")
    wait_for(lambda: node_color(page, "total") == GREEN, 10)
    assert [node_color(page, n) for n in ("numbers", "doubled", "total")] == [GREEN] * 3

    toy_project.path("input.txt").write_text("7 8\n")  # everything downstream of the input is stale
    assert wait_for(lambda: node_color(page, "total") == ORANGE, 15)
    assert "stale" in page.evaluate("window.cy.getElementById('total').data('label')")
    assert page.locator('tr[data-asset="total"] .state').inner_text() == "stale*"


YELLOW, RED = "rgb(249,168,37)", "rgb(198,40,40)"


def test_running_run_is_live_and_cancellable_jobs_and_schedules(toy_project, ui, page):
    pyproject = toy_project.path("pyproject.toml")
    pyproject.write_text(pyproject.read_text().replace('job = "hf_etl_job"', 'job = "toy_job"'))
    toy_project.path("SLOW_doubled").write_text("60")

    page.goto(ui + "/#/jobs")
    page.click('tr[data-job="toy_job"] button[data-run]')
    page.wait_for_selector("#run-link")
    page.click('header a[data-tab="assets"]')
    page.wait_for_function("window.cy && window.cy.nodes().length === 3")
    assert wait_for(lambda: node_color(page, "doubled") == YELLOW, 30)  # running, live
    assert "running: doit toy_job" in page.inner_text("#active")

    page.click("#active a")  # the run in progress
    page.wait_for_selector('tr[data-task="doubled"] .state[data-state="running"]')
    assert page.locator('tr[data-task="numbers"] .state').inner_text() == "success"
    page.click("#cancel")
    page.wait_for_selector('#run h2 .state[data-state="interrupted"]', timeout=60_000)
    assert page.locator('tr[data-task="doubled"] .state').inner_text() == "interrupted"

    page.click('header a[data-tab="runs"]')
    page.wait_for_selector("#runs tbody tr[data-run]")
    assert page.locator("#runs tbody tr .state").first.inner_text() == "interrupted"
    page.click('header a[data-tab="assets"]')
    page.wait_for_function("window.cy && window.cy.nodes().length === 3")
    assert wait_for(lambda: node_color(page, "doubled") == RED, 10)

    page.click('header a[data-tab="schedules"]')
    page.wait_for_selector('tr[data-schedule="nightly_hf_etl"]')
    assert "0 2 * * *" in page.inner_text('tr[data-schedule="nightly_hf_etl"]')
    page.uncheck('input[data-toggle="nightly_hf_etl"]')
    page.wait_for_selector('tr[data-schedule="nightly_hf_etl"] >> text=off')
    assert "disabled" in toy_project.doit("schedule", "--list").stdout
    toy_project.path("SLOW_doubled").unlink()
