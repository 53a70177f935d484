"""The UI end to end: `doit ui` in the toy project and in the real one (4 shards of the bundled
snapshot), driven in Debian's headless chromium by Playwright.

Needs /usr/bin/chromium (`.ci/run` installs it with apt). Without it the test skips with one line,
except under CI (the CI variable set), where it fails: a green CI must have run it. Screenshots go
to build/test-artifacts/ (the pictures in docs/ are copies of some of them).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.assets import REGISTRY

ASSETS = len(REGISTRY.assets)

from tests.conftest import REPO
from tests.test_history import wait_for

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "build" / "test-artifacts"
GREEN, GREY, ORANGE = "rgb(46,125,50)", "rgb(158,158,158)", "rgb(239,108,0)"
YELLOW, RED = "rgb(249,168,37)", "rgb(198,40,40)"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("no /usr/bin/chromium (apt-get install chromium); required when CI is set", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(project):
    """`doit ui` serving `project` on a free port; stopped (and checked stopped) at the end."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=project.root,
                               env=project.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

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
def ui(toy_project):
    with serve(toy_project) as url:
        yield url


@pytest.fixture
def browser():
    assert CHROMIUM.exists(), "CI is set but /usr/bin/chromium is missing: .ci/run installs it with apt"
    from pipeline.ui.server import VENDOR_HINT, missing_vendor_files
    assert not missing_vendor_files(), VENDOR_HINT
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return browser.new_page(viewport={"width": 1280, "height": 900})


def node_color(page, name):
    """A node's state color: its frame (it is filled with a tint of the same color)."""
    return page.evaluate(f"window.cy.getElementById({name!r}).style('border-color')").replace(" ", "")


def api_requests(page):
    """The page's requests to the JSON API from now on (the event stream itself left out)."""
    seen = []
    page.on("request", lambda request: seen.append(request.url) if "/api/" in request.url
            and "/api/events" not in request.url else None)
    return seen


def test_assets_graph_materialize_plus_and_run_logs(toy_project, ui, page):
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
    page.screenshot(path=str(ARTIFACTS / "ui-assets-toy.png"), full_page=True)

    page.click('tr[data-asset="total"] a')
    page.wait_for_selector("#materialize-plus")
    assert "Sum of the doubled numbers" in page.inner_text("#asset")
    page.click("#materialize-plus")
    page.wait_for_selector("#run-link")
    page.wait_for_selector('#asset h2 .state[data-state="fresh"]', timeout=90_000)  # turns green, pushed
    page.wait_for_selector('#checks tr[data-check="total_positive"] .state[data-state="pass"]')  # its check, with the figure
    assert "12" in page.inner_text('#checks tr[data-check="total_positive"]')
    page.wait_for_function("window.plots.duration && window.plots.duration.data[0].length === 1")  # its first point

    page.click("#run-link")
    page.wait_for_selector('#run h2 .state[data-state="success"]', timeout=90_000)
    assert page.locator("#run-assets tr[data-asset-row]").count() == 3  # one row per asset
    assert page.locator('tr[data-asset-row="total"] .state').first.inner_text() == "success"
    assert page.locator('tr[data-asset-row="doubled"] .state').first.inner_text() == "success"
    assert page.locator('tr[data-asset-row="numbers"] .state').first.inner_text() == "up-to-date"  # fresh upstream kept
    assert "checks: 1 passed" in page.inner_text('tr[data-asset-row="total"]')
    page.click('tr[data-asset-row="doubled"] button.expand')
    page.click('tr[data-task="doubled"] button.logs-toggle')
    page.wait_for_function("(document.querySelector('tr[data-logs=\"doubled\"] pre.logs') || {}).textContent"
                           "?.includes('metadata')")
    logs = page.inner_text('tr[data-logs="doubled"] pre.logs')
    assert logs.startswith('metadata: {') and '"rows": 3' in logs and "-- stdout" in logs  # as `doit logs` prints it
    assert "doubled 3 numbers" in logs  # what the task printed
    page.screenshot(path=str(ARTIFACTS / "ui-run-toy.png"), full_page=True)

    page.click('header a[data-tab="assets"]')
    page.wait_for_function("window.cy && window.cy.nodes().length === 3")
    wait_for(lambda: node_color(page, "total") == GREEN, 10)
    assert [node_color(page, n) for n in ("numbers", "doubled", "total")] == [GREEN] * 3

    # nothing polls: an idle page asks the server nothing; a change is pushed over the event stream
    assert page.evaluate("window.sse.connected") is True
    asked = api_requests(page)
    pushed = page.evaluate("window.sse.events.assets")
    time.sleep(3)
    assert asked == []
    toy_project.path("input.txt").write_text("7 8\n")  # everything downstream of the input is stale
    assert wait_for(lambda: node_color(page, "total") == ORANGE, 15)
    assert "stale" in page.evaluate("window.cy.getElementById('total').data('label')")
    page.wait_for_selector('tr[data-asset="total"] .state[data-state="stale"]')
    assert page.locator('tr[data-asset="total"] .state').first.inner_text() == "stale*"
    assert page.evaluate("window.sse.events.assets") > pushed and asked == []


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
    page.wait_for_selector('tr[data-asset-row="doubled"] .state[data-state="running"]')
    assert page.locator('tr[data-asset-row="numbers"] .state').first.inner_text() == "success"
    page.click("#cancel")
    page.wait_for_selector('#run h2 .state[data-state="interrupted"]', timeout=60_000)
    # the banner follows by itself: no "running" left once the run has ended, without leaving the page
    page.wait_for_function("document.getElementById('active').textContent === ''", timeout=15_000)
    assert page.locator('tr[data-asset-row="doubled"] .state').first.inner_text() == "interrupted"
    assert page.locator("#cancel").count() == 0

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


