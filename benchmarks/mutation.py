"""Mutation score of the fast test suite over lif_core and lif_figures, per module (mutmut).

mutmut (https://github.com/boxed/mutmut, 3.x) makes small changes to the code, one at a
time (an operator, a constant, a string, a dropped argument...), and runs the tests that
reach the changed function against each. A mutant the tests catch is *killed*; one they do
not catch *survived*: either a real gap in the tests, or an *equivalent* mutant that changes
nothing a person could see. Every survivor must be killed by a test or listed, with a
one-line reason, in ``benchmarks/mutation_equivalent.txt`` (next to this script).

Not part of CI (it runs for an hour or more on 2 cores). Usage::

    python benchmarks/mutation.py                  # run (incrementally) and print the table
    python benchmarks/mutation.py --report         # only print the table of the last run
    python benchmarks/mutation.py --survivors      # also print each unexplained survivor's diff
    python benchmarks/mutation.py --fresh          # forget earlier results first
    python benchmarks/mutation.py "lif_core.theory.*"   # only mutants matching a pattern

The tests are the fast suite without the ones that run whole pages in AppTest (marker
``apptest``, set in ``tests/conftest.py``): those take seconds each and read the same numbers
that the figure and core tests check directly, and with them a run takes many hours here.

The repository is copied to a work folder (default ``/tmp/liflab-mutation``) and mutmut runs
there, so the checkout is never touched. Results are kept: a second run re-tests only what
changed. Timeouts count as killed (the mutant made a test hang or run 15 times longer).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT = Path(__file__).resolve().parent / "mutation_equivalent.txt"
SOURCES = ("lif_core", "lif_figures")
STATUS = {1: "killed", 3: "killed", 0: "survived", 33: "no tests", 5: "no tests", 34: "skipped"}
TIMEOUT_CODES = {36, -24, 24, 152, 255}

MUTMUT_CONFIG = """

