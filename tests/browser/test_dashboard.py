"""The run dashboard in Debian's chromium.

Two kinds of test, labelled as such:
- RENDERING tests feed synthetic messages of the documented shapes (tests/dashboard/messages.py)
  through the dashboard's own entry, `handleMessage`: they test the drawing, not the server;
- REAL-RUN tests start runs through POST /api/runs and watch what the worker really streams."""
import json
import time

import pytest

from tests.dashboard.messages import live, snapshot

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
# Off-screen charts wait until they scroll into view (see plot.js); tests that read many charts at once
# use a tall window so that every panel is on screen. test_offscreen_panels_draw_when_scrolled_into_view
# covers the waiting itself.
TALL = {"width": 1280, "height": 3000}


# --- helpers ----------------------------------------------------------------------------------------

def host_page(ui, viewport=TALL):
    """An empty dashboard, fed by hand, on a page that loads Plotly and the dashboard's catalogue."""
    ui.page.set_viewport_size(viewport)
    ui.open("/compare")
    ui.page.evaluate("""async () => {
        const main = document.querySelector('main');
        main.querySelector('.db-compare').hidden = true;  // the compare page's own parts stay, out of sight
        const host = Object.assign(document.createElement('div'), {id: 'host'});
        main.append(host);
        const { mountDashboard } = await import('/static/js/dashboard/index.js');
        window.db = mountDashboard(host, { live: false });
    }""")


def feed(ui, messages):
    ui.page.evaluate("ms => ms.forEach((m) => window.db.handleMessage(m))", messages)


def settle(ui):
    """The longest redraw interval plus two animation frames: whatever was due has been drawn."""
    ui.page.wait_for_timeout(450)
    ui.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def trace_len(ui, testid, trace=0):
    return ui.page.evaluate("""([id, i]) => { const gd = document.querySelector(`[data-testid="${id}"]`);
        return gd && gd.data && gd.data[i] ? gd.data[i].x.length : -1; }""", [testid, trace])


def trace_x(ui, testid, trace=0):
    return ui.page.evaluate("""([id, i]) => { const gd = document.querySelector(`[data-testid="${id}"]`);
        return gd && gd.data && gd.data[i] ? Array.from(gd.data[i].x) : []; }""", [testid, trace])


