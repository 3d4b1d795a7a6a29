// Runs chart previews (lab_preview.js + preview/*.js over lif_engine.js) under Node, for
// tests/test_preview_7_9.py and benchmarks/bench_preview_7_9.py.
//
//   node tests/js/run_preview.js < cases.json > results.json
//
// Input: {"compare": "<the browser tests' COMPARE_JS source>", "cases": [{"key", "spec",
// "figure", "repeat"}]}: each case registers a chart (its preview spec and Python's figure)
// as lab_chart.js does, then compares the preview at the spec's values with the figure (the
// browser tests' comparison, word for word) and times the recipe's compute (ms, the median
// of `repeat` runs). A case {"expr": "<JS expression>"} is evaluated instead (e.g. a call of
// LIFBeyondCore), its value returned (typed arrays as arrays, nan/inf as strings). Output:
// one {"diff": [...], "compute_ms": number}, {"value": ...} or {"error": message} per case.
// The page's DOM is not needed: a stub stands in for the slider observer.
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const ROOT = path.join(__dirname, "..", "..");

globalThis.document = { body: {}, fullscreenElement: null };
globalThis.MutationObserver = class {
  observe() {}
};
globalThis.requestAnimationFrame = () => 0;

const scripts = [
  "lif_engine.js",
  "lif_engine_draw.js",
  "lab_preview.js",
  ...fs
    .readdirSync(path.join(ROOT, "preview"))
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((f) => path.join("preview", f)),
];
for (const file of scripts) {
  vm.runInThisContext(fs.readFileSync(path.join(ROOT, file), "utf8"), { filename: file });
}

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const { compare, cases } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const compareFn = vm.runInThisContext(`(${compare})`);
  const plain = (k, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v, (x) => (Number.isFinite(x) ? x : String(x)));
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    return v;
  };
  const results = cases.map(({ key, spec, figure, repeat = 1, expr }) => {
    try {
      if (expr !== undefined) {
        return { value: JSON.parse(JSON.stringify(vm.runInThisContext(expr), plain)) };
      }
      const graph = { dataset: { key }, isConnected: true };
      globalThis.LIFLive.register(graph, spec, figure);
      const diff = compareFn(key);
      const times = [];
      for (let i = 0; i < repeat; i++) {
        const t0 = performance.now();
        globalThis.LIFLive.previewFigure(key, {});
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return { diff, compute_ms: times[Math.floor(times.length / 2)] };
    } catch (error) {
      return { error: String(error && error.stack ? error.stack : error) };
    }
  });
  process.stdout.write(JSON.stringify(results, plain));
});