def graph_in_view(page):
    """Whether every node is inside the graph's box, and its labels' size on screen in pixels."""
    return page.evaluate("""(() => {
        const cy = window.cy, w = cy.width(), h = cy.height();
        const inside = cy.nodes().every(n => { const b = n.renderedBoundingBox();
            return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h; });
        return [inside, parseFloat(cy.nodes()[0].style('font-size')) * cy.zoom()];
    })()""")


def hover(page, name):
    x, y = page.evaluate(f"""(() => {{ const p = window.cy.getElementById({name!r}).renderedPosition();
        const r = document.getElementById('graph').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }})()""")
    page.mouse.move(x - 3, y, steps=2)
    page.mouse.move(x, y, steps=2)


def local_day(page, days):
    """A local date as the date inputs take it (yyyy-mm-dd), `days` from today in the browser's time zone."""
    return page.evaluate(f"""(() => {{ const d = new Date(); d.setDate(d.getDate() + {days});
        return `${{d.getFullYear()}}-${{String(d.getMonth() + 1).padStart(2, '0')}}-${{String(d.getDate()).padStart(2, '0')}}`; }})()""")


def test_real_pipeline_at_1000_px(hf_project, browser):
    """The real asset graph (every asset of the registry, 4 shards each per-model asset), a full build and
    an `-s` run."""
    assert hf_project.doit().returncode == 0
    hf_project.path("data/enriched/licenses.parquet").unlink()
    assert hf_project.doit("-s", "licenses").returncode == 0  # one asset, and only that asset in the run
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    with serve(hf_project) as ui:
        page.goto(ui + "/#/assets")
        page.wait_for_function(f"window.cy && window.cy.nodes().length === {ASSETS}")

        # readable at 1,000 px: the whole graph in view, labels at least 10 px on screen
        inside, font_px = graph_in_view(page)
        assert inside and font_px >= 10, (inside, font_px)
        fitted = page.evaluate("window.cy.zoom()")
        page.click("#zoom-in")
        assert page.evaluate("window.cy.zoom()") == pytest.approx(fitted * 1.25)
        box = page.locator("#graph").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -400)  # the wheel zooms too
        assert wait_for(lambda: page.evaluate("window.cy.zoom()") > fitted * 1.3, 5)
        assert graph_in_view(page)[0] is False  # zoomed in: part of the graph is out of view
        page.click("#fit")
        assert page.evaluate("window.cy.zoom()") == pytest.approx(fitted) and graph_in_view(page)[0]

        # shards as a bar on the node; hovering shows the asset's quick facts
        assert page.evaluate("window.cy.getElementById('hf_models_normalized').data('fresh')") == 1
        assert "4/4 fresh" in page.evaluate("window.cy.getElementById('hf_models_normalized').data('label')")
        hover(page, "hf_models_normalized")
        page.wait_for_selector("#graph-tip:not([hidden])")
        tip = page.inner_text("#graph-tip")
        assert "hf_models_normalized" in tip and "fresh" in tip and "331 models" in tip and "0 quarantined" in tip
        assert "passed" in page.inner_text('#graph-tip [data-fact="checks"]')
        last_run = page.inner_text('#graph-tip [data-fact="last-run"]')
        assert ": success" in last_run

        hf_project.path("data/normalized/hf/models-002.parquet").unlink()  # one shard's output gone: pushed
        assert wait_for(lambda: page.evaluate("window.cy.getElementById('hf_models_normalized').data('fresh')") == 0.75, 30)
        assert "3/4 fresh" in page.evaluate("window.cy.getElementById('hf_models_normalized').data('label')")
        assert node_color(page, "hf_models_normalized") == ORANGE
        assert page.evaluate("window.cy.getElementById('hf_models_jsonld').data('fresh')") == 0.75  # its shard 002 too
        page.mouse.move(1, 1)
        page.wait_for_selector("#graph-tip", state="hidden")
        page.screenshot(path=str(ARTIFACTS / "ui-assets.png"), full_page=True)
        hover(page, "hf_models_normalized")
        page.wait_for_selector("#graph-tip:not([hidden])")
        assert "3 fresh, 1 stale of 4" in page.inner_text("#graph-tip")
        page.locator(".graph-wrap").screenshot(path=str(ARTIFACTS / "ui-graph-hover.png"))

        # the asset list by materialization date
        today, tomorrow, yesterday = local_day(page, 0), local_day(page, 1), local_day(page, -1)
        rows = "#assets tbody tr[data-asset]"
        assert page.locator(rows).count() == ASSETS
        page.fill("#from", tomorrow)
        assert page.locator(rows).count() == 0 and "no asset matches" in page.inner_text("#assets tbody")
        page.fill("#from", today)
        assert page.locator(rows).count() == ASSETS
        page.fill("#to", yesterday)
        assert page.locator(rows).count() == 0
        page.fill("#to", today)
        page.fill("#q", "hf_load")
        assert page.locator(rows).count() == 2 and page.inner_text("#shown") == f"2 of {ASSETS} assets"

        # the run that built everything: one row per asset, the shards and the checks folded in
        page.goto(ui + "/#/runs")
        page.wait_for_selector("#runs tbody tr[data-run]")
        assert page.locator("#runs tbody tr[data-run]").count() == 2
        assert "1 materialized (1 task)" in page.inner_text("#runs tbody tr[data-run] >> nth=0")
        assert f"{ASSETS} materialized" in page.inner_text("#runs tbody tr[data-run] >> nth=1")
        page.click("#runs tbody tr[data-run] >> nth=1 >> a")
        page.wait_for_selector('#run h2 .state[data-state="success"]')
        assert page.locator("#run-assets tr[data-asset-row]").count() == ASSETS
        normalized = page.locator('tr[data-asset-row="hf_models_normalized"]')
        assert "4 success" in normalized.inner_text() and "4 shards" in normalized.inner_text()
        assert "passed" in normalized.locator("[data-checks]").inner_text()  # its checks task's results
        assert "331 models" in normalized.inner_text()
        normalized.locator("button.expand").click()
        page.wait_for_selector('tr[data-task="hf_models_normalized:checks"]')
        assert page.locator('tr[data-expansion="hf_models_normalized"] tr[data-task]').count() == 5  # 4 shards + checks
        assert page.locator('tr[data-expansion="hf_models_normalized"] table.checks tr[data-check]').count() >= 5
        page.click('tr[data-task="hf_models_normalized:001"] button.logs-toggle')
        page.wait_for_function("(document.querySelector('tr[data-logs=\"hf_models_normalized:001\"] pre.logs') || {})"
                               ".textContent?.includes('metadata')")
        page.select_option('tr[data-expansion="hf_models_normalized"] select.shard-filter', "failed")
        page.wait_for_function("document.querySelectorAll('tr[data-expansion=\"hf_models_normalized\"] tr[data-task]')"
                               ".length === 1")  # no shard failed: only the checks task is left
        page.select_option('tr[data-expansion="hf_models_normalized"] select.shard-filter', "all")
        page.wait_for_selector('tr[data-task="hf_models_normalized:003"]')
        page.screenshot(path=str(ARTIFACTS / "ui-run.png"), full_page=False)

        page.goto(ui + "/#/runs")
        page.click("#runs tbody tr[data-run] >> nth=0 >> a")  # `doit -s licenses`: one row, its one asset
        page.wait_for_selector("#run-assets tr[data-asset-row]")
        assert page.locator("#run-assets tr[data-asset-row]").count() == 1
        assert "1 materialized" in page.inner_text("#run-summary") and "skipped" not in page.inner_text("#run-summary")

        # a second materialization: the plots get their second point, the shards carried forward
        assert hf_project.doit().returncode == 0
        page.goto(ui + "/#/assets/hf_models_normalized")
        page.wait_for_selector("#asset h2 .state")  # right from the first answer, not after the next push
        assert page.get_attribute("#asset h2 .state", "data-state") == "fresh"
        page.wait_for_function("window.plots.records && window.plots.records.data[0].length === 2", timeout=30_000)
        assert page.evaluate("window.plots.records.data[1]") == [331, 331]  # the whole asset, not the rebuilt shard
        assert page.evaluate("window.plots.quarantined.data[1]") == [0, 0]
        durations = page.evaluate("window.plots.duration.data[1]")
        assert len(durations) == 2 and all(d > 0 for d in durations)
        assert page.locator("#plots .uplot").count() == 3
        assert "models" in page.inner_text("#plot-metric")
        page.locator("#plots-section").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "ui-asset-plots.png"), full_page=True)


