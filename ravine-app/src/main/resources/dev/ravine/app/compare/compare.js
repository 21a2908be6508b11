// Draws a Ravine comparison's overlaid curves from the JSON in #compare-data with uPlot (the report's chart library),
// then writes a self-check into #compare-status: one line per chart, "chart NAME: series=S points=P", and every
// script error. The compare test opens the page in headless Chromium and reads that element.
(function () {
  "use strict";

  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7b4fd6"];
  var lines = [];

  // Runs have different x values (steps, epochs): one shared, sorted x axis, each run's series null where it has none.
  function align(parts) {
    var seen = {}, xs = [];
    parts.forEach(function (p) { p.x.forEach(function (x) { if (!seen[x]) { seen[x] = true; xs.push(x); } }); });
    xs.sort(function (a, b) { return a - b; });
    var index = {};
    xs.forEach(function (x, i) { index[x] = i; });
    var out = [xs];
    parts.forEach(function (p) {
      var col = new Array(xs.length).fill(null);
      p.x.forEach(function (x, i) { col[index[x]] = p.y[i]; });
      out.push(col);
    });
    return out;
  }

  function overlay(name, runs, pick, xLabel, yLabel) {
    var el = document.getElementById("chart-" + name);
    var parts = [], series = [{label: xLabel}], points = 0;
    runs.forEach(function (run, i) {
      var p = pick(run);
      if (!p || !p.x || !p.y) return;
      p.y.forEach(function (v) { if (v !== null && isFinite(v)) points++; });
      parts.push(p);
      series.push({label: run.label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true, points: {show: p.x.length < 60}});
    });
    lines.push("chart " + name + ": series=" + parts.length + " points=" + points);
    if (parts.length === 0 || points === 0) { el.textContent = "not measured in these runs"; return; }
    var aligned = align(parts);
    // A diverging run's loss spans many decades: then the y axis is log10, labelled in powers of ten.
    var ys = [];
    aligned.slice(1).forEach(function (col) { col.forEach(function (v) { if (v !== null && isFinite(v)) ys.push(v); }); });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    var logY = lo > 0 && hi / lo > 100;
    var yAxis = {label: yLabel, size: 70};
    if (logY) {
      aligned = [aligned[0]].concat(aligned.slice(1).map(function (col) {
        return col.map(function (v) { return v !== null && v > 0 && isFinite(v) ? Math.log10(v) : null; });
      }));
      yAxis.label = yLabel + " (log scale)";
      yAxis.values = function (u, vals) { return vals.map(function (v) { return Math.pow(10, v).toPrecision(2); }); };
    }
    var width = Math.max(400, (el.clientWidth || 900) - 10);
    new uPlot({width: width, height: 300, series: series,
      axes: [{label: xLabel}, yAxis], scales: {x: {time: false}}}, aligned, el);
  }

  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var pct = function (a) { return a.map(function (v) { return v === null ? null : 100 * v; }); };
  try {
    overlay("loss", data.runs, function (r) { return r.steps && {x: r.steps.step, y: r.steps.loss}; }, "step", "loss");
    overlay("val_loss", data.runs, function (r) { return r.epochs && {x: r.epochs.epoch, y: r.epochs.val_loss}; }, "epoch", "validation loss");
    overlay("val_accuracy", data.runs, function (r) { return r.epochs && {x: r.epochs.epoch, y: pct(r.epochs.val_accuracy)}; }, "epoch", "validation accuracy %");
  } catch (e) {
    window.__reportErrors.push(String(e));
  }
  setTimeout(function () {
    var out = lines.slice();
    window.__reportErrors.forEach(function (e) { out.push("error: " + e); });
    document.getElementById("compare-status").textContent = out.join("\n");
  }, 0);
})();
