"""Mutation score of the fast test suite over lif_core and lif_figures, per module (mutmut).

mutmut (https://github.com/boxed/mutmut, 3.x) makes small changes to the code, one at a
time (an operator, a constant, a string, a dropped argument...), and runs the tests that
reach the changed function against each. A mutant the tests catch is *killed*; one they do
not catch *survived*: either a real gap in the tests, or an *equivalent* mutant that changes
nothing a person could see. Every survivor must be killed by a test or listed, with a
one-line reason, in ``benchmarks/mutation_equivalent.txt`` (next to this script). mutmut
numbers a function's mutants in order, so an edit renumbers those after it: the entries of an
edited function must be checked again (``mutmut show <name>`` in the work folder's ``src``).

Not part of CI (it runs for an hour or more on 2 cores). Usage::

    python benchmarks/mutation.py                  # run (incrementally) and print the table
    python benchmarks/mutation.py --report         # only print the table of the last run
    python benchmarks/mutation.py --survivors      # also print each unexplained survivor's diff
    python benchmarks/mutation.py --fresh          # forget earlier results first
    python benchmarks/mutation.py "lif_core.units.*" "lif_core.theory.*"  # these, in this order
    python benchmarks/mutation.py --redo "lif_core.units.*"  # re-test killed mutants as well
    python benchmarks/mutation.py --report --save  # record a stopped run's results
    python benchmarks/mutation.py --work /tmp/mine --no-save "lif_core.noise.x_f*"  # try only

The tests are the fast suite without the ones that run whole pages in AppTest (marker
``apptest``, set in ``tests/conftest.py``): those take seconds each and read the same numbers
that the figure and core tests check directly, and with them a run takes many hours here.

The repository is copied to a work folder (default ``/tmp/liflab-mutation``) and mutmut runs
there, so the checkout is never touched. Timeouts count as killed (the mutant made a test
hang or run 15 times longer).

Results are kept in the repository, in ``benchmarks/mutation_results.json``: per mutated
function, the hash mutmut gives its source and the exit code of each of its mutants (one
function a line). A run writes it at the end (``--report --save`` writes it after a run that
was stopped), and before a run its results are put back into mutmut's ``mutants/*.py.meta``
files, where mutmut keeps a verdict only while the function's hash is unchanged. ``--report``
on a new machine prints the recorded results. A run (with or without patterns) tests only the
mutants that are not yet killed or listed as equivalent: new ones, those of changed functions,
and survivors (a test may have been added since); ``--redo`` tests every matching mutant.

The table gives two scores per module: killed (timeouts included) of all mutants, and of all
but the equivalent ones, which no test can kill. "Not checked" counts as not killed in both.
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
RESULTS = Path(__file__).resolve().parent / "mutation_results.json"
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


# A module's record: mutmut's function hashes ("x_f" -> hash) and exit codes (mutant -> code).
Record = dict[str, dict]


def _function(mutant: str) -> str:
    """``lif_core.units.x_to_si__mutmut_3`` -> ``x_to_si`` (the key of mutmut's hashes)."""
    return mutant.rpartition("__mutmut_")[0].rpartition(".")[2]


def read_meta(src: Path) -> dict[str, Record]:
    """``module path -> record`` from mutmut's result files in ``src/mutants``."""
    out = {}
    for meta in sorted((src / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("exit_code_by_key"):
            rel = meta.relative_to(src / "mutants").as_posix()[: -len(".meta")]
            out[rel] = {"hashes": data["hash_by_function_name"], "codes": data["exit_code_by_key"]}
    return out


def load_recorded() -> dict[str, Record]:
    """The records kept in ``mutation_results.json`` (empty if there is none)."""
    if not RESULTS.exists():
        return {}
    out: dict[str, Record] = {}
    for module, functions in json.loads(RESULTS.read_text(encoding="utf-8")).items():
        record: Record = {"hashes": {}, "codes": {}}
        for prefix, (digest, codes) in functions.items():
            record["hashes"][prefix.rpartition(".")[2]] = digest
            for i, code in enumerate(codes, start=1):
                record["codes"][f"{prefix}__mutmut_{i}"] = code
        out[module] = record
    return out


def save_recorded(records: dict[str, Record]) -> None:
    """Write ``mutation_results.json``: per function ``[hash, [exit code of mutant 1, 2...]]``."""
    lines = []
    for module, record in sorted(records.items()):
        functions: dict[str, list] = {}
        for mutant, code in record["codes"].items():
            prefix, _, number = mutant.rpartition("__mutmut_")
            codes = functions.setdefault(prefix, [])
            codes += [None] * (int(number) - len(codes))
            codes[int(number) - 1] = code
        body = ",\n".join(
            f"    {json.dumps(prefix, ensure_ascii=False)}: "
            f"{json.dumps([record['hashes'].get(prefix.rpartition('.')[2]), codes])}"
            for prefix, codes in sorted(functions.items())
        )
        lines.append(f"  {json.dumps(module)}: {{\n{body}\n  }}")
    RESULTS.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def merge(recorded: dict[str, Record], current: dict[str, Record]) -> dict[str, Record]:
    """mutmut's current records, with the recorded verdicts of functions whose hash is unchanged.

    A module mutmut has results for is taken from mutmut (its mutants are the current ones);
    a mutant it has not tested gets the recorded exit code if its function has the same hash.
    Modules only in the record are kept as recorded.
    """
    out = dict(recorded)
    for module, record in current.items():
        old = recorded.get(module, {"hashes": {}, "codes": {}})
        codes = {}
        for mutant, code in record["codes"].items():
            func = _function(mutant)
            same = func in record["hashes"] and old["hashes"].get(func) == record["hashes"][func]
            codes[mutant] = old["codes"].get(mutant) if code is None and same else code
        out[module] = {"hashes": record["hashes"], "codes": codes}
    return out


def restore(src: Path) -> None:
    """Put the recorded verdicts into mutmut's meta files (before a run, never during one).

    On a new machine this writes meta files that hold only hashes and exit codes: mutmut,
    generating the mutants, keeps an exit code where the function's hash is the same.
    """
    current = read_meta(src)
    for module, record in merge(load_recorded(), current).items():
        meta = src / "mutants" / (module + ".meta")
        data = (
            json.loads(meta.read_text(encoding="utf-8"))
            if meta.exists()
            else {"durations_by_key": {}, "estimated_durations_by_key": {}}
        )
        data["hash_by_function_name"] = record["hashes"]
        data["exit_code_by_key"] = record["codes"]
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps(data, indent=4, ensure_ascii=False), encoding="utf-8")


def status(code: int | None) -> str:
    """What an exit code of mutmut's means here."""
    if code in TIMEOUT_CODES:
        return "timeout"
    return STATUS.get(code, "not checked" if code is None else "suspicious")


def results(records: dict[str, Record]) -> dict[str, dict[str, str]]:
    """``module -> {mutant name: status}``."""
    return {
        module: {name: status(code) for name, code in record["codes"].items()}
        for module, record in sorted(records.items())
    }


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}" if whole else "-"


def table(res: dict[str, dict[str, str]], equivalent: dict[str, str]) -> tuple[str, list[str]]:
    """The per-module table (Markdown) and the unexplained survivors.

    Two scores: killed (with timeouts) of all mutants, and of the mutants that can be killed
    at all (all minus those listed as equivalent). Both count "not checked" as not killed.
    """
    head = (
        "| module | mutants | killed | timeout | survived: equivalent | survived: unexplained "
        "| no tests | not checked | killed % of all | killed % of all − equivalent |"
    )
    lines = [head, "|" + "---|" * 10]
    unexplained: list[str] = []
    rows: dict[str, Counter] = {}
    totals: dict[str, Counter] = {}
    for module, statuses in res.items():
        if not statuses:
            continue
        c = Counter(statuses.values())
        eq = [n for n, s in statuses.items() if s == "survived" and n in equivalent]
        un = [n for n, s in statuses.items() if s == "survived" and n not in equivalent]
        unexplained += un
        rows[module] = row = Counter(
            total=len(statuses),
            killed=c["killed"],
            timeout=c["timeout"],
            eq=len(eq),
            un=len(un),
            none=c["no tests"],
            todo=c["not checked"],
        )
        for group in (module.split("/")[0], "all"):
            totals.setdefault(group, Counter()).update(row)
    for name, t in [*rows.items(), *((f"**{g}**", t) for g, t in totals.items())]:
        killed = t["killed"] + t["timeout"]
        lines.append(
            f"| {name} | {t['total']} | {t['killed']} | {t['timeout']} | {t['eq']} | {t['un']} "
            f"| {t['none']} | {t['todo']} | {_percent(killed, t['total'])} "
            f"| {_percent(killed, t['total'] - t['eq'])} |"
        )
    return "\n".join(lines), unexplained


def run_mutmut(children: int, patterns: list[str]) -> None:
    """``mutmut run`` on the mutants not yet killed or listed as equivalent, pattern by pattern.

    mutmut itself re-tests every mutant a pattern names, and without patterns none it has a
    verdict for (not even a survivor a new test may kill now); it runs the mutants with the
    fastest tests first. Here the mutants of the first pattern go first (fastest first), then
    those of the second... Runs in mutmut's process (``--as-mutmut``), in the work folder.
    """
    import mutmut.__main__ as mutmut_main

    equivalent = load_equivalent()
    collect = mutmut_main.collect_source_file_mutation_data
    time_of = mutmut_main.estimated_worst_case_time

    def settled(name: str, code: int | None) -> bool:
        state = status(code)
        return state in ("killed", "timeout") or (state == "survived" and name in equivalent)

    def unsettled(*, mutant_names: list[str]) -> tuple[list, dict]:
        mutants, by_path = collect(mutant_names=mutant_names)
        return [m for m in mutants if not settled(m[1], m[2])], by_path

    def pattern_then_time(name: str) -> tuple[int, float]:
        rank = next((i for i, p in enumerate(patterns) if fnmatch.fnmatch(name, p)), len(patterns))
        return rank, time_of(name)

    mutmut_main.collect_source_file_mutation_data = unsettled
    mutmut_main.estimated_worst_case_time = pattern_then_time
    _fastest_tests_first()
    sys.path[0] = os.getcwd()  # as `python -m mutmut` has it
    mutmut_main.cli(["run", "--max-children", str(children), *patterns], prog_name="mutmut")


_COST_PLUGIN = """
import json, os
from collections import defaultdict
_out, _fixtures = {}, defaultdict(float)
def pytest_runtest_logreport(report):
    _out.setdefault(report.nodeid, 0.0)
    if report.when == "call":
        _out[report.nodeid] += report.duration
    else:
        _fixtures[report.nodeid.split("::")[0]] += report.duration
def pytest_sessionfinish(session):
    costs = {n: d + _fixtures[n.split("::")[0]] for n, d in _out.items()}
    with open(os.environ["LIFLAB_TEST_COSTS"], "w") as f:
        json.dump(costs, f)
"""


def measure_test_costs(work: Path) -> Path:
    """Each fast test's cost (s): its own duration plus its file's fixtures (once per run).

    mutmut's stats count only a test's call, so a test whose file starts Node.js in a fixture
    looks free; here the file's set-up and tear-down time is added to each of its tests, which
    puts such files last. Measured once per work folder (about a minute) and kept there
    (``--fresh`` measures again; tests added since count as the most expensive).
    """
    path = work / "test_costs.json"
    if not path.exists():
        plugin = work / "liflab_test_costs.py"
        plugin.write_text(_COST_PLUGIN, encoding="utf-8")
        env = {**os.environ, "LIFLAB_TEST_COSTS": str(path), "PYTHONPATH": str(work)}
        args = ["-m", "not browser and not apptest", "-q", "-p", "no:cacheprovider"]
        subprocess.run(
            [sys.executable, "-m", "pytest", *args, "--ignore=tests/browser", "-p", plugin.stem],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
        )
    return path


#: A test that runs longer than this many times its duration in mutmut's stats run (plus
#: PER_TEST_SLACK seconds) ends its mutant's run as a timeout.
PER_TEST_FACTOR = 10.0
PER_TEST_SLACK = 2.0


def _fastest_tests_first() -> None:
    """Run a mutant's tests fastest first, each with a time limit (same verdicts, sooner).

    mutmut hands pytest a mutant's tests in set order and stops at the first failure (``-x``).
    For the engine (``_exact``) that is nearly the whole suite, the JavaScript agreement
    tests included: a mutant the core tests kill in 0.1 s waited for seconds of other tests
    first (measured: 3 mutants a minute). Sorting by cost (:func:`measure_test_costs`), file
    by file, kills the same mutants, sooner. (In set order, or test by test across files,
    pytest also sets a file's module fixtures up again each time it comes back to the file: a
    survivor's run of the engine's tests then took over 120 s of CPU and mutmut called it a
    timeout.)
    mutmut's own time limit is 30x the *sum* of the tests' call durations; a test that hangs
    is stopped after PER_TEST_FACTOR times its own duration of CPU time instead, with exit
    code 36 (a timeout, counted as killed).
    """
    import signal

    import pytest
    from mutmut.runners import harness
    from mutmut.state import state

    regular = harness.PytestRunner._pytest_args_regular_run
    costs = json.loads(Path(os.environ["LIFLAB_TEST_COSTS"]).read_text(encoding="utf-8"))

    files: dict[str, float] = {}
    for test, cost in costs.items():
        files[test.split("::")[0]] = files.get(test.split("::")[0], 0.0) + cost

    def fastest_first(self: harness.PytestRunner, tests: list[str]) -> list[str]:
        # file by file (pytest tears a module's fixtures down when the next test is in
        # another file: tests of many files interleaved set them up again and again), the
        # cheapest files first, each file's tests cheapest first
        def key(test: str) -> tuple[float, str, float, str]:
            file = test.split("::")[0]
            return files.get(file, 600.0), file, costs.get(test, 60.0), test

        return regular(self, sorted(tests, key=key))

    class PerTestLimit:
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_call(self, item: pytest.Item):
            duration = state().duration_by_test.get(item.nodeid, 1.0)
            limit = PER_TEST_FACTOR * duration + PER_TEST_SLACK
            # CPU time of the process, not wall time: a run beside other work (nice) must
            # not turn a slow-to-be-scheduled test into a "timeout"
            signal.signal(signal.SIGPROF, lambda *_: os._exit(36))
            signal.setitimer(signal.ITIMER_PROF, limit)
            try:
                return (yield)
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)

    def run_tests(self: harness.PytestRunner, *, mutant_name: str | None, tests: list[str]) -> int:
        del mutant_name  # mutmut's signature
        with harness.change_cwd("mutants"):
            args = self._pytest_args_regular_run(tests)
            return int(self.execute_pytest(args, plugins=[PerTestLimit()]))

    harness.PytestRunner._pytest_args_regular_run = fastest_first
    harness.PytestRunner.run_tests = run_tests


