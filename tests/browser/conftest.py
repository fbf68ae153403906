"""Browser tests: a real server (migrate + daphne in a subprocess, file-based SQLite) and Debian's
chromium driven by Playwright. Screenshots go to test-output/screenshots/ for a reviewer."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
LOGS = ROOT / "test-output" / "logs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 720}

# What chromium logs by itself for an answer the test asked for (a 400 the page shows as an error).
EXPECTED_400 = "the server responded with a status of 400"


def _bin(name):
    venv = ROOT / ".venv" / "bin" / name
    if venv.exists():
        return str(venv)
    return str(Path(sys.executable).parent / name)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def embedded_server(env, log_name):
    """daphne serving the app on a free port with `env` (migrated already); yields its base URL and
    stops it, with its children, on the way out. Its output goes to test-output/logs/<log_name>."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / log_name, "w")
    port = _free_port()
    proc = subprocess.Popen([_bin("daphne"), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(base):
            if proc.poll() is not None:
                raise RuntimeError(f"daphne exited with {proc.returncode}; see {LOGS / log_name}")
            if time.monotonic() > deadline:
                raise RuntimeError("daphne did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def embedded_env(tmp):
    """The environment of `make run` (embedded mode) with its own SQLite file, migrated."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3", "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)  # embedded: in-process worker, in-memory channel layer
    subprocess.run([_bin("python"), "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


@pytest.fixture(scope="session")
def playground_server(tmp_path_factory):
    """The app as `make run` serves it (embedded mode), on a free port; yields its base URL."""
    with embedded_server(embedded_env(tmp_path_factory.mktemp("browser-db")), "browser-daphne.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing (make browser installs it)")
        pytest.skip(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A Playwright page plus what the test checks on the side: console errors and websocket frames."""

    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.console_errors = []
        self.sent = []  # control messages the page sent over a websocket (parsed JSON)
        self.received_types = []  # the `type` of every websocket frame the page got, in order
        self.sockets = []  # per websocket opened, the `type` of each frame it got
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("websocket", self._websocket)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def _websocket(self, ws):
        frames = []
        self.sockets.append(frames)

        def sent(payload):
            try:
                self.sent.append(json.loads(payload))
            except (TypeError, ValueError):
                pass

        def received(payload):
            try:
                kind = json.loads(payload).get("type")
            except (TypeError, ValueError, AttributeError):
                return
            frames.append(kind)
            self.received_types.append(kind)

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    def open(self, path="/"):
        self.page.goto(self.base + path)
        self.wait_ready()

    def wait_ready(self):
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def errors(self, allow=()):
        return [e for e in self.console_errors if not any(a in e for a in allow)]


@pytest.fixture
def ui(browser, playground_server):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    wrapped = Page(page, playground_server)
    yield wrapped
    context.close()
