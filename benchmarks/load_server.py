"""Start and stop the servers the benchmarks measure, and list the app's pages.

Shared by ``latency.py``, ``load.py`` and ``server_time.py``:

- :func:`discover_pages` lists ``app.py`` and ``pages/*.py`` in navigation order with the URL
  path Streamlit gives each page (file name without the ``1_`` number prefix);
- :class:`StreamlitServer` runs ``streamlit run <app>`` on a free loopback port, from the repo
  root so that ``.streamlit/config.toml`` applies, and stops it afterwards;
- :class:`Cluster` runs ``deploy/start_cluster.sh`` (N Streamlit processes behind nginx).

Both expose ``url`` and ``pids`` (the processes whose CPU and memory the load benchmark
reports).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT", "Cluster", "Page", "StreamlitServer", "discover_pages", "free_port"]


@dataclass(frozen=True)
class Page:
    """One page of the app.

    Attributes
    ----------
    file : Path
        The script.
    url_path : str
        Path in the address bar without the leading slash (``""`` for the start page).
    title : str
        Name shown in the navigation.
    """

    file: Path
    url_path: str
    title: str


def discover_pages(app: Path | str = ROOT / "app.py") -> list[Page]:
    """The start page and every ``pages/*.py`` next to it, in navigation order.

    Streamlit sorts page files by their leading number, then by name, and strips the number
    and the separator that follows it to make the URL path.
    """
    app = Path(app).resolve()
    pages = [Page(app, "", "start page")]
    files = sorted(
        (app.parent / "pages").glob("*.py"),
        key=lambda p: (
            float(m.group(1)) if (m := re.match(r"^(\d+)", p.stem)) else float("inf"),
            p.stem.lower(),
        ),
    )
    for f in files:
        if f.name.startswith("_"):
            continue
        url_path = re.sub(r"^[\d]+[_ -]*", "", f.stem)
        pages.append(Page(f, url_path, url_path.replace("_", " ")))
    return pages


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen | None, timeout: float) -> float:
    """Poll ``/_stcore/health`` until it answers ``ok``; return the seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} not healthy after {timeout:.0f} s")


class StreamlitServer:
    """``streamlit run <app>`` on 127.0.0.1:<free port>, as a context manager.

    Parameters
    ----------
    app : Path or str
        Script to run (default: the repo's ``app.py``).
    options : dict, optional
        Extra ``--section.option value`` pairs (override ``.streamlit/config.toml``).
    log : Path, optional
        File that receives the server's output (default: a temporary file).
    """

    def __init__(
        self,
        app: Path | str = ROOT / "app.py",
        options: dict[str, str] | None = None,
        log: Path | None = None,
    ) -> None:
        self.app = Path(app).resolve()
        self.options = options or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = log
        self.proc: subprocess.Popen | None = None
        self.startup_seconds = float("nan")

    @property
    def pids(self) -> list[int]:
        """The server process."""
        return [self.proc.pid] if self.proc else []

    @property
    def backend_urls(self) -> list[str]:
        """The Streamlit process itself (for warming it up)."""
        return [self.url]

    def start(self, timeout: float = 60.0) -> StreamlitServer:
        """Start the server and wait until its health endpoint answers."""
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.app),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
        ]
        for k, v in self.options.items():
            cmd += [f"--{k}", str(v)]
        if self._log_path is None:
            fd, name = tempfile.mkstemp(prefix="liflab-streamlit-", suffix=".log")
            os.close(fd)
            self._log_path = Path(name)
        self._log = open(self._log_path, "w")
        t0 = time.perf_counter()
        # as deployed (README, deploy/start_cluster.sh): two malloc arenas, not one per thread
        env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_healthy(self.url, self.proc, timeout)
        self.startup_seconds = time.perf_counter() - t0
        return self

    def log_text(self) -> str:
        """What the server printed so far."""
        return self._log_path.read_text(errors="replace") if self._log_path else ""

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc is not None:
            self._log.close()
        self.proc = None

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Cluster:
    """``deploy/start_cluster.sh``: N Streamlit processes behind nginx, on loopback.

    Parameters
    ----------
    backends : int
        Number of Streamlit processes.
    app : Path or str
        Script the processes run.
    """

    def __init__(self, backends: int, app: Path | str = ROOT / "app.py") -> None:
        self.backends = backends
        self.app = Path(app).resolve()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state_dir = Path(tempfile.mkdtemp(prefix="liflab-cluster-"))
        self._env = dict(os.environ, LIFLAB_CLUSTER_DIR=str(self.state_dir))
        self.pids: list[int] = []

    def start(self, timeout: float = 90.0) -> Cluster:
        """Start the cluster detached and wait until it answers through the proxy."""
        if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
            raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
        subprocess.run(
            [
                str(ROOT / "deploy" / "start_cluster.sh"),
                "start",
                "--backends",
                str(self.backends),
                "--port",
                str(self.port),
                "--app",
                str(self.app),
                "--detach",
            ],
            env=self._env,
            check=True,
            timeout=timeout,
        )
        _wait_healthy(self.url, None, timeout)
        pids = (self.state_dir / "streamlit.pids").read_text().split()
        nginx_pid = (self.state_dir / "nginx.pid").read_text().split()
        self.pids = [int(p) for p in pids + nginx_pid]
        return self

    @property
    def backend_urls(self) -> list[str]:
        """The Streamlit processes behind the proxy, addressed directly (for warming up)."""
        conf = (self.state_dir / "backends.conf").read_text()
        return [f"http://{m}" for m in re.findall(r"server\s+([\d.]+:\d+)", conf)]

    def stop(self) -> None:
        """Stop every process the cluster started."""
        subprocess.run(
            [str(ROOT / "deploy" / "start_cluster.sh"), "stop"],
            env=self._env,
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