def shot(ui, name):
    """A full-page screenshot under test-output/screenshots/ for a reviewer."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ui.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def panels(ui):
    return ui.page.eval_on_selector_all("[data-panel]", "els => els.map((e) => e.dataset.panel)")


def post_run(ui, spec):
    """POST /api/runs from the page, as the editor does (CSRF header from the cookie)."""
    body = ui.page.evaluate("""async (spec) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const r = await fetch('/api/runs', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                                            body: JSON.stringify(spec)});
        return {status: r.status, body: await r.json()};
    }""", spec)
    assert body["status"] == 201, body
    return body["body"]["id"]


def wait_final(ui, run_id, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ui.page.evaluate("id => fetch(`/api/runs/${id}`).then((r) => r.json())", run_id)
        if run["status"] in ("succeeded", "failed", "cancelled"):
            return run
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def spec_2d(epochs, lr=0.1, units=4, dataset="xor", batch_size=10):
    return {
        "network": {"nodes": [{"id": "in", "type": "input"}, {"id": "h1", "type": "dense", "params": {"units": units}},
                              {"id": "a1", "type": "activation", "params": {"fn": "tanh"}},
                              {"id": "out", "type": "dense", "params": {"units": 1}}],
                    "edges": [["in", "h1"], ["h1", "a1"], ["a1", "out"]]},
        "dataset": {"name": dataset, "samples": 200, "noise": 0.1, "train_fraction": 0.5, "features": ["x1", "x2"], "seed": 1},
        "training": {"optimizer": "sgd", "learning_rate": lr, "batch_size": batch_size, "epochs": epochs, "seed": 1, "device": "cpu"},
    }


def spec_curve(degree, epochs=300):
    return {
        "network": {"nodes": [{"id": "in", "type": "input"}, {"id": "out", "type": "dense", "params": {"units": 1}}],
                    "edges": [["in", "out"]]},
        "dataset": {"name": "curve_fit", "samples": 10, "noise": 0.3, "degree": degree, "seed": 1},
        "training": {"optimizer": "adam", "learning_rate": 0.05, "batch_size": 10, "epochs": epochs, "seed": 1, "device": "cpu"},
    }


# --- RENDERING tests (synthetic messages) -------------------------------------------------------------

def test_rendering_every_message_kind_gets_its_panel(ui):
    host_page(ui)
    feed(ui, [snapshot(points=300, seq=10)])
    settle(ui)
    assert panels(ui) == ["curves", "gradients"]  # only what the messages call for
    feed(ui, live(seq=11, epoch=301))
    settle(ui)
    assert panels(ui) == ["curves", "gradients", "boundary", "neurons", "conv", "confusion", "recurrent", "attention",
                          "kv_cache", "histograms"]
    # curves: train/test loss and accuracy, hover values, latest numbers
    assert trace_len(ui, "curves-chart") == 301
    assert ui.page.text_content('[data-testid="curves-stats"] [data-stat="test_accuracy"]').endswith("%")
    # gradient flow: a line per layer and a layer × epoch heatmap
    assert ui.page.evaluate("() => document.querySelector('[data-testid=gradient-lines]').data.length") == 2
    heat = ui.page.evaluate("() => { const d = document.querySelector('[data-testid=gradient-heatmap]').data[0]; return [d.y, d.z[0].length]; }")
    assert heat[0] == ["h1", "out"] and 0 < heat[1] <= 300
    # neurons: one button per unit, enlargeable from the keyboard, Escape closes
    assert ui.page.locator("button.db-neuron").count() == 5
    ui.page.locator("button.db-neuron").first.focus()
    ui.page.keyboard.press("Enter")
    assert ui.page.locator('[data-testid="neuron-dialog"]').is_visible()
    ui.page.keyboard.press("Escape")
    assert not ui.page.locator('[data-testid="neuron-dialog"]').is_visible()
    # conv: probe, 4 kernels, 4 maps; the pooling layer has maps but no kernels
    assert ui.page.locator('[data-testid="conv-kernels"] canvas').count() == 4
    assert ui.page.locator('[data-testid="conv-maps"] canvas').count() == 4
    ui.page.select_option('[data-testid="conv-layer"]', "p1")
    settle(ui)
    assert ui.page.locator('[data-testid="conv-maps"] canvas').count() == 4
    assert not ui.page.locator('[data-testid="conv-kernels"]').is_visible()
    # confusion: 10 × 10 with counts, and two mistakes (an image and a token sequence)
    assert ui.page.get_attribute('[data-testid="confusion-chart"]', "data-total") is not None
    assert ui.page.locator('[data-testid="confusion-mistakes"] figure').count() == 2
    # recurrent: hidden state, then the forget gate
    views = ui.page.eval_on_selector_all('[data-testid="recurrent-view"] option', "os => os.map((o) => o.value)")
    assert views == ["hidden", "input", "forget", "output"]
    ui.page.select_option('[data-testid="recurrent-view"]', "forget")
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=recurrent-chart]').data[0].zmin") == 0
    # attention: tokens on both axes, head selector switches the picture
    first = ui.page.evaluate("() => document.querySelector('[data-testid=attention-chart]').data[0].z[0][0]")
    ui.page.select_option('[data-testid="attention-head"]', "1")
    settle(ui)
    second = ui.page.evaluate("() => document.querySelector('[data-testid=attention-chart]').data[0]")
    assert first == pytest.approx(1 / 6) and second["z"][0][0] == 1.0
    assert second["x"][:2] == ["1·a", "2·b"] and second["y"] == second["x"]
    ui.page.select_option('[data-testid="attention-layer"]', "att2")
    settle(ui)
    assert ui.page.eval_on_selector_all('[data-testid="attention-head"] option', "os => os.length") == 1
    # kv cache: one bar per attention block
    assert ui.page.evaluate("() => Array.from(document.querySelector('[data-testid=kv-chart]').data[0].y)") == [512, 128]
    # histograms: a column per message, per layer
    feed(ui, live(seq=30, epoch=302)[3:4])
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=histogram-chart]').data[0].x.length") == 2
    ui.page.select_option('[data-testid="histograms-which"]', "grads")
    ui.page.select_option('[data-testid="histograms-layer"]', "out")  # no gradients yet in this layer: empty, no error
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=histogram-chart]').data.length") == 0
    ui.page.set_viewport_size({"width": 1280, "height": 720})
    shot(ui, "dashboard-rendering-all-panels-1280")
    ui.page.set_viewport_size(TABLET)
    settle(ui)
    shot(ui, "dashboard-rendering-all-panels-tablet")
    overflow = ui.page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the dashboard scrolls sideways on a tablet"
    assert ui.errors() == []


def test_rendering_12000_points_are_downsampled_and_say_so(ui):
    host_page(ui)
    feed(ui, [snapshot(points=12000, seq=10)])
    settle(ui)
    drawn = trace_len(ui, "curves-chart")
    assert 100 < drawn <= 2001
    assert ui.page.get_attribute('[data-panel="curves"]', "data-downsampled") == "true"
    note = ui.page.text_content('[data-panel="curves"] .db-note')
    assert "12000" in note and str(drawn) in note
    x = trace_x(ui, "curves-chart")
    assert x[0] == 1 and x[-1] == 12000 and x == sorted(x)
    # live points keep arriving into a downsampled chart: the newest is always drawn
    feed(ui, live(seq=11, epoch=12001)[:1])
    ui.page.wait_for_function("""() => { const x = document.querySelector('[data-testid=curves-chart]').data[0].x;
        return x[x.length - 1] === 12001; }""", timeout=5_000)  # a downsampled chart redraws once a second
    # log scale and smoothing
    ui.page.check('[data-testid="curves-log"]')
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=curves-chart]').layout.yaxis.type") == "log"
    raw = ui.page.evaluate("() => Array.from(document.querySelector('[data-testid=curves-chart]').data[0].y)")
    ui.page.fill('[data-testid="curves-smoothing"]', "0.95")
    settle(ui)
    smooth = ui.page.evaluate("() => Array.from(document.querySelector('[data-testid=curves-chart]').data[0].y)")
    jitter = lambda ys: sum(abs(a - b) for a, b in zip(ys, ys[1:]))  # noqa: E731
    assert jitter(smooth) < jitter(raw) / 2
    assert ui.errors() == []


def test_rendering_duplicates_after_a_reconnect_are_dropped(ui):
    host_page(ui)
    feed(ui, [snapshot(points=5, seq=10)])
    m11 = live(seq=11, epoch=6)[0]
    feed(ui, [m11, m11, {**m11, "seq": 9}])
    settle(ui)
    assert trace_x(ui, "curves-chart") == [1, 2, 3, 4, 5, 6]
    # a reconnect: the new snapshot covers up to seq 11 and replaces everything; then live again
    feed(ui, [snapshot(points=6, seq=11), m11, live(seq=12, epoch=7)[0]])
    settle(ui)
    assert trace_x(ui, "curves-chart") == [1, 2, 3, 4, 5, 6, 7]
    assert ui.errors() == []


def test_rendering_in_chinese(ui):
    host_page(ui)
    feed(ui, [snapshot(points=50, seq=10), *live(seq=11, epoch=51)])
    ui.page.click('[data-testid="lang-zh"]')
    ui.page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    settle(ui)
    assert ui.page.text_content('[data-panel="curves"] h3') == "损失与准确率"
    assert ui.page.text_content('[data-panel="attention"] h3') == "注意力"
    assert ui.page.evaluate("() => document.querySelector('[data-testid=curves-chart]').layout.xaxis.title.text") == "轮次"
    shot(ui, "dashboard-rendering-zh")
    ui.page.reload()
    ui.wait_ready()
    assert ui.page.evaluate("() => document.documentElement.lang") == "zh-Hans"  # the choice is remembered
    assert ui.errors() == []


# --- REAL-RUN tests ------------------------------------------------------------------------------------

def curve_epochs(ui):
    """Every epoch the curves panel holds (not just the drawn, possibly downsampled, ones)."""
    return ui.page.evaluate("""() => [...window.neuralDashboard.dashboard.panels.values()]
        .find((p) => p.id === 'curves').lines.x""")


def test_real_2d_run_streams_into_the_dashboard_and_survives_a_reconnect(ui):
    ui.page.set_viewport_size(TALL)
    ui.open("/compare")
    run_id = post_run(ui, spec_2d(epochs=2000, batch_size=5))
    ui.open(f"/runs/{run_id}/dashboard")
    ui.page.wait_for_function("() => { const gd = document.querySelector('[data-testid=curves-chart]'); return gd && gd.data && gd.data[0].x.length > 20; }",
                              timeout=60_000)
    for panel in ("curves", "gradients", "boundary", "neurons"):
        ui.page.wait_for_selector(f'[data-panel="{panel}"]', timeout=30_000)
    # drop the socket mid-run, as a flaky network would; the stream reconnects and resyncs from seq
    status = ui.page.evaluate("""() => { const d = window.neuralDashboard.dashboard;
        const s = d.ctx.status; d.stream.socket.close(); return s; }""")
    assert status == "running", "the run ended before the test could cut its socket: make it longer"
    ui.page.wait_for_function("() => document.querySelector('[data-testid=dashboard-status]').dataset.status === 'succeeded'",
                              timeout=240_000)
    settle(ui)
    assert len(ui.sockets) >= 2 and ui.sockets[1][0] == "snapshot", "the dashboard did not reconnect"
    epochs = curve_epochs(ui)
    assert epochs == list(range(epochs[0], 2001)) and epochs[0] in (0, 1), "gaps or duplicated points after the reconnect"
    x = trace_x(ui, "curves-chart")
    assert x == sorted(set(x)) and x[-1] == 2000
    grads = ui.page.evaluate("() => document.querySelector('[data-testid=gradient-heatmap]').data[0].y")
    assert grads == ["h1", "out"]
    assert ui.page.locator("button.db-neuron").count() == 9  # h1 and a1: 4 units each, and the output
    assert int(ui.page.get_attribute('[data-testid="boundary-chart"]', "data-size")) > 0
    assert ui.page.get_attribute('[data-testid="boundary-chart"]', "data-points") == "100"
    shot(ui, "dashboard-real-2d-run")
    assert ui.errors() == []


def test_real_curve_fit_runs_show_the_curve_coefficients_and_error_against_degree(ui):
    ui.page.set_viewport_size(TALL)
    ui.open("/compare")
    first = post_run(ui, spec_curve(1))
    wait_final(ui, first)
    run_id = post_run(ui, spec_curve(3))
    ui.open(f"/runs/{run_id}/dashboard")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=dashboard-status]').dataset.status === 'succeeded'",
                              timeout=120_000)
    ui.page.wait_for_selector('[data-panel="curve"]')
    settle(ui)
    curve = ui.page.evaluate("() => document.querySelector('[data-testid=curve-chart]').data.map((d) => d.x.length)")
    assert curve[-2] == 101 and curve[-1] == 10  # the fitted curve over 101 x, the 10 training points
    assert "RMS" in ui.page.text_content('[data-testid="curve-rms"]')
    rows = ui.page.eval_on_selector_all('[data-testid="coefficients"] tbody tr td:first-child', "tds => tds.map((t) => t.textContent)")
    assert rows[:4] == ["w0", "w1", "w2", "w3"]
    ui.page.wait_for_function("() => document.querySelector('[data-testid=degree-chart]').dataset.points === '2'", timeout=30_000)
    degrees = ui.page.evaluate("() => Array.from(document.querySelector('[data-testid=degree-chart]').data[1].x)")
    assert degrees == [1, 3]
    shot(ui, "dashboard-real-curve-fit")
    assert ui.errors() == []


def test_real_compare_page_overlays_runs_and_names_what_differs(ui):
    ui.open("/compare")
    a = post_run(ui, spec_2d(epochs=40, lr=0.03))
    b = post_run(ui, spec_2d(epochs=40, lr=0.3))
    wait_final(ui, a)
    wait_final(ui, b)
    ui.open(f"/compare?runs={a},{b}")
    ui.page.wait_for_function("""() => { const p = document.querySelector('[data-testid=compare-chart]').dataset.points;
        return p && p.split(',').length === 2 && p.split(',').every((n) => Number(n) >= 40); }""", timeout=30_000)
    names = ui.page.evaluate("() => document.querySelector('[data-testid=compare-chart]').data.map((d) => d.name)")
    assert names == ["Run 1: learning_rate 0.03", "Run 2: learning_rate 0.3"]
    rows = ui.page.eval_on_selector_all('[data-testid="compare-diff"] tbody th', "ths => ths.map((t) => t.textContent)")
    assert rows == ["learning_rate"]
    assert ui.page.locator('[data-testid="compare-runs"] input:checked').count() == 2
    ui.page.select_option('[data-testid="compare-metric"]', "test_accuracy")
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=compare-chart]').layout.yaxis.tickformat") == ".0%"
    shot(ui, "dashboard-real-compare")
    assert ui.errors() == []


def chain(*nodes):
    return {"nodes": [{"id": i, "type": t, "params": p} for i, t, p in nodes],
            "edges": [[a[0], b[0]] for a, b in zip(nodes, nodes[1:])]}


def test_real_image_run_shows_feature_maps_and_the_confusion_matrix(ui):
    spec = {
        "network": chain(("in", "input", {"kind": "image"}), ("c1", "conv2d", {"channels": 4, "kernel": 3}),
                         ("r1", "activation", {"fn": "relu"}), ("p1", "maxpool2d", {}), ("f", "flatten", {}),
                         ("out", "dense", {"units": 10})),
        "dataset": {"name": "digits16", "samples": 300},
        "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "epochs": 30, "seed": 1, "device": "cpu"},
    }
    ui.page.set_viewport_size(TALL)
    ui.open("/compare")
    run_id = post_run(ui, spec)
    ui.open(f"/runs/{run_id}/dashboard")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=dashboard-status]').dataset.status === 'succeeded'",
                              timeout=120_000)
    settle(ui)
    assert {"curves", "gradients", "conv", "confusion", "histograms"} <= set(panels(ui))
    assert "boundary" not in panels(ui)  # an image run sends no decision boundary
    assert ui.page.locator('[data-testid="conv-kernels"] canvas').count() == 4
    assert ui.page.locator('[data-testid="conv-maps"] canvas').count() == 4
    size = ui.page.evaluate("() => { const c = document.querySelector('[data-testid=conv-maps] canvas'); return [c.width, c.height]; }")
    assert size == [16, 16]  # padding 1 keeps 16 × 16
    matrix = ui.page.evaluate("() => document.querySelector('[data-testid=confusion-chart]').data[0].z")
    assert len(matrix) == 10 and all(len(row) == 10 for row in matrix)
    assert sum(map(sum, matrix)) == 60  # the test set: 20 % of 300
    mistakes = ui.page.locator('[data-testid="confusion-mistakes"] canvas').count()
    wrong = sum(matrix[r][c] for r in range(10) for c in range(10) if r != c)
    assert mistakes == min(8, wrong)
    shot(ui, "dashboard-real-image-run")
    assert ui.errors() == []


def test_real_sequence_run_shows_lstm_states_and_gates(ui):
    spec = {
        "network": chain(("in", "input", {"kind": "sequence", "length": 8, "features": 1}), ("l1", "lstm", {"hidden": 8}),
                         ("out", "dense", {"units": 2})),
        "dataset": {"name": "parity"},
        "training": {"optimizer": "adam", "learning_rate": 0.01, "epochs": 5, "seed": 1, "device": "cpu"},
    }
    ui.page.set_viewport_size(TALL)
    ui.open("/compare")
    run_id = post_run(ui, spec)
    ui.open(f"/runs/{run_id}/dashboard")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=dashboard-status]').dataset.status === 'succeeded'",
                              timeout=120_000)
    settle(ui)
    assert {"curves", "recurrent", "confusion"} <= set(panels(ui))
    views = ui.page.eval_on_selector_all('[data-testid="recurrent-view"] option', "os => os.map((o) => o.value)")
    assert views == ["hidden", "input", "forget", "output"]
    hidden = ui.page.evaluate("() => document.querySelector('[data-testid=recurrent-chart]').data[0]")
    assert len(hidden["x"]) == 8 and len(hidden["z"]) == 8  # 8 steps × 8 units
    ui.page.select_option('[data-testid="recurrent-view"]', "forget")
    settle(ui)
    gate = ui.page.evaluate("() => document.querySelector('[data-testid=recurrent-chart]').data[0].z")
    assert all(0 <= v <= 1 for row in gate for v in row)
    shot(ui, "dashboard-real-sequence-run")
    assert ui.errors() == []


def test_rendering_offscreen_panels_draw_when_scrolled_into_view(ui):
    host_page(ui, viewport={"width": 1280, "height": 720})
    feed(ui, [snapshot(points=50, seq=10), *live(seq=11, epoch=51)])
    settle(ui)
    drawn = lambda: ui.page.evaluate("() => Boolean(document.querySelector('[data-testid=kv-chart]').data)")  # noqa: E731
    assert not drawn(), "a chart below the fold drew before anyone could see it"
    ui.page.locator('[data-testid="kv-chart"]').scroll_into_view_if_needed()
    ui.page.wait_for_function("() => Boolean(document.querySelector('[data-testid=kv-chart]').data)", timeout=5_000)
    assert ui.errors() == []


def test_rendering_every_control_is_reachable_with_the_keyboard(ui):
    host_page(ui)
    feed(ui, [snapshot(points=50, seq=10), *live(seq=11, epoch=51)])
    settle(ui)
    ui.page.focus("body")
    reached = []
    for _ in range(80):
        ui.page.keyboard.press("Tab")
        reached.append(ui.page.evaluate("() => document.activeElement.dataset.testid || document.activeElement.className || ''"))
    for control in ("curves-log", "curves-smoothing", "gradients-statistic", "conv-layer", "recurrent-view",
                    "attention-layer", "attention-head", "histograms-which"):
        assert control in reached, control
    assert "db-neuron" in reached
    ui.page.focus('[data-testid="curves-log"]')
    ui.page.keyboard.press("Space")
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=curves-chart]').layout.yaxis.type") == "log"
    assert ui.errors() == []


def test_real_transformer_run_shows_attention_per_layer_and_head_and_the_kv_cache(ui):
    from models_core.lessons import transformer_reverse

    spec = transformer_reverse(seed=1)
    spec["training"]["steps"] = 60  # the lesson's network, trained briefly: the maps only need to arrive
    ui.page.set_viewport_size(TALL)
    ui.open("/compare")
    run_id = post_run(ui, spec)
    # opened once the run is over: every view comes from the snapshot (kv_cache is sent once, at the
    # start; a client connecting at that moment can miss it, see the report)
    wait_final(ui, run_id)
    ui.open(f"/runs/{run_id}/dashboard")
    ui.page.wait_for_selector('[data-panel="kv_cache"]')
    settle(ui)
    assert {"curves", "gradients", "attention", "kv_cache", "confusion", "histograms"} <= set(panels(ui))
    assert ui.page.text_content('[data-testid="dashboard-progress"]') == "step 60 of 60"  # a budget in steps
    layers = ui.page.eval_on_selector_all('[data-testid="attention-layer"] option', "os => os.map((o) => o.value)")
    assert layers == ["block1", "block2"]
    assert ui.page.eval_on_selector_all('[data-testid="attention-head"] option', "os => os.length") == 2
    heat = ui.page.evaluate("() => document.querySelector('[data-testid=attention-chart]').data[0]")
    assert len(heat["x"]) == 8 and heat["y"] == heat["x"]  # 8 tokens on both axes
    assert all(abs(sum(row) - 1) < 0.01 for row in heat["z"])  # each query's weights sum to 1
    ui.page.select_option('[data-testid="attention-head"]', "1")
    ui.page.select_option('[data-testid="attention-layer"]', "block2")
    settle(ui)
    assert ui.page.evaluate("() => document.querySelector('[data-testid=attention-chart]').data[0].z") != heat["z"]
    bars = ui.page.evaluate("() => Array.from(document.querySelector('[data-testid=kv-chart]').data[0].y)")
    assert len(bars) == 2 and all(b > 0 for b in bars)
    shot(ui, "dashboard-real-transformer-run")
    assert ui.errors() == []


def test_rendering_hovering_a_curve_shows_every_value_at_that_epoch(ui):
    host_page(ui, viewport={"width": 1280, "height": 720})
    feed(ui, [snapshot(points=50, seq=10)])
    settle(ui)
    box = ui.page.locator('[data-testid="curves-chart"] .nsewdrag').bounding_box()
    ui.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = ui.page.locator('[data-testid="curves-chart"] .hoverlayer')
    ui.page.wait_for_function("() => document.querySelector('[data-testid=curves-chart] .hoverlayer').textContent.includes('Test loss')")
    text = hover.text_content()
    for name in ("Training loss", "Test loss", "Training accuracy", "Test accuracy"):
        assert name in text
    assert "%" in text  # accuracy as a percentage
    assert ui.errors() == []


def test_rendering_destroy_leaves_nothing_behind(ui):
    """The editor mounts a dashboard per run and destroys the old one."""
    host_page(ui)
    feed(ui, [snapshot(points=50, seq=10), *live(seq=11, epoch=51)])
    settle(ui)
    ui.page.evaluate("() => window.db.destroy()")
    assert ui.page.evaluate("() => document.getElementById('host').children.length") == 0
    feed(ui, live(seq=30, epoch=52))  # late messages to a destroyed dashboard are ignored
    ui.page.click('[data-testid="lang-zh"]')  # and a language switch does not reach it
    settle(ui)
    assert ui.page.evaluate("() => document.getElementById('host').children.length") == 0
    assert ui.errors() == []
