"""Server-side time per slider change, per page, with Streamlit's AppTest (no browser).

For each page: one run to warm up (imports, first computation), then ``--reruns`` slider
changes, each followed by ``AppTest.run()``; the time of ``run()`` is the server's work for
one slider change (script, figure building, protobuf marshalling; no network, no browser).

Two cases per page:

- *warm cache*: the page's first slider toggles between two values, so after the first
  two runs every rerun finds its results in ``st.cache_data``: Streamlit's and the page's
  fixed cost per rerun. This is the figure the target (median <= 50 ms) applies to.
- *new values*: the page's sliders move in turn, one step each, so every rerun asks for
  a parameter set not seen before: the cost when a student explores (simulation included).

Run from anywhere::

    python benchmarks/server_time.py [--reruns 20] [--pages pages/1_Membrane_RC_circuit.py]
    python benchmarks/server_time.py --websocket

AppTest runs the script in this process, so the numbers exclude the websocket and the
browser (``benchmarks/latency.py`` measures those) and include ``.streamlit/config.toml``'s
``runner.postScriptGC`` setting, which this script reports. AppTest adds its own overhead
(a thread per run, polling); the baseline row shows that floor.

``--websocket`` measures the same two cases against a real ``streamlit run app.py`` with one
client speaking the browser's protocol (``load_protocol.py``): the time from the slider
change to ``script_finished``, and the server process's CPU time per rerun (psutil), which
is what limits how many students one process serves.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # pages import lab_ui, lif_core, lif_figures
sys.path.insert(0, str(Path(__file__).resolve().parent))
_CWD = Path.cwd()
os.chdir(ROOT)  # .streamlit/config.toml applies

from load_server import discover_pages  # noqa: E402 (path set above)
from streamlit import config  # noqa: E402
from streamlit import logger as streamlit_logger  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

TARGET_MEDIAN_MS = 50.0


def _page_sliders(at: AppTest) -> list:
    main = [s for s in at.main.slider if s.key]
    return main or [s for s in at.sidebar.slider if s.key]


def _step(slider, direction: int) -> float:
    p = slider.proto
    v = float(slider.value) + direction * p.step
    if v > p.max or v < p.min:
        v = float(slider.value) - direction * p.step
    return round(v, 10)


def time_page(path: Path, reruns: int) -> dict[str, list[float] | str]:
    """Times (ms) of ``reruns`` reruns in the warm-cache and new-values cases."""
    out: dict[str, list[float] | str] = {"warm": [], "new": [], "error": ""}
    at = AppTest.from_file(str(path), default_timeout=120)
    at.run()
    if at.exception:
        out["error"] = "; ".join(e.value for e in at.exception)[:300]
        return out
    sliders = _page_sliders(at)
    if not sliders:
        out["error"] = "no keyed slider"
        return out

    # warm cache: toggle the first slider between two values
    key = sliders[0].key
    a = float(at.slider(key=key).value)
    b = _step(at.slider(key=key), 1)
    for i in range(reruns + 2):
        at.slider(key=key).set_value(b if i % 2 == 0 else a)
        t0 = time.perf_counter()
        at.run()
        dt = (time.perf_counter() - t0) * 1e3
        if i >= 2:
            out["warm"].append(dt)
    # new values: sliders in turn, each one way
    keys = [s.key for s in sliders]
    direction = {k: 1 for k in keys}
    for i in range(reruns):
        k = keys[i % len(keys)]
        s = at.slider(key=k)
        v = float(s.value) + direction[k] * s.proto.step
        if v > s.proto.max or v < s.proto.min:
            direction[k] = -direction[k]
        s.set_value(_step(s, direction[k]))
        t0 = time.perf_counter()
        at.run()
        out["new"].append((time.perf_counter() - t0) * 1e3)
    if at.exception:
        out["error"] = "; ".join(e.value for e in at.exception)[:300]
    return out


def time_page_ws(url: str, pid: int, page: str, reruns: int) -> dict[str, list[float] | str]:
    """Like :func:`time_page`, through the websocket of a running server.

    Returns latencies (ms) for ``warm`` and ``new`` and the server's CPU ms per rerun
    (``warm_cpu``, ``new_cpu``).
    """
    import psutil
    from load_protocol import ProtocolError, StreamlitClient

    proc = psutil.Process(pid)

    def cpu_ms() -> float:
        t = proc.cpu_times()
        return (t.user + t.system) * 1e3

    out: dict[str, list[float] | str] = {"warm": [], "new": [], "error": ""}
    try:
        with StreamlitClient(url, page, timeout=60) as c:
            main = [sl for sl in c.sliders.values() if not sl.in_sidebar]
            main = main or list(c.sliders.values())
            if not main:
                out["error"] = "no slider"
                return out
            first = main[0].id
            for case in ("warm", "new"):
                c0 = cpu_ms()
                for i in range(reruns + (2 if case == "warm" else 0)):
                    if case == "warm":
                        c.step_slider(first, 1 if i % 2 == 0 else -1)
                    else:
                        c.step_slider(main[i % len(main)].id, 1)
                    r = c.rerun()
                    if r.errors:
                        out["error"] = "; ".join(r.errors)[:300]
                    if case == "warm" and i < 2:
                        c0 = cpu_ms()
                        continue
                    out[case].append(r.latency * 1e3)
                out[f"{case}_cpu"] = [(cpu_ms() - c0) / reruns]
    except ProtocolError as exc:
        out["error"] = str(exc)
    return out


def main_ws(reruns: int, pages: list[str]) -> int:
    """The ``--websocket`` variant of :func:`main`."""
    from load_server import StreamlitServer

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; one client")
    print()
    print(
        "| page | warm cache median ms | warm server CPU ms/rerun | new values median ms "
        "| new values p95 ms | new values server CPU ms/rerun | verdict (warm median <= 50 ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    ok = True
    here = Path(__file__).resolve().parent
    targets = [(here / "baseline_app.py", [""], "baseline (1 slider, 1 chart)")]
    targets.append((ROOT / "app.py", pages, None))
    for app, paths, label in targets:
        with StreamlitServer(app) as server:
            for path in paths:
                r = time_page_ws(server.url, server.proc.pid, path, reruns)
                name = label or f"/{path}"
                if r["error"] and not r["warm"]:
                    print(f"| {name} | – | – | – | – | – | {r['error']} |")
                    ok = False
                    continue
                warm, new = r["warm"], r["new"]
                good = statistics.median(warm) <= TARGET_MEDIAN_MS and not r["error"]
                ok &= good or label is not None
                print(
                    f"| {name} | {statistics.median(warm):.1f} | {r['warm_cpu'][0]:.1f} "
                    f"| {statistics.median(new):.1f} | {np.percentile(new, 95):.1f} "
                    f"| {r['new_cpu'][0]:.1f} "
                    f"| {'–' if label else ('ok' if good else 'MISS')}"
                    f"{' ' + str(r['error']) if r['error'] else ''} |"
                )
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 0 when every page meets the target."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--pages", nargs="*", type=Path, help="page files (default: all)")
    ap.add_argument(
        "--websocket", action="store_true", help="measure a real server over its websocket"
    )
    args = ap.parse_args(argv)
    if args.websocket:
        pages = [p.url_path for p in discover_pages(ROOT / "app.py") if p.url_path]
        if args.pages:
            by_file = {p.file: p.url_path for p in discover_pages(ROOT / "app.py")}
            pages = [by_file[(_CWD / f).resolve()] for f in args.pages]
        return main_ws(args.reruns, pages)
    streamlit_logger.set_log_level("error")  # AppTest's bare-mode warnings
    files = [(_CWD / f).resolve() for f in args.pages] if args.pages else None
    files = files or [p.file for p in discover_pages(ROOT / "app.py")]
    files = [Path(__file__).resolve().parent / "baseline_app.py", *files]
    print(
        f"runner.postScriptGC = {config.get_option('runner.postScriptGC')}; "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    print()
    print(
        "| page | warm cache median ms | warm p95 ms | new values median ms "
        "| new values p95 ms | verdict (warm median <= 50 ms) |"
    )
    print("|---|---|---|---|---|---|")
    ok = True
    for f in files:
        r = time_page(Path(f), args.reruns)
        name = Path(f).name
        if name == "baseline_app.py":
            name = "baseline (1 slider, 1 chart; AppTest floor)"
        if r["error"]:
            print(f"| {name} | – | – | – | – | {r['error']} |")
            ok &= r["error"] == "no keyed slider"
            continue
        warm, new = r["warm"], r["new"]
        good = statistics.median(warm) <= TARGET_MEDIAN_MS
        ok &= good
        print(
            f"| {name} | {statistics.median(warm):.1f} | {np.percentile(warm, 95):.1f} "
            f"| {statistics.median(new):.1f} | {np.percentile(new, 95):.1f} "
            f"| {'ok' if good else 'MISS'} |"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
