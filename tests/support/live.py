"""Real processes and an outside client, for the production-shape tests and the benchmarks."""
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
FINAL = {"succeeded", "failed", "cancelled"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Starts manage.py commands, Celery workers and daphne with one environment; stops them all."""

    def __init__(self, env, log_dir=None):
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.procs = []
        self.log_dir = Path(log_dir or ROOT / "test-output" / "logs")
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def _spawn(self, name, argv):
        log = open(self.log_dir / f"{name}.log", "w")
        proc = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append((proc, log))
        return proc

    def start_worker(self, queue, concurrency=1):
        name = f"{queue}-{free_port()}"
        proc = self._spawn(f"worker-{queue}", [str(VENV_BIN / "celery"), "-A", "playground", "worker", "-Q", queue,
                                               f"--concurrency={concurrency}", "-n", f"{name}@%h", "--loglevel=INFO"])
        log_path = self.log_dir / f"worker-{queue}.log"
        _wait(lambda: "ready." in log_path.read_text(), 60, f"celery worker ({queue})", proc)
        return proc

    def start_web(self):
        port = free_port()
        proc = self._spawn("web", [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port),
                                   "playground.asgi:application"])
        base = f"http://127.0.0.1:{port}"
        _wait(lambda: WebClient(base).status("/healthz") == 200, 60, "daphne", proc)
        return base

    def stop(self):
        for proc, log in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc, log in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()


def _wait(ready, timeout, what, proc):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; see test-output/logs")
        try:
            if ready():
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready within {timeout} s")


class WebClient:
    """A browser-like client: cookies, CSRF header, websocket with the session cookie."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self._first_visit = False

    def _request(self, method, path, body=None, raw=None):
        if not self._first_visit and method != "GET":
            self._first_visit = True
            self._request("GET", "/")
        data = raw.encode() if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", "Referer": self.base + "/"})
        token = self.cookie("csrftoken")
        if token:
            req.add_header("X-CSRFToken", token)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def status(self, path):
        return self._request("GET", path)[0]

    def get(self, path):
        return json.loads(self._request("GET", path)[1])

    def post(self, path, body=None, raw=None):
        status, data = self._request("POST", path, body, raw)
        return status, json.loads(data or b"null")

    def websocket(self, path):
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        url = "ws" + self.base[len("http"):] + path
        return ws_connect(url, additional_headers={"Cookie": cookies, "Origin": self.base},
                          max_size=2**22, open_timeout=10)

    def websocket_until(self, path, predicate, timeout=120):
        messages = []
        with self.websocket(path) as ws:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
                messages.append(message)
                if predicate(message):
                    return messages
        raise AssertionError(f"condition not met within {timeout} s; last: {messages[-1:]}")

    def websocket_until_final(self, path, timeout=120):
        return self.websocket_until(path, lambda m: m["type"] in ("status", "snapshot") and m["status"] in FINAL, timeout)

    def websocket_messages(self, path, count):
        with self.websocket(path) as ws:
            return [json.loads(ws.recv(timeout=10)) for _ in range(count)]


def require(service, check):
    """Runs check(); a missing service skips the test, except under CI=true, where it fails it."""
    import pytest

    try:
        check()
    except Exception as exc:
        message = f"{service} is needed for the production-shape tests: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