def main() -> int:
    if sys.argv[1:2] == ["--as-mutmut"]:
        run_mutmut(int(sys.argv[2]), sys.argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="mutant name patterns (fnmatch) to run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/liflab-mutation"))
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--redo", action="store_true", help="re-test killed mutants too")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument(
        "--save", action="store_true", help=f"with --report: write {RESULTS.name} (no run)"
    )
    parser.add_argument(
        "--no-save",
        action="store_true",
        help=f"run but do not write {RESULTS.name} (parallel runs in their own --work folders)",
    )
    parser.add_argument("--survivors", action="store_true", help="print unexplained survivors")
    parser.add_argument(
        "--results", type=Path, help="report on the mutmut folder of another run (no run)"
    )
    args = parser.parse_args()
    if args.results is not None:
        args.report = True

    if args.fresh and args.work.exists():
        shutil.rmtree(args.work)
    if args.results is not None:
        src = args.results
    elif args.report:
        src = args.work / "src"  # as it is: a run may be writing there
    else:
        src = sync(args.work)
        if not args.fresh:
            restore(src)
        started = time.monotonic()
        patterns = args.patterns or [f"{s}.*" for s in SOURCES]
        if args.redo:  # mutmut's own order
            cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.children)]
        else:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--as-mutmut", str(args.children)]
        # one BLAS thread per test process: mutmut runs two at a time on 2 cores, and with
        # OpenBLAS's own threads each survivor's run took ~2 min beside them and went over
        # mutmut's CPU-time limit (false timeouts)
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
        os.environ["LIFLAB_TEST_COSTS"] = str(measure_test_costs(args.work))
        log = args.work / "mutmut.log"
        print(f"running mutmut in {src} (log: {log})", flush=True)
        with log.open("w") as out:
            subprocess.run(cmd + patterns, cwd=src, stdout=out, stderr=subprocess.STDOUT)
        print(f"mutmut took {time.monotonic() - started:.0f} s", flush=True)

    records = merge({} if args.fresh else load_recorded(), read_meta(src))
    if (not args.report and not args.no_save) or args.save:
        save_recorded(records)
        print(f"results written to {RESULTS.relative_to(ROOT)}")
    equivalent = load_equivalent()
    res = results(records)
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
