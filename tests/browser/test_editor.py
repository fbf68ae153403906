"""The graph editor in Debian's chromium: a student builds a CNN by hand, meets the shape error and
fixes it, undoes and redoes, trains on 16×16 digits and watches the dashboard, exports the run and runs
the exported file, switches to Chinese. Screenshots go to test-output/screenshots/editor-*.png."""
import io
import json
import subprocess
import sys
import time
import zipfile

import pytest

from .conftest import EXPECTED_400, SCREENSHOTS

pytestmark = pytest.mark.browser


def node(page, node_id):
    return page.locator(f'.drawflow-node:has(.ed-node[data-node="{node_id}"])')


def centre(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drop(page, block_type, x, y):
    """Drags a block from the palette onto the canvas at page coordinates (x, y)."""
    canvas = page.locator("#canvas").bounding_box()
    page.drag_and_drop(f'[data-testid="palette-{block_type}"]', "#canvas",
                       target_position={"x": x - canvas["x"], "y": y - canvas["y"]})


def connect(page, src, dst):
    """Drags a wire from src's output port to dst's input port, as a student does with the mouse."""
    settled(page)  # a validation answer grows the blocks (shape, error): aim at the ports where they end up
    sx, sy = centre(node(page, src).locator(".output").bounding_box())
    dx, dy = centre(node(page, dst).locator(".input").bounding_box())
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move(dx, dy, steps=8)
    page.mouse.up()


def settled(page):
    """Waits until no validation is scheduled or on its way, so what the page shows is current."""
    page.wait_for_function("() => window.__editor && !window.__editor.validator.busy", timeout=15_000, polling=50)


def node_error(page, node_id):
    return node(page, node_id).locator('[data-testid="node-error"]')


def edges(page):
    return page.evaluate("() => window.__editor.graph.edges")


def select(page, node_id):
    node(page, node_id).locator(".ed-node-title").click()


def test_it_builds_a_cnn_by_hand_fixes_the_shape_error_and_trains_it(ui, tmp_path):
    page = ui.page
    ui.open("/editor")
    page.get_by_test_id("new").click()
    page.get_by_test_id("param-dataset").select_option("digits16")

    drop(page, "input", 420, 110)
    drop(page, "conv2d", 420, 300)
    drop(page, "dense", 420, 540)
    assert page.locator(".drawflow-node").count() == 3
    connect(page, "in", "c1")
    connect(page, "c1", "h1")
    assert edges(page) == [["in", "c1"], ["c1", "h1"]]
    settled(page)
    # a dense block takes a vector or a sequence of vectors, not an image: the error sits on it, with the fix
    expect_text(node_error(page, "h1"), "image")
    assert "flatten" in node_error(page, "h1").inner_text()
    assert "ed-invalid" in node(page, "h1").get_attribute("class")
    ui.screenshot("editor-shape-error")

    # insert a flatten between them: the new wire into the dense block replaces the old one
    drop(page, "flatten", 700, 420)
    connect(page, "c1", "f1")
    connect(page, "f1", "h1")
    assert sorted(edges(page)) == [["c1", "f1"], ["f1", "h1"], ["in", "c1"]]
    settled(page)
    assert "image" not in node_error(page, "h1").inner_text()
    expect_text(node_error(page, "h1"), "10")  # now only its width is wrong: 8 units for 10 classes

    # the output must give one score per digit: set 10 units in the side panel
    select(page, "h1")
    page.get_by_test_id("param-units").fill("10")
    settled(page)
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"
    assert page.get_by_test_id("total-params").inner_text() == f"{8 * 9 + 8 + 2048 * 10 + 10:,}"
    assert node(page, "h1").locator('[data-testid="node-shape"]').inner_text().startswith("→ 10")
    assert node(page, "c1").locator('[data-testid="node-shape"]').inner_text() == "→ 8×16×16 · 80 params"
    assert node(page, "f1").locator('[data-testid="node-shape"]').inner_text().startswith("→ 2048 ·")

    # typing 1, 0 into the field is one step: undo brings the 8 units (and the error) back, redo the 10
    page.get_by_test_id("param-units").fill("")
    page.get_by_test_id("param-units").type("10", delay=50)
    settled(page)
    page.get_by_test_id("undo").click()
    settled(page)
    assert "units 8" in node(page, "h1").locator(".ed-node-summary").inner_text()
    assert page.get_by_test_id("validity").get_attribute("data-state") == "invalid"
    page.keyboard.press("Control+Shift+Z")
    settled(page)
    assert "units 10" in node(page, "h1").locator(".ed-node-summary").inner_text()
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"

    # delete the flatten with the keyboard, see the error, undo it away
    select(page, "f1")
    page.keyboard.press("Delete")
    assert node(page, "f1").count() == 0
    settled(page)
    assert page.get_by_test_id("validity").get_attribute("data-state") == "invalid"
    page.keyboard.press("Control+z")
    settled(page)
    assert node(page, "f1").count() == 1 and ["f1", "h1"] in edges(page)
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"

    # duplicate a block (unconnected: an error), then delete it from the toolbar
    select(page, "c1")
    page.get_by_test_id("duplicate").click()
    assert node(page, "c2").count() == 1
    settled(page)
    assert "not connected" in node_error(page, "c2").inner_text()
    page.get_by_test_id("delete").click()
    settled(page)
    assert node(page, "c2").count() == 0
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"

    page.get_by_test_id("layout").click()
    page.get_by_test_id("fit").click()
    ui.screenshot("editor-cnn")

    # train briefly on 16×16 digits: the loss curves and the feature maps arrive in the dashboard
    page.mouse.click(*centre(page.locator("#canvas").bounding_box()))  # nothing selected: the setup panel
    page.get_by_test_id("param-epochs").fill("2")
    page.get_by_test_id("param-samples").fill("400")
    settled(page)
    page.get_by_test_id("train").click()
    dashboard = page.get_by_test_id("editor-dashboard")
    try:
        page.wait_for_function("""() => { const gd = document.querySelector('[data-testid=editor-dashboard] [data-testid=curves-chart]');
                                           return gd && gd.data && gd.data[0].x.length >= 2; }""", timeout=60_000, polling=200)
        conv = dashboard.locator('[data-panel="conv"]')
        conv.wait_for(state="attached", timeout=60_000)
        conv.scroll_into_view_if_needed()  # the dashboard draws pictures once they are on screen
        page.wait_for_function("() => document.querySelectorAll('[data-testid=editor-dashboard] [data-testid=conv-maps] canvas').length >= 8",
                               timeout=30_000, polling=200)  # a feature map per channel of c1
    finally:
        ui.screenshot("editor-after-train")
    run_id = page.get_by_test_id("run-link").get_attribute("href").rsplit("/", 1)[1]
    final = wait_final(page, run_id)
    assert final["status"] == "succeeded", final
    dashboard.screenshot(path=str(SCREENSHOTS / "editor-dashboard.png"))  # the whole dashboard under the editor

    # fork the run from the list of runs: the editor opens on its network
    page.get_by_test_id("library-open").click()
    page.get_by_test_id("runs-list").locator(f'a[href="/editor?fork={run_id}"]').click()
    page.wait_for_url(f"**/editor?fork={run_id}")
    ui.wait_ready()
    settled(page)
    assert {n["id"] for n in page.evaluate("() => window.__editor.graph.nodes")} == {"in", "c1", "f1", "h1"}
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_it_exports_a_trained_run_as_a_file_that_runs(ui, tmp_path):
    """Needs the worker to keep the trained weights (playground.editor.weights.save_run_weights)."""
    page = ui.page
    ui.open("/editor")
    page.get_by_test_id("template").select_option("lenet")
    page.get_by_test_id("param-epochs").fill("1")
    page.get_by_test_id("param-samples").fill("200")
    settled(page)
    page.get_by_test_id("train").click()
    page.get_by_test_id("run-link").wait_for()  # shown once the run exists
    run_id = page.get_by_test_id("run-link").get_attribute("href").rsplit("/", 1)[1]
    assert wait_final(page, run_id)["status"] == "succeeded"

    # export the trained run and run the exported file in a fresh interpreter
    response = page.request.get(ui.base + page.get_by_test_id("export-pytorch").get_attribute("href"))
    assert response.status == 200, response.text()
    with zipfile.ZipFile(io.BytesIO(response.body())) as zf:
        zf.extractall(tmp_path)
    (script,) = tmp_path.glob("*/network.py")
    result = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=120,
                            env={"OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    assert "outputs (8, 10)" in result.stdout and "largest difference from the playground's outputs" in result.stdout
    onnx = page.request.get(ui.base + page.get_by_test_id("export-onnx").get_attribute("href"))
    assert onnx.status == 200 and len(onnx.body()) > 1000

    assert ui.errors(allow=[EXPECTED_400]) == []


def test_it_can_be_built_with_the_keyboard_alone(ui):
    """Palette blocks are buttons (Enter adds one), wires come from the side panel's list."""
    page = ui.page
    ui.open("/editor")
    page.get_by_test_id("new").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("palette-search").focus()
    page.keyboard.type("dense")
    assert page.get_by_test_id("palette-conv2d").is_hidden()  # the search filters the palette
    page.keyboard.press("Escape")
    page.get_by_test_id("palette-search").fill("")
    for block in ("input", "dense"):
        page.get_by_test_id(f"palette-{block}").focus()
        page.keyboard.press("Enter")
    assert [n["id"] for n in page.evaluate("() => window.__editor.graph.nodes")] == ["in", "h1"]
    # the new dense block is selected: connect the input into it from its panel
    page.get_by_test_id("param-connect").select_option("in")
    assert edges(page) == [["in", "h1"]]
    page.get_by_test_id("param-units").fill("1")
    settled(page)
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"
    assert node(page, "h1").locator('[data-testid="node-shape"]').inner_text().startswith("→ 1 ·")
    page.get_by_test_id("disconnect-in").click()
    settled(page)
    assert edges(page) == [] and page.get_by_test_id("validity").get_attribute("data-state") == "invalid"
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_the_input_features_set_the_input_width(ui):
    page = ui.page
    ui.open("/editor")
    page.get_by_test_id("template").select_option("tf_playground")
    settled(page)
    assert node(page, "in").locator('[data-testid="node-shape"]').inner_text().startswith("→ 4 ·")
    page.get_by_test_id("feature-x1x2").check()
    settled(page)
    assert node(page, "in").locator('[data-testid="node-shape"]').inner_text().startswith("→ 5 ·")
    assert page.evaluate("() => window.__editor.graph.dataset.features") == ["x1", "x2", "x1x2", "sin_x1", "sin_x2"]
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_it_opens_the_quick_modes_network_and_links_back_to_it(ui):
    """The quick mode's URL query (/?dataset=...&layers=...) opens in the editor as /editor?<query>;
    while the graph stays a chain the quick mode can show, its link leads back with the same network."""
    page = ui.page
    ui.open("/editor?dataset=circle&features=x1,x2,x1_sq&layers=4,2&activation=relu&lr=0.1&epochs=50")
    settled(page)
    graph = page.evaluate("() => window.__editor.graph")
    assert [n["id"] for n in graph["nodes"]] == ["in", "h1", "a1", "h2", "a2", "out"]
    assert [n["params"].get("units") for n in graph["nodes"] if n["type"] == "dense"] == [4, 2, 1]
    assert {n["params"]["fn"] for n in graph["nodes"] if n["type"] == "activation"} == {"relu"}
    assert graph["dataset"]["name"] == "circle" and graph["dataset"]["features"] == ["x1", "x2", "x1_sq"]
    assert graph["training"]["learning_rate"] == 0.1 and graph["training"]["epochs"] == 50
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"
    back = page.get_by_test_id("quick-mode").get_attribute("href")
    assert back.startswith("/?dataset=circle") and "layers=4,2" in back and "activation=relu" in back
    select(page, "h2")
    page.get_by_test_id("param-units").fill("3")
    assert "layers=4,3" in page.get_by_test_id("quick-mode").get_attribute("href")
    select(page, "a1")
    page.get_by_test_id("param-fn").select_option("tanh")  # mixed activations: the quick mode cannot show it
    assert page.get_by_test_id("quick-mode").get_attribute("href") == "/"
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_it_speaks_chinese_and_remembers_it(ui):
    page = ui.page
    ui.open("/editor")
    page.get_by_test_id("lang-zh").click()
    conv = page.get_by_test_id("palette-conv2d")
    expect_text(conv, "卷积层")
    assert page.locator('.ed-group[data-group="convolution"] h2').inner_text() == "卷积"
    assert "撤销" in page.get_by_test_id("undo").inner_text()
    settled(page)
    assert "全连接层" in node(page, "h1").locator(".ed-node-name").inner_text()
    select(page, "h1")
    assert page.locator('label[for="node-h1-units"]').inner_text() == "单元数 units"
    ui.screenshot("editor-zh")
    page.reload()
    ui.wait_ready()
    expect_text(page.get_by_test_id("palette-conv2d"), "卷积层")
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_every_template_is_a_valid_network(ui):
    page = ui.page
    ui.open("/editor")
    keys = page.eval_on_selector_all('[data-testid="template"] option', "os => os.map(o => o.value).filter(Boolean)")
    assert keys == ["tf_playground", "perceptron", "lenet", "lstm", "transformer"]
    for key in keys:
        page.get_by_test_id("template").select_option(key)
        settled(page)
        assert page.get_by_test_id("validity").get_attribute("data-state") == "valid", (key, page.get_by_test_id("graph-errors").inner_text())
        assert int(page.get_by_test_id("total-params").inner_text().replace(",", "")) > 0
        ui.screenshot(f"editor-template-{key}")
    assert ui.errors(allow=[EXPECTED_400]) == []


def test_it_saves_to_the_library_exports_and_imports_json(ui, tmp_path):
    page = ui.page
    ui.open("/editor")
    page.get_by_test_id("template").select_option("lstm")
    settled(page)
    page.once("dialog", lambda d: d.accept("my parity lstm"))
    page.get_by_test_id("save").click()
    expect_text(page.get_by_test_id("toast"), "my parity lstm")

    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    path = tmp_path / "network.json"
    download.value.save_as(path)
    exported = json.loads(path.read_text())
    assert [n["type"] for n in exported["network"]["nodes"]] == ["input", "lstm", "classification_head"]
    assert exported["dataset"]["name"] == "parity"

    page.get_by_test_id("new").click()
    assert page.locator(".drawflow-node").count() == 0
    page.get_by_test_id("import-json").set_input_files(str(path))
    node(page, "lstm1").wait_for()
    settled(page)
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"

    page.get_by_test_id("new").click()
    page.get_by_test_id("library-open").click()
    item = page.get_by_test_id("library-item").filter(has_text="my parity lstm")
    item.get_by_test_id("library-load").click()
    node(page, "lstm1").wait_for()
    settled(page)
    assert page.get_by_test_id("validity").get_attribute("data-state") == "valid"

    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    page.get_by_test_id("import-json").set_input_files(str(bad))
    expect_text(page.get_by_test_id("toast"), "not JSON")
    assert page.locator(".drawflow-node").count() == 3  # the network stays as it was
    assert ui.errors(allow=[EXPECTED_400]) == []


def expect_text(locator, text, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in locator.inner_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in {locator.inner_text()!r}")


def wait_final(page, run_id, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = page.request.get(f"{page.url.split('/editor')[0]}/api/runs/{run_id}").json()
        if run["status"] in ("succeeded", "failed", "cancelled"):
            return run
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish within {timeout} s")


def test_it_fits_a_laptop_and_a_tablet(browser, playground_server):
    for name, viewport, touch in (("laptop", {"width": 1280, "height": 720}, False),
                                  ("tablet", {"width": 820, "height": 1180}, True)):
        context = browser.new_context(viewport=viewport, has_touch=touch, locale="en-US")
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(playground_server + "/editor")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name  # no sideways scrolling
        for testid in ("palette", "canvas", "train", "undo", "total-params"):
            box = page.get_by_test_id(testid).bounding_box()
            assert box and box["width"] > 0 and box["x"] + box["width"] <= viewport["width"], (name, testid)
        canvas = page.get_by_test_id("canvas").bounding_box()
        assert canvas["width"] >= 500 and canvas["height"] >= 400, (name, canvas)
        if touch:  # no drag and drop from the palette on a touch screen: a tap adds the block
            page.get_by_test_id("palette-dropout").tap()
            assert page.evaluate("() => window.__editor.graph.nodes.some((n) => n.type === 'dropout')")
        page.screenshot(path=str(SCREENSHOTS / f"editor-{name}.png"))
        assert errors == []
        context.close()
