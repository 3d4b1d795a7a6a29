"""Classroom load benchmark: simulated students on LIF Lab's real pages.

Each simulated student is a thread speaking Streamlit's own websocket protocol (see
``load_protocol.py``): it opens one chapter page (students are spread over the chapters),
then every ~3 s (jittered ±20 %) moves one slider by one step, as a key press would, and
times the rerun from the ``BackMsg`` to the ``script_finished`` message. A student waits for
its previous run to finish before the next change, like a person watching the chart.

For each setup and class size the benchmark starts a fresh server, warms every page once,
runs the class for ``--duration`` seconds and reports rerun latency p50/p95/max, errors
(exceptions on the page, failed runs, timeouts, dropped connections), the server's CPU use
(100 % = one core; summed over every server process and nginx) and its resident memory at
the start and the end of the run.

Setups (``--setups``): ``direct`` = one ``streamlit run app.py`` process; ``proxyN`` = N
Streamlit processes behind nginx via ``deploy/start_cluster.sh``. ``--url`` measures an
already running server instead (give ``--pids`` for CPU/memory).

Examples
--------
Full run (30 and 100 students, 60 s each, one process)::

    python benchmarks/load.py

Behind the proxy, one vs two processes::

    python benchmarks/load.py --setups proxy1 proxy2

Quick check::

    python benchmarks/load.py --students 10 --duration 10

Everything stays on loopback; every loop is bounded by the run's deadline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_protocol import ProtocolError, StreamlitClient
from load_server import ROOT, Cluster, StreamlitServer, discover_pages

TARGETS_P95_MS = {30: 300.0, 100: 1000.0}
TARGET_MEMORY_GROWTH_MB = 50.0


@dataclass
class StudentLog:
    """What one simulated student saw."""

    page: str
    load_seconds: float = float("nan")
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """One row of the load table."""

    setup: str
    students: int
    duration: float
    reruns: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    load_p95_ms: float
    cpu_mean_pct: float
    cpu_start_pct: float
    cpu_end_pct: float
    rss_start_mb: float
    rss_end_mb: float
    client_cpu_pct: float
    error_samples: list[str]

    @property
    def rss_growth_mb(self) -> float:
        """Resident memory growth over the run (MB)."""
        return self.rss_end_mb - self.rss_start_mb


class ResourceMonitor:
    """Samples CPU and RSS of a set of processes (and their children) once a second."""

    def __init__(self, pids: list[int], period: float = 1.0) -> None:
        self.procs = []
        for pid in pids:
            try:
                p = psutil.Process(pid)
                self.procs.append(p)
                self.procs.extend(p.children(recursive=True))
            except psutil.NoSuchProcess:
                pass
        self.period = period
        self.samples: list[tuple[float, float, float]] = []  # (time, cpu %, rss MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        for p in self.procs:
            p.cpu_percent(None)

    def rss_mb(self) -> float:
        """Total resident memory of the processes now (MB)."""
        total = 0
        for p in self.procs:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20

    def _cpu(self) -> float:
        total = 0.0
        for p in self.procs:
            try:
                total += p.cpu_percent(None)
            except psutil.NoSuchProcess:
                pass
        return total

    def _loop(self) -> None:
        while not self._stop.wait(self.period):
            self.samples.append((time.perf_counter(), self._cpu(), self.rss_mb()))

    def start(self) -> None:
        """Start sampling (resets the CPU counters)."""
        self._cpu()
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join(5)


def _student(
    url: str,
    page: str,
    t_begin: float,
    t_end: float,
    interval: float,
    seed: int,
    log: StudentLog,
    timeout: float,
    p_sidebar: float,
) -> None:
    rng = random.Random(seed)
    time.sleep(max(0.0, t_begin - time.perf_counter()))
    client = StreamlitClient(url, page, timeout=timeout)
    try:
        first = client.connect()
        log.load_seconds = first.latency
        log.errors.extend(first.errors)
        main = [s for s in client.sliders.values() if not s.in_sidebar]
        side = [s for s in client.sliders.values() if s.in_sidebar]
        if not main and not side:
            log.errors.append(f"no slider on page /{page}")
            return
        next_t = time.perf_counter() + rng.uniform(0.2, 1.0) * interval
        while next_t < t_end and time.perf_counter() < t_end:
            wait = next_t - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            pool = side if (side and (not main or rng.random() < p_sidebar)) else main
            slider = rng.choice(pool)
            client.step_slider(slider.id, rng.choice((-1, 1)))
            result = client.rerun()
            log.latencies.append(result.latency)
            log.errors.extend(result.errors)
            # the next change ~3 s after the previous one, or at once if that is past
            # (a student waits for the chart before moving on; no catch-up bursts)
            next_t = max(next_t + interval * rng.uniform(0.8, 1.2), time.perf_counter())
    except ProtocolError as exc:
        log.errors.append(str(exc))
    finally:
        client.close()


def _warm_up(url: str, pages: list[str], timeout: float) -> list[str]:
    """Open every page once and move each slider once (imports, caches); return problems."""
    problems: list[str] = []
    for page in pages:
        try:
            with StreamlitClient(url, page, timeout=timeout) as c:
                for sid in list(c.sliders):
                    c.step_slider(sid)
                    r = c.rerun()
                    problems += [f"/{page}: {e}" for e in r.errors]
        except ProtocolError as exc:
            problems.append(f"/{page}: {exc}")
    return problems


def run_class(
    url: str,
    warm_urls: list[str],
    pids: list[int],
    setup: str,
    pages: list[str],
    students: int,
    duration: float,
    interval: float,
    timeout: float,
    p_sidebar: float,
    seed: int,
) -> LoadResult:
    """Run ``students`` simulated students for ``duration`` seconds against ``url``."""
    warm = [w for u in warm_urls for w in _warm_up(u, pages, timeout)]
    if warm:
        print(f"  warm-up problems: {warm[:3]}", file=sys.stderr)
    monitor = ResourceMonitor(pids)
    rss_start = monitor.rss_mb()
    me = psutil.Process()
    me.cpu_percent(None)
    monitor.start()
    t0 = time.perf_counter() + 0.5
    ramp = min(interval, duration / 4)
    t_end = t0 + duration
    logs = [StudentLog(pages[i % len(pages)]) for i in range(students)]
    threads = [
        threading.Thread(
            target=_student,
            args=(
                url,
                log.page,
                t0 + ramp * i / students,
                t_end,
                interval,
                seed * 1000 + i,
                log,
                timeout,
                p_sidebar,
            ),
            daemon=True,
        )
        for i, log in enumerate(logs)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(max(1.0, t_end + timeout + 5 - time.perf_counter()))
    hung = sum(th.is_alive() for th in threads)
    client_cpu = me.cpu_percent(None)
    monitor.stop()
    rss_end = monitor.rss_mb()
    lat = np.array([x for log in logs for x in log.latencies]) * 1e3
    loads = np.array([log.load_seconds for log in logs if np.isfinite(log.load_seconds)]) * 1e3
    errors = [e for log in logs for e in log.errors] + [f"{hung} students hung"] * (hung > 0)
    cpu = [c for t, c, _ in monitor.samples]
    k = max(1, min(5, len(cpu) // 4))
    return LoadResult(
        setup=setup,
        students=students,
        duration=duration,
        reruns=len(lat),
        p50_ms=float(np.percentile(lat, 50)) if len(lat) else float("nan"),
        p95_ms=float(np.percentile(lat, 95)) if len(lat) else float("nan"),
        max_ms=float(lat.max()) if len(lat) else float("nan"),
        errors=len(errors),
        load_p95_ms=float(np.percentile(loads, 95)) if len(loads) else float("nan"),
        cpu_mean_pct=statistics.fmean(cpu) if cpu else float("nan"),
        cpu_start_pct=statistics.fmean(cpu[:k]) if cpu else float("nan"),
        cpu_end_pct=statistics.fmean(cpu[-k:]) if cpu else float("nan"),
        rss_start_mb=rss_start,
        rss_end_mb=rss_end,
        client_cpu_pct=client_cpu,
        error_samples=sorted(set(errors))[:5],
    )


def _target_ms(students: int) -> float:
    """The p95 target for a class: 300 ms up to 30 students, 1 s up to 100 (issue 4)."""
    return TARGETS_P95_MS[30] if students <= 30 else TARGETS_P95_MS[100]


def _verdict(r: LoadResult) -> str:
    target = _target_ms(r.students)
    ok = r.errors == 0 and r.rss_growth_mb <= TARGET_MEMORY_GROWTH_MB and r.p95_ms <= target
    return ("ok" if ok else "MISS") + f" (p95 ≤ {target:.0f}, no errors, growth ≤ 50 MB)"


def print_table(results: list[LoadResult]) -> None:
    """Print the load table (Markdown)."""
    head = (
        "| setup | students | reruns | p50 ms | p95 ms | max ms | errors | first load p95 ms "
        "| server CPU % start/mean/end | RSS start → end MB (growth) | load-gen CPU % | verdict |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in results:
        print(
            f"| {r.setup} | {r.students} | {r.reruns} | {r.p50_ms:.0f} | {r.p95_ms:.0f} "
            f"| {r.max_ms:.0f} | {r.errors} | {r.load_p95_ms:.0f} "
            f"| {r.cpu_start_pct:.0f} / {r.cpu_mean_pct:.0f} / {r.cpu_end_pct:.0f} "
            f"| {r.rss_start_mb:.0f} → {r.rss_end_mb:.0f} ({r.rss_growth_mb:+.0f}) "
            f"| {r.client_cpu_pct:.0f} | {_verdict(r)} |"
        )
    for r in results:
        for e in r.error_samples:
            print(f"  {r.setup}/{r.students}: {e}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 0 when every run met its targets."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--students", type=int, nargs="+", default=[30, 100])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per run (60)")
    ap.add_argument("--interval", type=float, default=3.0, help="seconds between changes (3)")
    ap.add_argument(
        "--setups",
        nargs="+",
        default=["direct"],
        help="direct | proxyN (N Streamlit processes behind nginx); default: direct",
    )
    ap.add_argument("--app", default=str(ROOT / "app.py"), help="app script (default app.py)")
    ap.add_argument(
        "--pages",
        nargs="*",
        help="URL paths the students use (default: every page in pages/)",
    )
    ap.add_argument("--url", help="measure this running server instead of starting one")
    ap.add_argument("--pids", type=int, nargs="*", default=[], help="server pids (with --url)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-run timeout, s")
    ap.add_argument("--p-sidebar", type=float, default=0.2, help="share of sidebar changes")
    ap.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="SECTION.NAME=VALUE",
        help="extra Streamlit option for servers this script starts (repeatable)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = ap.parse_args(argv)

    pages = args.pages
    if pages is None:
        pages = [p.url_path for p in discover_pages(args.app) if p.url_path]
        if not pages:
            pages = [""]
    print(f"pages: {', '.join('/' + p for p in pages)}", file=sys.stderr)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    options = dict(o.split("=", 1) for o in args.option)
    results: list[LoadResult] = []
    for setup in [args.url] if args.url else args.setups:
        for n in args.students:
            print(f"== {setup}: {n} students, {args.duration:.0f} s ...", file=sys.stderr)
            if args.url:
                url, pids, server = args.url, args.pids, None
                warm_urls = [url]
                name = "external"
            elif setup == "direct":
                server = StreamlitServer(args.app, options).start()
                url, pids, name = server.url, server.pids, "1 process"
                warm_urls = server.backend_urls
            elif setup.startswith("proxy"):
                k = int(setup[len("proxy") :] or 1)
                server = Cluster(k, args.app).start()
                url, pids = server.url, server.pids
                warm_urls = server.backend_urls
                name = f"nginx + {k} process{'es' if k > 1 else ''}"
            else:
                ap.error(f"unknown setup {setup!r}")
            try:
                r = run_class(
                    url,
                    warm_urls,
                    pids,
                    name,
                    pages,
                    n,
                    args.duration,
                    args.interval,
                    args.timeout,
                    args.p_sidebar,
                    args.seed,
                )
            finally:
                if server is not None:
                    server.stop()
            results.append(r)
            print(
                f"   p50 {r.p50_ms:.0f} ms, p95 {r.p95_ms:.0f} ms, errors {r.errors}",
                file=sys.stderr,
            )
    print_table(results)
    print(f"load average after: {os.getloadavg()[0]:.2f} (other processes inflate every number)")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) | {"rss_growth_mb": r.rss_growth_mb} for r in results], indent=1)
        )
    return 0 if all(_verdict(r).startswith("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
