// The six charts of one run (loss with the findings and repairs, accuracy, the per-layer gradient-norm heat map,
// update/weight ratios, sharpness against its threshold, dead and saturated units), drawn from the report's data
// (ReportData's JSON) into div#chart-NAME with the shared chart code (charts.js). report.html draws them once; the
// dashboard's run page draws them again on every update. Exposed as window.RavineRunCharts.draw(data, selfCheck).
window.RavineRunCharts = (function () {
  "use strict";

  var C = window.RavineCharts;
  var PALETTE = C.PALETTE, paintedPixels = C.paintedPixels, chartWidth = C.chartWidth, align = C.align,
      log10OrNull = C.log10OrNull, anyValue = C.anyValue, line = C.line, axis = C.axis, sci = C.sci,
      tickLabels = C.tickLabels, logAxis = C.logAxis, logSeries = C.logSeries, viridis = C.viridis;
  var BANDS = {blocking: "rgba(214, 39, 40, 0.15)", warning: "rgba(255, 127, 14, 0.15)", info: "rgba(31, 119, 180, 0.10)"};

  // The self-check (charts.js) the charts being drawn register with; one per drawing.
  var check, chartEntry, notMeasured, plot;

  function strideNote(stride, what) {
    return stride > 1 ? " (every " + stride + "th " + what + " shown)" : "";
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

  var CHARTS = [["loss", lossChart], ["accuracy", accuracyChart], ["gradients", heatMap], ["updates", ratioChart],
    ["sharpness", sharpnessChart], ["activations", activationChart]];

  // Draws every chart of the run into its (emptied) element, registering each with `selfCheck` (RavineCharts.SelfCheck).
  function draw(data, selfCheck) {
    check = selfCheck;
    chartEntry = check.entry; notMeasured = check.notMeasured; plot = check.plot;
    CHARTS.forEach(function (c) {
      document.getElementById("chart-" + c[0]).textContent = "";
      check.safely(c[0], function () { c[1](data); });
    });
  }

  return {draw: draw};
})();