def click_node(page, graph, node_id):
    """A real click on a node of a cytoscape graph held in window[graph]."""
    x, y = page.evaluate(f"""(() => {{ const cy = window[{graph!r}], p = cy.getElementById({node_id!r}).renderedPosition();
        const r = cy.container().getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }})()""")
    page.mouse.click(x, y)


def test_catalog_search_a_model_page_and_a_base_in_its_lineage(hf_project, browser):
    """The Catalog tab on a real build: search "llama", open a model with a base, click the base in its
    lineage graph; a dataset page from the model page."""
    assert hf_project.doit().returncode == 0
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with serve(hf_project) as ui:
        held = []  # the whole catalog's first page, asked for on opening the tab, answers last
        def browse(url):
            return url.endswith("/api/catalog/search?")
        page.route(browse, lambda route: held.append(route))
        page.goto(ui + "/#/catalog")
        assert wait_for(lambda: held or page.wait_for_timeout(20), timeout=30)
        page.fill("#cq", "llama")
        page.press("#cq", "Enter")
        page.wait_for_selector("#hits[data-q='llama'] li[data-hit]")
        hits = page.eval_on_selector_all("#hits li[data-hit]", "items => items.map(i => i.dataset.hit)")
        with page.expect_response(lambda r: browse(r.url)) as late:
            held[0].continue_()
        late.value.finished()
        page.unroute(browse)  # after the release: an unroute lets held requests go on by itself
        page.evaluate("new Promise(r => setTimeout(r, 200))")  # time to draw it, were it drawn
        assert page.eval_on_selector_all("#hits li[data-hit]", "items => items.map(i => i.dataset.hit)") == hits
        assert len(hits) == 20 and all("llama" in page.inner_text(f'li[data-hit="{h}"]').lower() for h in hits[:5])
        found = page.inner_text("#found")
        assert found.startswith("1–20 of ")
        total = int(found.split(" of ")[1].split()[0].replace(",", ""))
        page.click("#next")  # the second page goes on where the first ended
        page.wait_for_selector("#hits[start='21'] li[data-hit]")
        assert not set(hits) & set(page.eval_on_selector_all("#hits li[data-hit]", "i => i.map(x => x.dataset.hit)"))
        page.click('.facet[data-facet="relation"] a[data-facet-value="quantized"]')  # a facet narrows the search
        page.wait_for_selector('button.chip[data-unfilter="relation"]')
        narrowed = int(page.inner_text("#found").split(" of ")[1].split()[0].replace(",", ""))
        assert 0 < narrowed < total and "llama" in page.input_value("#cq")
        page.screenshot(path=str(ARTIFACTS / "ui-catalog.png"), full_page=False)

        model = page.eval_on_selector_all("#hits li[data-hit]", "i => i.map(x => x.dataset.hit)")[0]
        page.click(f'li[data-hit="{model}"] > a')
        page.wait_for_selector(f'#model h2[data-id="{model}"]')
        assert "quantized" in page.inner_text("#model")  # its relation to its base
        assert page.locator("#licenses tr[data-license]").count() >= 1
        assert page.locator("#sources tr[data-source]").count() >= 3
        page.wait_for_selector("#versions tbody tr")  # its history
        page.wait_for_function("window.lineage && window.lineage.nodes().length >= 2")
        bases = page.evaluate("window.lineage.nodes().filter(n => n.position('y') < 0).map(n => n.id())")
        assert bases, "the lineage graph draws the base above the model"
        page.screenshot(path=str(ARTIFACTS / "ui-model.png"), full_page=True)
        jsonld = page.get_attribute("#raw-jsonld", "href")  # the raw JSON-LD one click away
        assert page.request.get(ui + jsonld).json()["@type"] == "MLModel"

        click_node(page, "lineage", bases[0])
        page.wait_for_selector(f'#model h2[data-id="{bases[0]}"]')
        page.wait_for_function(f"window.lineage && window.lineage.getElementById({model!r}).nonempty()")  # derived from it

        page.goto(ui + "/#/catalog/models/google-bert/bert-base-uncased")
        page.wait_for_selector("#datasets li[data-dataset] a")
        dataset = page.get_attribute("#datasets li[data-dataset]", "data-dataset")
        page.click("#datasets li[data-dataset] a")
        page.wait_for_selector(f'#entity h2[data-id="{dataset}"]')
        assert page.locator('.used-by[data-rel="TRAINED_ON"] a[data-model="google-bert/bert-base-uncased"]').count() == 1
