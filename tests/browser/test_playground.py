"""The playground page in a real browser against a real server: set up, train, watch it live, reload
mid-run, pause / step / edit a weight / resume, bad input, the URL as the setup, two languages."""
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import EXPECTED_400

pytestmark = pytest.mark.browser

RUN_URL = re.compile(r"/runs/[0-9a-f-]{36}$")


def trace_points(ui, chart="loss-chart", trace=0):
    return ui.page.evaluate(
        """([id, i]) => { const gd = document.getElementById(id);
             return gd && gd.data && gd.data[i] ? gd.data[i].x.length : 0; }""",
        [chart, trace],
    )


def trace_x(ui, chart="loss-chart", trace=0):
    return ui.page.evaluate(
        "([id, i]) => { const gd = document.getElementById(id); return gd && gd.data && gd.data[i] ? Array.from(gd.data[i].x) : []; }",
        [chart, trace],
    )


def wait_points(ui, more_than, chart="loss-chart", timeout=30_000):
    ui.page.wait_for_function(
        """([id, n]) => { const gd = document.getElementById(id);
             return gd && gd.data && gd.data[0] && gd.data[0].x.length > n; }""",
        arg=[chart, more_than], timeout=timeout,
    )
    return trace_points(ui, chart)


def status(ui):
    return ui.page.get_attribute("#status-badge", "data-status")


def wait_status(ui, *statuses, timeout=30_000):
    ui.page.wait_for_function("s => s.includes(document.getElementById('status-badge').dataset.status)",
                              arg=list(statuses), timeout=timeout)


def epoch(ui):
    return int(ui.page.text_content("#epoch"))


def query(ui):
    return parse_qs(urlparse(ui.page.url).query)


def set_number(ui, selector, value):
    ui.page.fill(selector, str(value))
    ui.page.press(selector, "Tab")  # fires `change`


def test_train_watch_reload_and_finish(ui):
    ui.open("/")
    ui.screenshot("01-setup")
    assert status(ui) == "setup"
    # the setup: XOR, a higher learning rate, enough epochs to still be running after a reload
    ui.page.click('label.dataset-tile[data-dataset="xor"]')
    set_number(ui, "#lr-input", 0.1)
    set_number(ui, "#epochs-input", 1000)
    q = query(ui)
    assert q["dataset"] == ["xor"] and q["lr"] == ["0.1"] and q["epochs"] == ["1000"]
    assert ui.page.text_content("#problem-type") == "Classification"

    started = time.monotonic()
    ui.page.click("#train-btn")
    ui.page.wait_for_url(RUN_URL)
    first = wait_points(ui, 0)
    latency = time.monotonic() - started
    print(f"first loss points {latency:.2f} s after pressing Train")
    assert latency < 5, f"the loss chart got its first points {latency:.1f} s after Train"
    grown = wait_points(ui, first)  # live: the chart keeps receiving points
    assert grown > first
    wait_status(ui, "running")
    ui.page.wait_for_selector("#network .neuron.live[data-node=h1]", state="attached")  # neuron heatmaps
    ui.page.wait_for_function("() => document.getElementById('data-plot').data[0].z.length > 0")  # boundary
    assert trace_points(ui, "gradient-chart") > 0
    assert trace_points(ui, "loss-chart", 2) > 0  # accuracy, for classification
    ui.screenshot("02-training")

    # reload mid-run: the history comes back from the snapshot, then it goes on live
    before = wait_points(ui, grown)
    run_url = ui.page.url
    sockets_before = len(ui.sockets)
    ui.page.reload()
    ui.wait_ready()
    after = wait_points(ui, 0)
    xs = trace_x(ui)
    assert len(ui.sockets) == sockets_before + 1 and ui.sockets[-1][0] == "snapshot"
    assert xs[0] == 0, "the history starts at epoch 0: it came from the snapshot"
    assert after >= before, f"{after} points after the reload, {before} before"
    assert status(ui) == "running", "the run finished before the reload: give it more epochs"
    assert ui.page.is_checked("#dataset-xor") and ui.page.input_value("#lr-input") == "0.1"
    ui.screenshot("03-after-reload")
    wait_points(ui, after)  # and live again

    # a dropped connection: the page reconnects and rebuilds from the new snapshot, drawing nothing twice
    sockets = len(ui.sockets)
    ui.page.evaluate("() => window.neuralPlayground.app.stream.socket.close()")
    deadline = time.monotonic() + 15
    while not (len(ui.sockets) > sockets and ui.sockets[-1]) and time.monotonic() < deadline:
        ui.page.wait_for_timeout(100)
    assert len(ui.sockets) == sockets + 1 and ui.sockets[-1][0] == "snapshot", "no reconnect after a drop"
    wait_points(ui, trace_points(ui))

    wait_status(ui, "succeeded", timeout=240_000)
    # the last points are drawn on the next frame
    ui.page.wait_for_function("() => { const x = document.getElementById('loss-chart').data[0].x; return x[x.length - 1] === 1000; }",
                              timeout=5_000)
    xs = trace_x(ui)
    assert all(a < b for a, b in zip(xs, xs[1:])), "points were drawn twice (seq dedupe) or out of order"
    assert "1000" in ui.page.text_content("#status-text")
    assert ui.page.text_content("#stat-test-acc").endswith("%")
    run_id = run_url.rsplit("/", 1)[1]
    item = ui.page.locator(f'#runs-list a[data-run-id="{run_id}"] .badge')
    item.wait_for()
    ui.page.wait_for_function(
        "id => document.querySelector(`#runs-list a[data-run-id=\"${id}\"] .badge`).dataset.status === 'succeeded'",
        arg=run_id)
    ui.screenshot("04-finished")

    # a finished run stays viewable at its URL
    ui.page.goto(run_url)
    ui.wait_ready()
    wait_status(ui, "succeeded")
    assert wait_points(ui, 0) == len(xs)

    # Reset: back to the editable setup, the setup in the URL
    ui.page.click("#reset-btn")
    assert urlparse(ui.page.url).path == "/"
    assert query(ui)["dataset"] == ["xor"]
    assert status(ui) == "setup"
    assert trace_points(ui) == 0
    assert not ui.page.is_disabled("#train-btn")
    assert ui.errors() == []