[tool.mutmut]
source_paths = {sources}
also_copy = {also}
pytest_add_cli_args = [
    "-m", "not browser and not apptest", "-x", "-q", "-p", "no:cacheprovider",
    "--ignore=tests/browser",
]
"""


def _files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [f for f in out.splitlines() if (ROOT / f).is_file()]


def sync(work: Path) -> Path:
    """Copy the checkout's files into ``work/src`` (only changed ones), with mutmut's config."""
    src = work / "src"
    src.mkdir(parents=True, exist_ok=True)
    wanted = set(_files())
    for rel in wanted:
        a, b = ROOT / rel, src / rel
        if not b.exists() or a.read_bytes() != b.read_bytes():
            b.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(a, b)
    for path in list(src.rglob("*")):  # files deleted from the checkout
        rel = path.relative_to(src).as_posix()
        if path.is_file() and not rel.startswith(("mutants/", ".")) and rel not in wanted:
            if "__pycache__" not in rel:
                path.unlink()
    # everything else the tests may read (the app's modules, pages, deploy files...)
    also = sorted(
        {
            rel.split("/")[0] + ("/" if "/" in rel else "")
            for rel in wanted
            if rel.split("/")[0] not in (*SOURCES, "tests")
        }
    )
    config = MUTMUT_CONFIG.format(
        sources=json.dumps([f"{s}/" for s in SOURCES]), also=json.dumps(also)
    )
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (src / "pyproject.toml").write_text(pyproject + config, encoding="utf-8")
    return src


def load_equivalent() -> dict[str, str]:
    """``mutant name -> reason`` from the equivalents file (``name  # reason`` per line)."""
    out = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition("#")
            out[name.strip()] = reason.strip()
    return out


def results(src: Path) -> dict[str, dict[str, str]]:
    """``module -> {mutant name: status}`` from mutmut's result files."""
    out: dict[str, dict[str, str]] = {}
    for meta in sorted((src / "mutants").rglob("*.py.meta")):
        rel = meta.relative_to(src / "mutants").as_posix()[: -len(".meta")]
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data.get("exit_code_by_key", {})
        statuses = {}
        for name, code in codes.items():
            if code in TIMEOUT_CODES:
                statuses[name] = "timeout"
            else:
                statuses[name] = STATUS.get(code, "not checked" if code is None else "suspicious")
        out[rel] = statuses
    return out


def table(res: dict[str, dict[str, str]], equivalent: dict[str, str]) -> tuple[str, list[str]]:
    """The per-module table (Markdown) and the unexplained survivors."""
    head = (
        "| module | mutants | killed | timeout | survived: equivalent | survived: unexplained "
        "| no tests | not checked | killed % |"
    )
    lines = [head, "|" + "---|" * 9]
    unexplained: list[str] = []
    totals: dict[str, Counter] = {}
    for module, statuses in res.items():
        c = Counter(statuses.values())
        eq = [n for n, s in statuses.items() if s == "survived" and n in equivalent]
        un = [n for n, s in statuses.items() if s == "survived" and n not in equivalent]
        unexplained += un
        n = len(statuses)
        killed = c["killed"] + c["timeout"]
        row = Counter(
            total=n,
            killed=c["killed"],
            timeout=c["timeout"],
            eq=len(eq),
            un=len(un),
            none=c["no tests"],
            todo=c["not checked"],
        )
        for group in (module.split("/")[0], "all"):
            totals.setdefault(group, Counter()).update(row)
        pct = 100.0 * killed / n if n else 100.0
        lines.append(
            f"| {module} | {n} | {c['killed']} | {c['timeout']} | {len(eq)} | {len(un)} "
            f"| {c['no tests']} | {c['not checked']} | {pct:.1f} |"
        )
    for group, t in totals.items():
        pct = 100.0 * (t["killed"] + t["timeout"]) / t["total"] if t["total"] else 100.0
        lines.append(
            f"| **{group}** | {t['total']} | {t['killed']} | {t['timeout']} | {t['eq']} "
            f"| {t['un']} | {t['none']} | {t['todo']} | **{pct:.1f}** |"
        )
    return "\n".join(lines), unexplained


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="mutant name patterns (fnmatch) to run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/liflab-mutation"))
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--survivors", action="store_true", help="print unexplained survivors")
    parser.add_argument(
        "--results", type=Path, help="report on the mutmut folder of another run (no run)"
    )
    args = parser.parse_args()
    if args.results is not None:
        args.report = True

    if args.fresh and args.work.exists():
        shutil.rmtree(args.work)
    src = args.results if args.results is not None else sync(args.work)
    if not args.report:
        started = time.monotonic()
        cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.children)]
        log = args.work / "mutmut.log"
        print(f"running mutmut in {src} (log: {log})", flush=True)
        with log.open("w") as out:
            subprocess.run(cmd + args.patterns, cwd=src, stdout=out, stderr=subprocess.STDOUT)
        print(f"mutmut took {time.monotonic() - started:.0f} s", flush=True)

    equivalent = load_equivalent()
    res = results(src)
    if args.patterns:
        res = {
            m: {n: s for n, s in st.items() if any(fnmatch.fnmatch(n, p) for p in args.patterns)}
            for m, st in res.items()
        }
    text, unexplained = table(res, equivalent)
    print(text)
    known = {n for st in res.values() for n in st}
    stale = sorted(set(equivalent) - known)
    if stale and not args.patterns:
        print(f"\n{len(stale)} entries of {EQUIVALENT.name} name no mutant any more: {stale[:10]}")
    print(f"\n{len(unexplained)} unexplained survivors")
    if args.survivors:
        for name in unexplained:
            diff = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", name],
                cwd=src,
                capture_output=True,
                text=True,
            ).stdout
            changed = [
                ln
                for ln in diff.splitlines()
                if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
            ]
            print(f"{name}: {' | '.join(changed)[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
