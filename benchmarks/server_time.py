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

AppTest runs the script in this process, so the numbers exclude the websocket and the
browser (``benchmarks/latency.py`` measures those) and include ``.streamlit/config.toml``'s
``runner.postScriptGC`` setting, which this script reports.
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


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 0 when every page meets the target."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--pages", nargs="*", type=Path, help="page files (default: all)")
    args = ap.parse_args(argv)
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
