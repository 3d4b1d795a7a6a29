// LIF Lab's drag frames, the drawing: traces and shapes on a canvas laid over a plotly chart.
//
// lab_canvas.js decides what to draw (the traces whose data moved, with the SVG styles plotly
// drew them in); this file draws it with plotly's axis mappings (ax._offset + ax.c2p(v), linear
// and log axes alike): lines with their dashes, markers with plotly's own symbol path, fills to
// zero, vertical bars, symmetric error bars, text labels, line or rectangle shapes, and
// annotation arrows without text.
// LIFCanvasDraw.canvasOf(gd) (sized and cleared), .clearCanvas(gd), .drawTrace(ctx, d),
// .drawShape(ctx, shape), .drawArrows(ctx, arrows). Plain script (no export): concatenated
// before lab_canvas.js.

const LIFCanvasDraw = (() => {
  function canvasOf(gd) {
    const fl = gd._fullLayout;
    let canvas = gd.__lifCanvas;
    const svg = gd.querySelector(".svg-container > svg.main-svg");
    if (!svg) return null;
    if (!canvas || !canvas.isConnected) {
      canvas = document.createElement("canvas");
      canvas.className = "lif-drag-canvas";
      canvas.setAttribute("aria-hidden", "true");
      // its own compositing layer (will-change): without a GPU Chromium otherwise repaints the
      // whole document under the canvas on every drag frame (measured in a trace of chapter
      // 3's drag, 60 frames: "Paint" 182 ms -> 75 ms)
      canvas.style.cssText =
        "position:absolute;left:0;top:0;pointer-events:none;will-change:transform;";
      svg.after(canvas); // above the traces, below the legend, annotations and hover labels
      gd.__lifCanvas = canvas;
    }
    const ratio = window.devicePixelRatio || 1;
    const w = fl.width;
    const h = fl.height;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    return ctx;
  }

  const num = (v, dflt) => (v === "" || v === undefined || v === null ? dflt : parseFloat(v));
  const dashes = (s) => (!s || s === "none" ? [] : s.split(/[ ,]+/).map(parseFloat).filter(Number.isFinite));

  // the trace's points in pixels (NaN where plotly leaves a gap)
  function points(d) {
    const n = Math.min(d.x.length, d.y.length);
    const px = new Float64Array(n);
    const py = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const x = d.x[k];
      const y = d.y[k];
      px[k] = x === null || !Number.isFinite(+x) ? NaN : d.xa._offset + d.xa.c2p(+x);
      py[k] = y === null || !Number.isFinite(+y) ? NaN : d.ya._offset + d.ya.c2p(+y);
    }
    return { px, py, n };
  }

  function tracePath(ctx, px, py, n) {
    let open = false;
    for (let k = 0; k < n; k++) {
      if (Number.isNaN(px[k]) || Number.isNaN(py[k])) {
        open = false;
      } else if (open) {
        ctx.lineTo(px[k], py[k]);
      } else {
        ctx.moveTo(px[k], py[k]);
        open = true;
      }
    }
  }

  function drawTrace(ctx, d) {
    const { px, py, n } = points(d);
    ctx.save();
    ctx.globalAlpha = d.opacity;
    if (d.clip) {
      ctx.beginPath();
      ctx.rect(d.xa._offset, d.ya._offset, d.xa._length, d.ya._length);
      ctx.clip();
    }
    if (d.fill && d.fill.fill && d.fill.fill !== "none") {
      const base = d.ya._offset + d.ya.c2p(0);
      ctx.beginPath();
      let first = -1;
      let last = -1;
      for (let k = 0; k < n; k++) {
        if (Number.isNaN(px[k]) || Number.isNaN(py[k])) continue;
        if (first < 0) {
          first = k;
          ctx.moveTo(px[k], base);
        }
        ctx.lineTo(px[k], py[k]);
        last = k;
      }
      if (first >= 0) {
        ctx.lineTo(px[last], base);
        ctx.closePath();
        ctx.fillStyle = d.fill.fill;
        ctx.globalAlpha = d.opacity * num(d.fill.fillOpacity, 1);
        ctx.fill();
        ctx.globalAlpha = d.opacity;
      }
    }
    if (d.bars) drawBars(ctx, d, px, py, n);
    if (d.errors) drawErrors(ctx, d, px, n);
    if (d.line) {
      const width = num(d.line.strokeWidth, 0);
      if (width > 0 && d.line.stroke && d.line.stroke !== "none") {
        ctx.beginPath();
        tracePath(ctx, px, py, n);
        ctx.lineWidth = width;
        ctx.strokeStyle = d.line.stroke;
        ctx.setLineDash(dashes(d.line.strokeDasharray));
        // as plotly's SVG draws lines (miter joins, limit 2, butt caps); a round join also
        // costs twice as much to raster in software where a trace jumps (spikes)
        ctx.lineJoin = "miter";
        ctx.miterLimit = 2;
        ctx.lineCap = "butt";
        ctx.globalAlpha = d.opacity * num(d.line.strokeOpacity, 1) * num(d.line.opacity, 1);
        ctx.stroke();
        ctx.globalAlpha = d.opacity;
      }
    }
    if (d.marker) {
      const s = d.marker.style;
      const fill = s.fill && s.fill !== "none" ? s.fill : null;
      const width = num(s.strokeWidth, 0);
      const stroke = width > 0 && s.stroke && s.stroke !== "none" ? s.stroke : null;
      const alpha = d.opacity * num(s.opacity, 1);
      ctx.setLineDash([]);
      ctx.lineWidth = width;
      const m = ctx.getTransform(); // the device-pixel scale, no rotation
      for (let k = 0; k < n; k++) {
        if (Number.isNaN(px[k]) || Number.isNaN(py[k])) continue;
        ctx.setTransform(m.a, 0, 0, m.d, m.e + m.a * px[k], m.f + m.d * py[k]);
        if (fill) {
          ctx.fillStyle = fill;
          ctx.globalAlpha = alpha * num(s.fillOpacity, 1);
          ctx.fill(d.marker.path);
        }
        if (stroke) {
          ctx.strokeStyle = stroke;
          ctx.globalAlpha = alpha * num(s.strokeOpacity, 1);
          ctx.stroke(d.marker.path);
        }
      }
      ctx.setTransform(m);
    }
    if (d.text) drawTexts(ctx, d.text, px, py, n);
    ctx.restore();
  }

  // vertical bars from 0 to y, `width` wide in data units, with the first bar's SVG style
  function drawBars(ctx, d, px, py, n) {
    const s = d.bars.style;
    const base = d.ya._offset + d.ya.c2p(0);
    const stroke = num(s.strokeWidth, 0) > 0 && s.stroke && s.stroke !== "none";
    ctx.setLineDash([]);
    for (let k = 0; k < n; k++) {
      if (Number.isNaN(px[k]) || Number.isNaN(py[k])) continue;
      const x = +d.x[k];
      const left = d.xa._offset + d.xa.c2p(x - d.bars.width / 2);
      const right = d.xa._offset + d.xa.c2p(x + d.bars.width / 2);
      ctx.beginPath();
      ctx.rect(left, Math.min(base, py[k]), right - left, Math.abs(py[k] - base));
      if (s.fill && s.fill !== "none") {
        ctx.fillStyle = s.fill;
        ctx.globalAlpha = d.opacity * num(s.opacity, 1) * num(s.fillOpacity, 1);
        ctx.fill();
      }
      if (stroke) {
        ctx.lineWidth = num(s.strokeWidth, 0);
        ctx.strokeStyle = s.stroke;
        ctx.globalAlpha = d.opacity * num(s.opacity, 1) * num(s.strokeOpacity, 1);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = d.opacity;
  }

  // symmetric vertical error bars with caps (plotly's path: cap, stem, cap)
  function drawErrors(ctx, d, px, n) {
    const s = d.errors.style;
    const w = d.errors.cap;
    ctx.beginPath();
    for (let k = 0; k < n; k++) {
      const e = +d.errors.array[k];
      const y = +d.y[k];
      if (Number.isNaN(px[k]) || !Number.isFinite(e) || !Number.isFinite(y)) continue;
      const top = d.ya._offset + d.ya.c2p(y + e);
      const bottom = d.ya._offset + d.ya.c2p(y - e);
      ctx.moveTo(px[k], top);
      ctx.lineTo(px[k], bottom);
      if (w > 0) {
        ctx.moveTo(px[k] - w, top);
        ctx.lineTo(px[k] + w, top);
        ctx.moveTo(px[k] - w, bottom);
        ctx.lineTo(px[k] + w, bottom);
      }
    }
    ctx.lineWidth = num(s.strokeWidth, 1);
    ctx.strokeStyle = s.stroke || "#000";
    ctx.setLineDash([]);
    ctx.globalAlpha = d.opacity * num(s.strokeOpacity, 1) * num(s.opacity, 1);
    ctx.stroke();
    ctx.globalAlpha = d.opacity;
  }

  // a trace's text labels at textposition (plotly: beside the marker, 2 px apart)
  function drawTexts(ctx, t, px, py, n) {
    const s = t.style;
    ctx.font = `${s.fontWeight || ""} ${s.fontSize || "12px"} ${s.fontFamily || "sans-serif"}`;
    ctx.fillStyle = s.fill || "#000";
    const size = parseFloat(s.fontSize) || 12;
    const gap = t.size / 2 + 2;
    for (let k = 0; k < n; k++) {
      if (Number.isNaN(px[k]) || Number.isNaN(py[k])) continue;
      const label = Array.isArray(t.values) ? t.values[k] : t.values;
      if (label === undefined || label === null || label === "") continue;
      const where = String((Array.isArray(t.where) ? t.where[k] : t.where) || "middle center");
      const [v, h] = where.split(" ");
      ctx.textAlign = h === "right" ? "left" : h === "left" ? "right" : "center";
      ctx.textBaseline = v === "top" ? "bottom" : v === "bottom" ? "top" : "middle";
      const x = px[k] + (h === "right" ? gap : h === "left" ? -gap : 0);
      const y = py[k] + (v === "top" ? -gap : v === "bottom" ? gap : 0) + (v === "middle" ? size * 0.05 : 0);
      ctx.fillText(String(label), x, y);
    }
  }

  function drawShape(ctx, sh) {
    const [x0, y0, x1, y1] = sh.xy;
    const s = sh.style;
    ctx.save();
    const [xa, ya] = sh.clipTo;
    if (xa || ya) {
      ctx.beginPath();
      ctx.rect(
        xa ? xa._offset : 0, ya ? ya._offset : 0,
        xa ? xa._length : ctx.canvas.width, ya ? ya._length : ctx.canvas.height,
      );
      ctx.clip();
    }
    ctx.globalAlpha = num(s.opacity, 1);
    ctx.beginPath();
    if (sh.type === "rect") ctx.rect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    else {
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
    }
    if (sh.type === "rect" && s.fill && s.fill !== "none") {
      ctx.fillStyle = s.fill;
      ctx.globalAlpha = num(s.opacity, 1) * num(s.fillOpacity, 1);
      ctx.fill();
    }
    const width = num(s.strokeWidth, 0);
    if (width > 0 && s.stroke && s.stroke !== "none") {
      ctx.lineWidth = width;
      ctx.strokeStyle = s.stroke;
      ctx.setLineDash(dashes(s.strokeDasharray));
      ctx.globalAlpha = num(s.opacity, 1) * num(s.strokeOpacity, 1);
      ctx.stroke();
    }
    ctx.restore();
  }


  // text-less annotation arrows (lab_canvas.js arrowPlan): plotly's line from the tail to the
  // head's set-back point, then its head path there, turned along the arrow and scaled
  function drawArrows(ctx, a) {
    const s = a.line;
    ctx.save();
    ctx.setLineDash([]);
    ctx.lineCap = "butt";
    ctx.lineWidth = num(s.strokeWidth, 1);
    ctx.strokeStyle = s.stroke;
    ctx.fillStyle = a.head.fill;
    const opacity = a.opacity.reduce((o, v) => o * num(v, 1), 1);
    for (const { tip, tail } of a.draw) {
      const dx = tip[0] - tail[0];
      const dy = tip[1] - tail[1];
      const len = Math.hypot(dx, dy);
      if (!(len > a.back)) continue; // plotly draws neither line nor head then
      const ux = dx / len;
      const uy = dy / len;
      const ex = tip[0] - ux * a.back;
      const ey = tip[1] - uy * a.back;
      ctx.globalAlpha = opacity * num(s.strokeOpacity, 1);
      ctx.beginPath();
      ctx.moveTo(tail[0], tail[1]);
      ctx.lineTo(ex, ey);
      ctx.stroke();
      const m = ctx.getTransform();
      ctx.translate(ex, ey);
      ctx.rotate(Math.atan2(uy, ux));
      ctx.scale(a.head.scale, a.head.scale);
      ctx.globalAlpha = opacity;
      ctx.fill(a.head.path);
      ctx.setTransform(m);
    }
    ctx.restore();
  }

  function clearCanvas(gd) {
    const canvas = gd.__lifCanvas;
    if (canvas && canvas.width) canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  }


  return Object.freeze({ canvasOf, clearCanvas, drawTrace, drawShape, drawArrows });
})();

globalThis.LIFCanvasDraw = LIFCanvasDraw;
