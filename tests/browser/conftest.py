"""Fixtures for the end-to-end tests: a real ``streamlit run app.py`` and headless Chromium.

The browser tests need Debian's Chromium (``/usr/bin/chromium``, or ``$LIFLAB_CHROMIUM``) and
the ``playwright`` Python package (Playwright cannot download its own browser here). Without
them every browser test is skipped with the reason, unless ``CI=true``: then they fail, so a CI
run can never pass without having run them.

Servers are started on a free loopback port from the repository root, so
``.streamlit/config.toml`` applies, and are stopped when the fixture ends. The server log is
attached to failures.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from liflab_browser import CHROMIUM, CHROMIUM_ARGS, PAGES, ROOT, VIEWPORT

IN_CI = os.environ.get("CI", "").lower() == "true"


# --------------------------------------------------------------------------- server


_TAKEN: set[int] = set()


def _free_port() -> int:
    """A port no server of this run was given, bindable now, below Linux's ephemeral range.

    A port from ``bind(0)`` is an ephemeral one: by the time streamlit binds it, a client
    connection (the browser's, another server's) may use it as its local port, and streamlit
    exits with "Port ... is not available" (seen once in CI). Ports below 32768 are never given
    to client connections; :meth:`AppServer.wait_healthy` still retries on another one.
    """
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20_000, 32_000)
        if port in _TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _TAKEN.add(port)
        return port
    raise RuntimeError("no free port in 20000-31999")


class AppServer:
    """``streamlit run app.py --server.headless true --server.port <free>`` on loopback."""

    def __init__(self, tmp_dir: Path) -> None:
        self.tmp_dir = tmp_dir
        self.proc: subprocess.Popen | None = None
        self._new_port()

    def _new_port(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp_dir / f"streamlit-{self.port}.log"

    def launch(self) -> AppServer:
        """Start the process without waiting for it (see :meth:`wait_healthy`)."""
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
        ]
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_healthy(self, timeout: float = 60.0) -> AppServer:
        """Return once ``/_stcore/health`` answers (no page is requested)."""
        t0 = time.monotonic()
        retries = 2
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                if retries and "is not available" in self.log():
                    retries -= 1  # taken between the choice and the bind: another port
                    self._new_port()
                    self.launch()
                    continue
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"streamlit did not become healthy in {timeout} s:\n{self.log()}")

    def start(self, timeout: float = 60.0) -> AppServer:
        """Start the server and wait until it is healthy."""
        return self.launch().wait_healthy(timeout)

    def log(self) -> str:
        """The server's output so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def playwright_chromium():
    """Playwright's Chromium driver for Debian's chromium; skips (or fails with CI=true)."""
    problems = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problems.append("the playwright package is not installed")
        sync_playwright = None
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} not found (apt-get install -y chromium)")
    if problems:
        reason = "browser tests skipped: " + "; ".join(problems)
        if IN_CI:
            pytest.fail(reason.replace("skipped", "cannot run with CI=true"), pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_server(playwright_chromium, tmp_path_factory) -> Iterator[AppServer]:
    """One server shared by the tests that do not need a fresh one.

    (Depends on the browser fixture so that a missing browser skips before any server starts.)
    """
    server = AppServer(tmp_path_factory.mktemp("server")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _fresh_pool(playwright_chromium, tmp_path_factory) -> Iterator[list[AppServer]]:
    """Servers started together (in parallel) and kept untouched until a test takes one."""
    n = int(os.environ.get("LIFLAB_FRESH_SERVERS", "0")) or len(PAGES)
    pool = [AppServer(tmp_path_factory.mktemp("fresh")).launch() for _ in range(n)]
    yield pool
    for server in pool:
        server.stop()


@pytest.fixture
def fresh_server(_fresh_pool, tmp_path_factory) -> Iterator[AppServer]:
    """A server no browser has talked to yet (for first-request deep links)."""
    server = (
        _fresh_pool.pop() if _fresh_pool else AppServer(tmp_path_factory.mktemp("fresh")).launch()
    )
    server.wait_healthy()
    yield server
    server.stop()


@pytest.fixture
def context(playwright_chromium):
    """A fresh browser context (no cookies, no storage) at 1600x1000."""
    ctx = playwright_chromium.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A new tab."""
    return context.new_page()


@pytest.fixture(autouse=True)
def _server_log_on_failure(request):
    """Print the app servers' logs when a browser test fails."""
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        for name, value in getattr(request.node, "funcargs", {}).items():
            if isinstance(value, AppServer):
                print(f"----- {name} log -----\n{value.log()[-5000:]}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep
