// Loads LIF Lab's browser engine under Node the way the browser does: the engine files
// concatenated in order and run as one script (tests/test_js_engine.py, the benchmark).
//
//   const LIFEngine = require("./load_engine.js");
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const ROOT = path.join(__dirname, "..", "..");
// In this order; tests/js/engine_cases.py's ENGINE_FILES names the same files.
const ENGINE_FILES = ["lif_engine.js", "lif_engine_draw.js"];

if (!globalThis.LIFEngine) {
  const source = ENGINE_FILES.map((f) => fs.readFileSync(path.join(ROOT, f), "utf8")).join("\n");
  vm.runInThisContext(source, { filename: ENGINE_FILES.join(" + ") });
}

module.exports = globalThis.LIFEngine;