def test_pause_step_edit_weight_resume_stop(ui):
    ui.open("/?dataset=circle&layers=4&epochs=3000&lr=0.03&batch=10")
    ui.page.click("#train-btn")
    ui.page.wait_for_url(RUN_URL)
    wait_points(ui, 2)
    wait_status(ui, "running")

    ui.page.click("#pause-btn")
    wait_status(ui, "paused")
    assert ui.page.text_content("#pause-btn .label") == "Resume"
    time.sleep(0.5)  # an epoch already under way may still report
    paused_at = epoch(ui)
    time.sleep(1.0)
    assert epoch(ui) == paused_at, "training went on while paused"

    ui.page.click("#step-btn")
    ui.page.wait_for_function("e => Number(document.getElementById('epoch').textContent) === e", arg=paused_at + 1)
    time.sleep(0.5)
    assert epoch(ui) == paused_at + 1 and status(ui) == "paused", "Step trains exactly one epoch"

    # edit a weight by hand: click the link x1 → layer 1, neuron 1
    ui.page.wait_for_selector('[data-testid="link-h1-0-0"][data-weight]', state="attached")
    link = ui.page.locator('[data-testid="link-h1-0-0"]').bounding_box()  # a straight line: zero height
    ui.page.mouse.move(link["x"] + link["width"] / 2, link["y"] + link["height"] / 2)
    ui.page.wait_for_selector(".net-tooltip:not([hidden])")  # hovering shows the weight
    assert "Weight" in ui.page.text_content(".net-tooltip")
    ui.page.mouse.click(link["x"] + link["width"] / 2, link["y"] + link["height"] / 2)
    editor = ui.page.locator("#weight-editor-input")
    editor.wait_for()
    ui.screenshot("05-paused-editing-weight")
    editor.fill("2.5")
    editor.press("Enter")
    ui.page.wait_for_function(
        "() => Math.abs(Number(document.querySelector('[data-testid=\"link-h1-0-0\"]').dataset.weight) - 2.5) < 1e-3")
    assert {"action": "set_weight", "node": "h1", "row": 0, "col": 0, "value": 2.5} in ui.sent

    # a live setting: sent over the websocket, answered with `settings`
    ui.received_types.clear()
    set_number(ui, "#lr-input", 0.3)
    ui.page.wait_for_function("() => document.querySelector('#lr-input').closest('.field').classList.contains('applied')")
    assert {"action": "set", "learning_rate": 0.3} in ui.sent
    assert "settings" in ui.received_types

    ui.page.click("#pause-btn")  # Resume
    wait_status(ui, "running")
    ui.page.wait_for_function("e => Number(document.getElementById('epoch').textContent) > e + 2", arg=paused_at)
    ui.screenshot("06-resumed")

    ui.page.click("#stop-btn")
    wait_status(ui, "cancelled")
    assert ui.page.is_disabled("#pause-btn") and ui.page.is_disabled("#stop-btn")
    assert not ui.page.is_disabled("#train-btn")
    assert ui.errors() == []


