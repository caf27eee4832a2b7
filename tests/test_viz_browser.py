"""Views in real headless Chromium with every outside host unreachable.

Each view must draw, hold the expected nodes and edges, fetch nothing from any other
host (Chromium's own network log is read), log no error, and run no script when the
pointer hovers over labels that are markup. Skipped only when Chromium is absent.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from govgraph.graph import views
from govgraph.viz import write_view
from govgraph.viz.html import build_network
from govgraph.viz.render import SCREEN_LIMIT
from support import BASE
from test_viz_synthetic import HOSTILE, hostile, store_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")

HWB = f"{BASE}body/health-and-wellbeing-board"
FORUM = f"{BASE}body/coventry-and-warwickshire-place-forum"
A11 = f"{BASE}doc/000_bffd6dc40caf8094/action/1-1"
LOCAL = ("file://", "data:", "blob:", "about:", "http://127.0.0.1:")


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="gg-chromium-")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1400,900",
                 # Every host but loopback fails to resolve: nothing outside can answer.
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _drain(driver) -> None:
    driver.get("about:blank")
    driver.get_log("performance")
    driver.get_log("browser")


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def _wait_ready(driver, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("return !!(window.govgraphView && window.govgraphView.ready)"):
            return
        time.sleep(0.1)
    raise AssertionError(f"the view did not draw in {timeout}s; console: {driver.get_log('browser')}")


def open_view(driver, path: Path) -> dict:
    """Load a view file, wait for it to draw; return its nodes, edges and network log."""
    _drain(driver)
    driver.get(path.as_uri())
    _wait_ready(driver)
    drawn = driver.execute_script(
        "var v = window.govgraphView;"
        "return {nodes: v.view.getIds(), edges: v.edges.get().map(function (e) { return [e.from, e.to, e.gg.rel]; }),"
        " canvas: document.querySelectorAll('#gg-network canvas').length};")
    drawn["requests"] = _requests(driver)
    drawn["errors"] = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    return drawn


def assert_offline_and_clean(drawn: dict) -> None:
    outside = [u for u in drawn["requests"] if not u.startswith(LOCAL)]
    assert not outside, f"the view fetched from other hosts: {outside}"
    assert not drawn["errors"], drawn["errors"]
    assert drawn["canvas"] == 1


@pytest.fixture(scope="module")
def corpus_views(corpus_store, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("views")
    files = {
        "governance": (folder / "governance.html", {}),
        "dependencies": (folder / "dependencies.html", {}),
        "focus-body": (folder / "focus-body.html", {"focus": "Health and Wellbeing Board"}),
        "focus-action": (folder / "focus-action.html", {"focus": A11, "depth": 1}),
    }
    for name, (path, kw) in files.items():
        write_view(corpus_store, name.split("-")[0], path, base=BASE, **kw)
    return {name: path for name, (path, _kw) in files.items()}


def test_governance_draws_offline(browser, corpus_views) -> None:
    drawn = open_view(browser, corpus_views["governance"])
    assert_offline_and_clean(drawn)
    assert HWB in drawn["nodes"] and FORUM in drawn["nodes"]
    assert [FORUM, HWB, "reportsOnPlan"] in drawn["edges"]


def test_dependencies_draw_offline(browser, corpus_views) -> None:
    drawn = open_view(browser, corpus_views["dependencies"])
    assert_offline_and_clean(drawn)
    assert A11 in drawn["nodes"] and HWB in drawn["nodes"]
    assert [A11, HWB, "governedBy"] in drawn["edges"]
    assert any(e[0] == A11 and e[2] == "serves" for e in drawn["edges"])


@pytest.mark.parametrize("name,centre", [("focus-body", HWB), ("focus-action", A11)])
def test_focus_draws_offline(browser, corpus_views, name: str, centre: str) -> None:
    drawn = open_view(browser, corpus_views[name])
    assert_offline_and_clean(drawn)
    assert centre in drawn["nodes"] and len(drawn["nodes"]) > 3


@pytest.mark.parametrize("name,focus", [("dependencies", None), ("focus-body", "Health and Wellbeing Board")])
def test_the_page_hands_vis_what_was_built(browser, corpus_store, corpus_views, name: str, focus: str | None) -> None:
    """The page carries each IRI and passage once (viz/html.py `pack`): what view.js
    restores is what build_network made, colours, labels and evidence alike."""
    open_view(browser, corpus_views[name])
    shown = json.loads(browser.execute_script(
        "var v = window.govgraphView;"
        "function bare(x) { var o = Object.assign({}, x); delete o.title; delete o.id; return o; }"
        "return JSON.stringify({nodes: v.nodes.get().map(function (n) { var o = bare(n); o.id = n.id; return o; }),"
        " edges: v.edges.get().map(bare)});"))
    built = build_network(views.build(corpus_store, name.split("-")[0], focus_on=focus, limit=SCREEN_LIMIT))
    assert shown["nodes"] == json.loads(json.dumps(built.nodes))
    assert shown["edges"] == json.loads(json.dumps(built.edges))
    assert any(n["gg"]["evidence"] for n in shown["nodes"]) and any(e["gg"]["evidence"] for e in shown["edges"])


def test_filters_and_search(browser, corpus_views) -> None:
    open_view(browser, corpus_views["dependencies"])
    before = browser.execute_script("return govgraphView.view.length")
    browser.execute_script(
        "var box = document.querySelector('#gg-statuses input[value=complete]'); box.click();")
    after = browser.execute_script("return govgraphView.view.length")
    assert after < before
    shown = browser.execute_script("return govgraphView.view.get().filter(function (n) { return n.gg.status === 'complete'; }).length")
    assert shown == 0
    found = browser.execute_script("return govgraphView.search('Health and Wellbeing')")
    assert HWB in found
    browser.execute_script("document.getElementById('gg-reset').click()")
    assert browser.execute_script("return govgraphView.view.length") == before


def _hover_every_node(driver) -> list[str]:
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("css selector", "#gg-network canvas")
    tips = []
    ids = driver.execute_script("return govgraphView.view.getIds()")
    for node in ids:
        x, y, w, h = driver.execute_script(
            "var n = govgraphView.network, p = n.getPositions([arguments[0]])[arguments[0]];"
            "var d = n.canvasToDOM(p), c = document.querySelector('#gg-network canvas');"
            "return [d.x, d.y, c.clientWidth, c.clientHeight];", node)
        ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).perform()
        time.sleep(0.35)
        tips.append(driver.execute_script(
            "var t = document.querySelector('div.vis-tooltip');"
            "return t && t.style.visibility !== 'hidden' ? t.textContent : '';"))
        ActionChains(driver).move_to_element_with_offset(canvas, -int(w / 2) + 3, -int(h / 2) + 3).perform()
    return tips


def test_hovering_markup_labels_runs_nothing(browser, tmp_path: Path) -> None:
    store = store_of(hostile(), "hostile")
    path = tmp_path / "hostile.html"
    write_view(store, "governance", path, base=BASE)
    drawn = open_view(browser, path)
    assert_offline_and_clean(drawn)
    tips = _hover_every_node(browser)
    shown = " ".join(tips)
    for label in HOSTILE:
        assert label in shown, f"tooltip should show {label!r} as text"
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return document.querySelectorAll('div.vis-tooltip img, div.vis-tooltip script, #gg-details img').length") == 0
    # Click-through details use the same escaping.
    browser.execute_script("govgraphView.network.emit('click', {nodes: [arguments[0]], edges: []})", f"{BASE}body/hostile-1")
    assert HOSTILE[1] in browser.find_element("id", "gg-details").text
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_embeds_in_an_iframe_served_from_loopback(browser, corpus_views) -> None:
    folder = corpus_views["governance"].parent
    (folder / "paper.html").write_text(
        '<!doctype html><title>Board paper</title><h1>Item 5</h1>'
        '<iframe id="v" src="governance.html" width="1000" height="700"></iframe>', "utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _drain(browser)
        browser.get(f"http://127.0.0.1:{server.server_port}/paper.html")
        browser.switch_to.frame(browser.find_element("id", "v"))
        _wait_ready(browser)
        assert HWB in browser.execute_script("return govgraphView.view.getIds()")
        browser.switch_to.default_content()
        outside = [u for u in _requests(browser) if not u.startswith(LOCAL)]
        assert not outside, outside
    finally:
        server.shutdown()
