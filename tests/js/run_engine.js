// Runs many calls of the engine (lif_engine.js + lif_engine_draw.js, see load_engine.js) in one
// Node process, for tests/test_js_engine.py.
//
//   node tests/js/run_engine.js < cases.json > results.json
//
// Input: {"cases": [{"fn": "theory.firing_rate", "args": [...]}, ...]} (a "fn" such as
// ".step_means" calls that method of the first argument on the others); a case may name
// the "fields" of a SimulationResult to send back (default: all). Output: one entry per
// case, {"ok": value} or {"error": message, "type": "Error" | "TypeError"}. Arrays travel as
// {"f64": base64} (float64, little-endian), {"u8": ...} or {"i32": ...}; nan and infinities as
// {"num": "nan" | "inf" | "-inf"}, which JSON cannot hold. An argument {"call": {"fn", "args"}}
// is the result of that call (e.g. a stimulus computed in JS, as a preview would). A
// SimulationResult becomes a plain object with the fields asked for and its rate().
"use strict";

const path = require("path");
const LIFEngine = require("./load_engine.js");

const TYPED = { f64: Float64Array, u8: Uint8Array, i32: Int32Array };

function decode(x) {
  if (Array.isArray(x)) return x.map(decode);
  if (x === null || typeof x !== "object") return x;
  for (const [tag, Type] of Object.entries(TYPED)) {
    if (tag in x) {
      const bytes = Buffer.from(x[tag], "base64");
      return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    }
  }
  if ("num" in x) return Number(x.num.replace("inf", "Infinity").replace("nan", "NaN"));
  if ("call" in x) return run(x.call.fn, decode(x.call.args)); // an argument computed in JS
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
}

const RESULT_FIELDS = [
  "t", "V", "refractory", "spike_times", "I", "g_syn", "E_syn", "dt", "n_steps", "duration",
  "warnings", "I_R", "I_C", "I_syn",
];

function encode(x, fields = RESULT_FIELDS) {
  if (typeof x === "number") {
    return Number.isFinite(x) ? x : { num: Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf" };
  }
  if (x instanceof LIFEngine.SimulationResult) {
    return { ...Object.fromEntries(fields.map((k) => [k, encode(x[k])])), rate: x.rate() };
  }
  if (ArrayBuffer.isView(x)) {
    const tag = Object.keys(TYPED).find((t) => x instanceof TYPED[t]);
    return { [tag]: Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("base64") };
  }
  if (Array.isArray(x)) return x.map((v) => encode(v));
  if (x !== null && typeof x === "object") {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(v)]));
  }
  return x;
}

function run(fn, args) {
  if (fn.startsWith(".")) return args[0][fn.slice(1)](...args.slice(1)); // a method of args[0]
  const f = fn.split(".").reduce((obj, key) => obj[key], LIFEngine);
  if (typeof f !== "function") throw new TypeError(`LIFEngine.${fn} is not a function`);
  return f(...args);
}

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const { cases } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = cases.map(({ fn, args, fields }) => {
    try {
      return { ok: encode(run(fn, decode(args)), fields) };
    } catch (error) {
      return { error: error.message, type: error.name };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
