// Draws a Ravine run report's charts from the JSON in #report-data, then writes a self-check into #report-status:
// one line per chart ("chart NAME: points=N painted=M" or "chart NAME: not measured") and every script error.
// The report test opens the page in headless Chromium and reads that element, so a blank chart or an error fails it.
(function () {
  "use strict";

  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7b4fd6"];
  var BANDS = {blocking: "rgba(214, 39, 40, 0.15)", warning: "rgba(255, 127, 14, 0.15)", info: "rgba(31, 119, 180, 0.10)"};
  var charts = [];
  var started = performance.now();

  // ---- the self-check -------------------------------------------------------------------------------------------

  function writeStatus() {
    var lines = charts.map(function (c) {
      if (c.state === "drawn") return "chart " + c.name + ": points=" + c.points + " painted=" + c.painted;
      return "chart " + c.name + ": " + c.state;
    });
    var errors = window.__reportErrors || [];
    lines.push("drawn in " + Math.round(performance.now() - started) + " ms");
    lines.push("errors: " + errors.length);
    errors.forEach(function (e) { lines.push("error: " + e); });
    var pre = document.getElementById("report-status");
    pre.textContent = lines.join("\n");
    pre.setAttribute("data-done", "true");
  }
  window.__reportStatus = writeStatus;

  function finiteCount(arrays) {
    var n = 0;
    arrays.forEach(function (a) { a.forEach(function (v) { if (v !== null && isFinite(v)) n++; }); });
    return n;
  }

  // Pixels in a canvas region that a data mark painted: opaque enough and coloured. Grid lines, axes and text are
  // grey or black, finding bands are faint: none of them count, so an empty plot counts zero.
  function paintedPixels(ctx, x, y, w, h) {
    x = Math.max(0, Math.floor(x)); y = Math.max(0, Math.floor(y));
    w = Math.floor(Math.min(w, ctx.canvas.width - x)); h = Math.floor(Math.min(h, ctx.canvas.height - y));
    if (w <= 0 || h <= 0) return 0;
    var px = ctx.getImageData(x, y, w, h).data;
    var n = 0;
    for (var i = 0; i < px.length; i += 4) {
      var hi = Math.max(px[i], px[i + 1], px[i + 2]), lo = Math.min(px[i], px[i + 1], px[i + 2]);
      if (px[i + 3] >= 100 && hi - lo >= 60) n++;
    }
    return n;
  }

  function chartEntry(name) {
    var entry = {name: name, state: "pending", points: 0, painted: 0};
    charts.push(entry);
    return entry;
  }

  function notMeasured(name, why) {
    var el = document.getElementById("chart-" + name);
    var p = document.createElement("p");
    p.className = "not-measured";
    p.textContent = "Not measured in this run: " + why;
    el.appendChild(p);
    chartEntry(name).state = "not measured";
  }

  function safely(name, draw) {
    try {
      draw();
    } catch (e) {
      (window.__reportErrors = window.__reportErrors || []).push(name + ": " + (e && e.stack ? e.stack : e));
    }
  }

  function chartWidth(el) {
    return Math.max(360, Math.min(1100, el.clientWidth || 900));
  }

  // ---- data helpers ---------------------------------------------------------------------------------------------

  // Puts series given on different x values (steps of the loss, steps of the epochs) on one sorted x axis, null
  // where a series has no value: the shape uPlot wants.
  function align(parts) {
    var xs = [];
    var seen = {};
    parts.forEach(function (p) { p.x.forEach(function (x) { if (!seen[x]) { seen[x] = true; xs.push(x); } }); });
    xs.sort(function (a, b) { return a - b; });
    var index = {};
    xs.forEach(function (x, i) { index[x] = i; });
    var out = [xs];
    parts.forEach(function (p) {
      p.ys.forEach(function (y) {
        var col = new Array(xs.length).fill(null);
        p.x.forEach(function (x, i) { col[index[x]] = y[i]; });
        out.push(col);
      });
    });
    return out;
  }

  // Log-scale charts plot log10 of the values on a linear axis and label it with powers of ten: uPlot's own log
  // distribution left the axis unlabelled when a diverging loss spanned twenty decades. Zero and below have no log.
  function log10OrNull(a) {
    return a.map(function (v) { return v !== null && v > 0 ? Math.log10(v) : null; });
  }

  function anyValue(a) {
    return a.some(function (v) { return v !== null && isFinite(v); });
  }

  function strideNote(stride, what) {
    return stride > 1 ? " (every " + stride + "th " + what + " shown)" : "";
  }

  // A uPlot chart whose draw hook records its painted pixels into the self-check entry.
  function plot(name, el, opts, aligned, extraHooks) {
    var entry = chartEntry(name);
    entry.points = finiteCount(aligned.slice(1));
    // A line needs two points: with few x values every solid series also marks its points, so a run that stopped
    // after one reading still shows it.
    if (aligned[0].length < 40) {
      opts.series.slice(1).forEach(function (s) { if (!s.dash && s.points && !s.points.show) s.points = {show: true, size: 5}; });
    }
    opts.width = chartWidth(el);
    opts.height = opts.height || 320;
    opts.hooks = extraHooks || {};
    opts.hooks.draw = (opts.hooks.draw || []).concat([function (u) {
      entry.painted = paintedPixels(u.ctx, u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      entry.state = "drawn";
    }]);
    return new uPlot(opts, aligned, el);
  }

  function line(label, color, extra) {
    var s = {label: label, stroke: color, width: 1.5, spanGaps: true, points: {show: false}};
    for (var k in extra) s[k] = extra[k];
    return s;
  }

  // Steps and epochs are whole numbers: their axes tick at whole steps only.
  var WHOLE_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5,
    2.5e5, 5e5, 1e6, 2e6, 5e6, 1e7];

  function axis(label, extra) {
    var a = {label: label, stroke: "#333", grid: {stroke: "rgba(0,0,0,0.08)"}, ticks: {stroke: "rgba(0,0,0,0.2)"}};
    if (/^(step|epoch)/.test(label)) a.incrs = WHOLE_INCREMENTS;
    for (var k in extra) a[k] = extra[k];
    return a;
  }

  function sci(v) {
    if (v === null || v === undefined) return "-";
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e4 || a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e"); // 1.50e+5 -> 1.5e5
    return String(+v.toPrecision(4));
  }

  // uPlot passes null for the ticks it leaves unlabelled (the minor ticks of a log axis).
  function tickLabels(u, values) {
    return values.map(function (v) { return v === null ? "" : sci(v); });
  }

  // The y axis of a chart of log10 values: ticks at whole decades only, labelled 10^k.
  function logAxis(label, extra) {
    var a = axis(label, {incrs: [1, 2, 3, 5, 10, 20, 50, 100], size: 70, values: function (u, values) {
      return values.map(function (v) { return v === null ? "" : sci(Math.pow(10, v)); });
    }});
    for (var k in extra) a[k] = extra[k];
    return a;
  }

  // A series of log10 values shows the value itself in the legend.
  function logSeries(series) {
    series.value = function (u, v) { return v === null || v === undefined ? "--" : sci(Math.pow(10, v)); };
    return series;
  }

  // ---- the charts -----------------------------------------------------------------------------------------------

  function lossChart(data) {
    var steps = data.steps, epochs = data.epochs;
    if (!steps.step.length) return notMeasured("loss", "no step was recorded");
    var el = document.getElementById("chart-loss");
    var aligned = align([{x: steps.step, ys: [steps.loss]}, {x: epochs.step, ys: [epochs.val_loss]}]);
    var finite = steps.loss.filter(function (v) { return v !== null; });
    var lo = Math.min.apply(null, finite), hi = Math.max.apply(null, finite);
    var logY = finite.length > 0 && lo > 0 && hi / lo > 1000; // a spike would flatten the rest on a linear axis
    var series = [{label: "step"}, line("training loss" + strideNote(steps.stride, "step"), PALETTE[0], {width: 1})];
    var valueSeries = anyValue(epochs.val_loss)
        ? line("validation loss (epoch end)", PALETTE[3], {width: 2, points: {show: true, size: 7}})
        : line("validation loss: none", PALETTE[3], {show: false});
    series.push(valueSeries);
    var opts = {
      series: series,
      scales: {x: {time: false}},
      axes: [axis("step"), logY ? logAxis("loss (log scale)") : axis("loss", {values: tickLabels})]
    };
    if (logY) {
      aligned = [aligned[0]].concat(aligned.slice(1).map(log10OrNull));
      series.slice(1).forEach(logSeries);
    }
    plot("loss", el, opts, aligned, {drawClear: [function (u) {
      drawFindingBands(u, data.findings, steps.nonfinite);
      drawRepairs(u, data.repairs);
    }]});
  }

  // The doctor's findings as shaded step ranges, labelled with their ids, and ticks at non-finite losses. Drawn
  // before the series so the loss stays on top; faint, so they never count as painted data.
  function drawFindingBands(u, findings, nonFinite) {
    var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, top, u.bbox.width, height);
    ctx.clip();
    findings.forEach(function (f, i) {
      var x0 = u.valToPos(f.first_step - 0.5, "x", true), x1 = u.valToPos(f.last_step + 0.5, "x", true);
      ctx.fillStyle = BANDS[f.severity] || BANDS.info;
      ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
      ctx.fillStyle = "rgba(40, 40, 40, 0.9)";
      ctx.font = Math.round(11 * devicePixelRatio) + "px sans-serif";
      ctx.fillText(f.id, x0 + 3 * devicePixelRatio, top + (14 + 13 * (i % 4)) * devicePixelRatio);
    });
    ctx.font = Math.round(11 * devicePixelRatio) + "px sans-serif";
    ctx.fillStyle = "rgba(214, 39, 40, 0.35)";
    nonFinite.forEach(function (s) {
      var x = u.valToPos(s, "x", true);
      ctx.fillRect(x - devicePixelRatio, top, 2 * devicePixelRatio, height);
      ctx.fillStyle = "rgba(40, 40, 40, 0.9)";
      ctx.fillText("NaN/Inf", x - 44 * devicePixelRatio, top + height - 6 * devicePixelRatio);
      ctx.fillStyle = "rgba(214, 39, 40, 0.35)";
    });
    ctx.restore();
  }

  // Each repair as a dashed grey line at its step. The steps after the step it went back to were replayed, so the
  // line drawn there is the repaired run's loss; the loss that triggered the repair is in the repairs table.
  function drawRepairs(u, repairs) {
    var ctx = u.ctx, dpr = devicePixelRatio, bottom = u.bbox.top + u.bbox.height;
    ctx.save();
    ctx.strokeStyle = "rgba(60, 60, 60, 0.8)";
    ctx.fillStyle = "rgba(40, 40, 40, 0.9)";
    ctx.lineWidth = dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.font = Math.round(11 * dpr) + "px sans-serif";
    repairs.forEach(function (r) {
      var x = u.valToPos(r.step, "x", true);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillText("repair → step " + r.rolled_back_to, x + 3 * dpr, bottom - 6 * dpr);
    });
    ctx.restore();
  }

  function accuracyChart(data) {
    var e = data.epochs;
    if (!e.epoch.length) return notMeasured("accuracy", "no epoch finished");
    if (!anyValue(e.train_accuracy) && !anyValue(e.val_accuracy)) {
      return notMeasured("accuracy", "the loss has no accuracy (a regression run)");
    }
    var pct = function (a) { return a.map(function (v) { return v === null ? null : 100 * v; }); };
    var dots = {points: {show: true, size: 8}, width: 2};
    plot("accuracy", document.getElementById("chart-accuracy"), {
      series: [{label: "epoch"}, line("training accuracy (%)", PALETTE[0], dots), line("validation accuracy (%)", PALETTE[3], dots)],
      scales: {x: {time: false}},
      axes: [axis("epoch"), axis("accuracy (%)")],
      height: 260
    }, [e.epoch, pct(e.train_accuracy), pct(e.val_accuracy)]);
  }

  function ratioChart(data) {
    var layers = data.layers;
    if (!layers || !layers.update_ratio.some(anyValue)) return notMeasured("updates", "the doctor took no per-layer readings");
    var series = [{label: "step"}];
    var aligned = [layers.step];
    layers.labels.forEach(function (label, i) {
      series.push(logSeries(line("layer " + label, PALETTE[i % PALETTE.length])));
      aligned.push(log10OrNull(layers.update_ratio[i]));
    });
    series.push(logSeries(line("1e-3 guide", "#888", {dash: [6, 4], width: 1})));
    aligned.push(layers.step.map(function () { return -3; }));
    var opts = {
      series: series,
      scales: {x: {time: false}},
      axes: [axis("step" + strideNote(layers.stride, "reading")), logAxis("update / weight (log)")]
    };
    plot("updates", document.getElementById("chart-updates"), opts, aligned);
  }

  function sharpnessChart(data) {
    var c = data.curvature;
    if (!c) return notMeasured("sharpness", "no curvature readings in run.db (curvature_readings; doctor.curvature_every)");
    var marks = {width: 2, points: {show: true, size: 5}};
    var limit = {dash: [8, 4], width: 2};
    // A threshold is absent where it does not apply (no plain 2/lr bound for Adam; no preconditioned one for SGD).
    var candidates = [
      [c.sharpness, line("sharpness (top Hessian eigenvalue)", PALETTE[0], marks)],
      [c.threshold, line("threshold 2/lr or (2+2·momentum)/lr", PALETTE[1], limit)],
      [c.preconditioned_sharpness, line("preconditioned sharpness (P⁻¹H)", PALETTE[2], marks)],
      [c.preconditioned_threshold, line("preconditioned threshold", PALETTE[3], limit)]
    ].filter(function (pair) { return anyValue(pair[0]); });
    var values = [];
    candidates.forEach(function (pair) { pair[0].forEach(function (v) { if (v !== null) values.push(v); }); });
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    // Adam's preconditioned values are often 100x the plain ones: a log axis keeps both readable.
    var logY = values.length > 0 && lo > 0 && hi / lo > 100;
    var aligned = [c.step].concat(candidates.map(function (pair) { return logY ? log10OrNull(pair[0]) : pair[0]; }));
    if (logY) candidates.forEach(function (pair) { logSeries(pair[1]); });
    plot("sharpness", document.getElementById("chart-sharpness"), {
      series: [{label: "step"}].concat(candidates.map(function (pair) { return pair[1]; })),
      scales: {x: {time: false}},
      axes: [axis("step" + strideNote(c.stride, "reading")), logY ? logAxis("eigenvalue (log)") : axis("eigenvalue", {values: tickLabels, size: 70})]
    }, aligned);
  }

  function activationChart(data) {
    var a = data.activations;
    var series = [{label: "step"}];
    var aligned = [];
    if (a) {
      aligned.push(a.step);
      a.labels.forEach(function (label, i) {
        [["dead_fraction", "dead"], ["saturated_fraction", "saturated"]].forEach(function (m) {
          var values = a[m[0]][i];
          if (!anyValue(values)) return;
          series.push(line(label + " " + m[1] + " (%)", PALETTE[(series.length - 1) % PALETTE.length], {width: 2}));
          aligned.push(values.map(function (v) { return v === null ? null : 100 * v; }));
        });
      });
    }
    if (series.length === 1) return notMeasured("activations", "no ReLU, sigmoid or tanh module was read");
    plot("activations", document.getElementById("chart-activations"), {
      series: series,
      scales: {x: {time: false}, y: {range: [-2, 102]}},
      axes: [axis("step" + strideNote(a.stride, "reading")), axis("units (%)")],
      height: 280
    }, aligned);
  }

  // ---- the gradient-norm heat map (canvas) ----------------------------------------------------------------------

  // Viridis, sampled at 9 stops (matplotlib's colormap, CC0): perceptually even from dark purple to yellow.
  var VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129],
    [92, 200, 99], [170, 220, 50], [253, 231, 37]];

  function viridis(t) {
    t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    var i = Math.min(VIRIDIS.length - 2, Math.floor(t)), f = t - i, a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return "rgb(" + Math.round(a[0] + f * (b[0] - a[0])) + "," + Math.round(a[1] + f * (b[1] - a[1])) + "," + Math.round(a[2] + f * (b[2] - a[2])) + ")";
  }

  function heatMap(data) {
    var layers = data.layers;
    if (!layers || !layers.grad_norm.some(anyValue)) return notMeasured("gradients", "the doctor took no per-layer readings");
    var el = document.getElementById("chart-gradients");
    var entry = chartEntry("gradients");
    var rows = layers.labels.length, cols = layers.step.length;
    var logs = [];
    layers.grad_norm.forEach(function (r) { r.forEach(function (v) { if (v !== null && v > 0) logs.push(Math.log10(v)); }); });
    var lo = logs.length ? Math.min.apply(null, logs) : 0, hi = logs.length ? Math.max.apply(null, logs) : 1;
    if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }

    var width = chartWidth(el), left = 150, right = 110, top = 8, bottom = 44;
    var cellH = Math.max(12, Math.min(28, Math.floor(320 / rows)));
    var height = top + rows * cellH + bottom, plotW = width - left - right, cellW = plotW / cols;
    var dpr = window.devicePixelRatio || 1;
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
    canvas.style.width = width + "px"; canvas.style.height = height + "px";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "gradient norm per layer over " + cols + " readings, log colour scale from 1e"
        + lo.toFixed(1) + " to 1e" + hi.toFixed(1));
    el.appendChild(canvas);
    var ctx = canvas.getContext("2d");
    ctx.scale(dpr, dpr);

    var cells = 0;
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        var v = layers.grad_norm[r][c];
        if (v === null || !isFinite(v)) ctx.fillStyle = "#d9d9d9";
        else if (v <= 0) ctx.fillStyle = "#000";
        else { ctx.fillStyle = viridis((Math.log10(v) - lo) / (hi - lo)); cells++; }
        ctx.fillRect(left + c * cellW, top + r * cellH, Math.ceil(cellW + 0.5), cellH - 1);
      }
    }
    heatMapAxes(ctx, layers, {left: left, top: top, rows: rows, cols: cols, cellW: cellW, cellH: cellH, plotW: plotW});
    heatMapScale(ctx, lo, hi, {x: left + plotW + 20, top: top, height: rows * cellH});
    entry.points = cells;
    entry.painted = paintedPixels(ctx, left * dpr, top * dpr, plotW * dpr, rows * cellH * dpr);
    entry.state = "drawn";

    var tip = document.createElement("div");
    tip.className = "heat-tip";
    el.appendChild(tip);
    canvas.addEventListener("mousemove", function (ev) {
      var box = canvas.getBoundingClientRect();
      var c = Math.floor((ev.clientX - box.left - left) / cellW), r = Math.floor((ev.clientY - box.top - top) / cellH);
      if (c < 0 || c >= cols || r < 0 || r >= rows) { tip.textContent = ""; return; }
      tip.textContent = "layer " + layers.labels[r] + ", step " + layers.step[c] + ": gradient norm " + sci(layers.grad_norm[r][c]);
    });
  }

  function heatMapAxes(ctx, layers, g) {
    ctx.fillStyle = "#333";
    ctx.font = "12px sans-serif";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    var every = Math.ceil(g.rows / 24);
    layers.labels.forEach(function (label, r) {
      if (r % every === 0) ctx.fillText("layer " + label, g.left - 6, g.top + r * g.cellH + g.cellH / 2);
    });
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    var ticks = Math.min(g.cols, 8);
    for (var t = 0; t < ticks; t++) {
      var c = ticks === 1 ? 0 : Math.round(t * (g.cols - 1) / (ticks - 1));
      ctx.fillText(String(layers.step[c]), g.left + (c + 0.5) * g.cellW, g.top + g.rows * g.cellH + 4);
    }
    ctx.fillText("step" + strideNote(layers.stride, "reading"), g.left + g.plotW / 2, g.top + g.rows * g.cellH + 22);
  }

  // The colour bar: log10 of the gradient norm, with a tick at each power of ten in range.
  function heatMapScale(ctx, lo, hi, g) {
    var barW = 14;
    for (var y = 0; y < g.height; y++) {
      ctx.fillStyle = viridis(1 - y / g.height);
      ctx.fillRect(g.x, g.top + y, barW, 1);
    }
    ctx.fillStyle = "#333";
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.font = "11px sans-serif";
    var first = Math.ceil(lo), last = Math.floor(hi), step = Math.max(1, Math.ceil((last - first + 1) / 6));
    for (var p = first; p <= last; p += step) {
      ctx.fillText("1e" + p, g.x + barW + 4, g.top + g.height * (1 - (p - lo) / (hi - lo)));
    }
    if (first > last) {
      ctx.fillText(sci(Math.pow(10, hi)), g.x + barW + 4, g.top);
      ctx.fillText(sci(Math.pow(10, lo)), g.x + barW + 4, g.top + g.height);
    }
  }

  // ---- main -----------------------------------------------------------------------------------------------------

  var data = JSON.parse(document.getElementById("report-data").textContent);
  safely("loss", function () { lossChart(data); });
  safely("accuracy", function () { accuracyChart(data); });
  safely("gradients", function () { heatMap(data); });
  safely("updates", function () { ratioChart(data); });
  safely("sharpness", function () { sharpnessChart(data); });
  safely("activations", function () { activationChart(data); });
  // uPlot draws in a microtask after construction; a timer runs after it.
  setTimeout(writeStatus, 0);
})();