def test_bad_input_is_shown_next_to_the_controls(ui):
    ui.open("/")
    set_number(ui, "#lr-input", 50)
    ui.page.click("#train-btn")
    errors = ui.page.locator("#errors")
    errors.wait_for()
    text = errors.text_content()
    assert "learning_rate" in text and "50" in text
    assert ui.page.get_attribute("#lr-input", "aria-invalid") == "true"
    assert urlparse(ui.page.url).path == "/"
    ui.screenshot("07-bad-input")
    # fixing it clears the message
    set_number(ui, "#lr-input", 0.03)
    assert errors.is_hidden()
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_the_url_holds_the_setup(ui):
    ui.open("/?dataset=spiral&features=x1,x2,sin_x1&layers=3,5&activation=relu&lr=0.01&batch=20"
            "&epochs=50&reg=l2&regRate=0.003&seed=7&test=1")
    assert ui.page.is_checked("#dataset-spiral")
    assert ui.page.input_value("#activation-select") == "relu"
    assert ui.page.input_value("#lr-input") == "0.01"
    assert ui.page.input_value("#reg-select") == "l2"
    assert ui.page.input_value("#reg-rate-input") == "0.003"
    assert ui.page.is_checked("#show-test")
    assert ui.page.get_attribute("#feature-sin_x1", "aria-pressed") == "true"
    assert ui.page.get_attribute("#feature-x1_sq", "aria-pressed") == "false"
    assert ui.page.locator("#network .neuron[data-node=h2]").count() == 5

    ui.page.click("#add-layer-btn")
    ui.page.click("#layer-1-add")
    ui.page.click("#feature-x1_sq")
    q = query(ui)
    assert q["layers"] == ["4,5,5"]
    assert q["features"] == ["x1,x2,x1_sq,sin_x1"]

    # clicking the data plot adds a point (Shift: the other class), kept in the URL
    ui.page.wait_for_function("() => document.getElementById('data-plot').data[1].x.length > 0")
    box = ui.page.locator("#data-plot .nsewdrag").bounding_box()
    ui.page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)  # (3, 3)
    ui.page.keyboard.down("Shift")
    ui.page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)  # (-3, -3)
    ui.page.keyboard.up("Shift")
    points = query(ui)["points"][0].split("_")
    assert len(points) == 2
    (x1, y1, l1), (x2, y2, l2) = [tuple(map(float, p.split(","))) for p in points]
    assert abs(x1 - 3) < 0.3 and abs(y1 - 3) < 0.3 and abs(x2 + 3) < 0.3 and abs(y2 + 3) < 0.3
    assert {l1, l2} == {0.0, 1.0}
    ui.screenshot("08-setup-from-url")

    # the link reproduces it
    link = ui.page.url
    ui.open(urlparse(link).path + "?" + urlparse(link).query)
    ui.page.wait_for_function("() => { const gd = document.getElementById('data-plot'); return gd.data && gd.data[3].x.length === 2; }")
    assert ui.page.locator("#network .neuron[data-node=h1]").count() == 4
    assert ui.page.get_attribute("#feature-x1_sq", "aria-pressed") == "true"
    # the graph editor opens on the same network (it reads the same query)
    editor = urlparse(ui.page.get_attribute("#open-editor", "href"))
    assert editor.path == "/editor" and editor.query == urlparse(link).query
    assert ui.errors() == []


def test_switching_to_chinese_changes_the_labels(ui):
    ui.open("/")
    assert ui.page.text_content("#train-btn").strip() == "Train"
    ui.page.click("#lang-zh")
    ui.page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    assert ui.page.text_content("#train-btn").strip() == "训练"
    assert ui.page.text_content("#data-heading") == "数据"
    assert ui.page.text_content("#status-badge") == "设置"
    assert ui.page.text_content("#problem-type") == "分类"
    assert "训练" in ui.page.get_attribute("#train-btn", "title")
    ui.screenshot("09-chinese")
    ui.page.reload()  # remembered
    ui.wait_ready()
    assert ui.page.text_content("#train-btn").strip() == "训练"
    ui.page.click("#lang-en")
    ui.page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert ui.page.text_content("#data-heading") == "Data"
    assert ui.errors() == []


def test_chinese_browser_gets_chinese_by_default(browser, playground_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(playground_server + "/")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        assert page.text_content("#data-heading") == "数据"
    finally:
        context.close()
