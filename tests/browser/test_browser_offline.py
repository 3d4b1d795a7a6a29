"""LIF Lab offline: no request leaves the loopback, on any page; the server's link limit.

A classroom may have no internet. In a browser context that blocks (and records) every
request, websocket included, to anything but the loopback, every page of the app is opened,
a slider of each chapter is pressed and a chart hovered (its toolbar appears); nothing may
have tried to leave. The pages are the ones ``liflab_browser.discover_pages`` finds, checked
against the story's navigation (``lab_ui.NAV``) first, so a page the discovery misses fails
instead of going unvisited.

The last test pins down where a Streamlit process draws the line for a long link (the
request head), which docs/hosting.md documents.
"""

from __future__ import annotations

import re
import socket
import time
import urllib.parse

import pytest
from liflab_browser import PAGES, ROOT, VIEWPORT, open_page, press_slider, slider_keys

import lab_ui

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _loopback(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOOPBACK


def test_the_browser_tests_discover_every_page_of_the_story():
    """Discovery (pages/*.py) and the navigation (lab_ui.NAV) list the same pages, in order.

    Not a browser test: it runs, and fails, even where Chromium is missing.
    """
    assert len(PAGES) >= 2
    found = [p.file.relative_to(ROOT).as_posix() for p in PAGES]
    assert found == [entry.path for entry in lab_ui.NAV]


@pytest.mark.browser
def test_no_request_leaves_the_loopback_on_any_page(app_server, playwright_chromium):
    ctx = playwright_chromium.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(30_000)
    where = {"page": "(none yet)"}
    outside: list[tuple[str, str]] = []
    visited: list[str] = []
    icons: dict[str, str] = {}

    def block(route):
        url = route.request.url
        if _loopback(url):
            route.continue_()
        else:
            outside.append((where["page"], url))
            route.abort()

    def block_socket(ws):
        outside.append((where["page"], ws.url))
        ws.close()

    ctx.route("**/*", block)
    ctx.route_web_socket(lambda url: not _loopback(url), block_socket)
    try:
        page = ctx.new_page()
        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        for pg in PAGES:
            where["page"] = f"/{pg.url_path}"
            open_page(page, app_server.url, pg.url_path)
            icons[where["page"]] = page.eval_on_selector('link[rel~="icon"]', "el => el.href")
            own = slider_keys(page, sidebar=False)
            if own:  # a rerun (new elements, maybe new icons or fonts)
                press_slider(page, own[0])
            if page.locator(".lif-chart").count():
                page.locator(".lif-chart").first.hover()  # plotly's toolbar
            page.wait_for_timeout(500)  # late requests (fonts are loaded lazily)
            visited.append(pg.url_path)
        assert visited == [p.url_path for p in PAGES]
        assert sockets and all(_loopback(u) for u in sockets), sockets
        assert not outside, "requests that left the loopback:\n" + "\n".join(
            f"{p}: {u}" for p, u in outside
        )
        # the tab icon is inline (lab_ui.FAVICON_SVG as a data URL), not fetched
        assert all(i.startswith("data:image/svg+xml") for i in icons.values()), icons
    finally:
        ctx.close()


def _status(port: int, head: bytes, split: int | None) -> int:
    """Send a request head (in two parts, ``split`` bytes first, as a network may deliver
    it) and return the HTTP status of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        if split:
            s.sendall(head[:split])
            time.sleep(0.2)  # the server reads the first part on its own
            head = head[split:]
        try:
            s.sendall(head)
            answer = s.recv(64)
        except ConnectionResetError:  # refused before it read everything
            return 400
    return int(re.match(rb"HTTP/1\.1 (\d+)", answer)[1])


@pytest.mark.browser
def test_streamlit_accepts_links_up_to_16_kib(app_server):
    """Streamlit 1.67 serves with uvicorn and h11: a request head that is still incomplete
    after more than 16 KiB is refused with a bare 400. (Over loopback a long head often
    arrives in one read, so ~128 kB can pass there; over a network it arrives in parts.)"""
    port = int(app_server.url.rsplit(":", 1)[1])

    def head(n: int) -> bytes:
        return (
            f"GET /?R=40&x={'a' * n} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()

    assert _status(port, head(15_000), split=8_000) == 200
    assert _status(port, head(20_000), split=17_000) == 400
