// Ravine's chart code, shared by every page that draws charts (report.html, the comparison page, the dashboard, the
// lab pages): uPlot series and axes in
// the report's style, the log-axis convention, the viridis colour map, the overlay of several runs, and the self-check
// that each page writes into a <pre> element ("chart NAME: points=N painted=M" or "chart NAME: not measured", then every script error), which
// the browser tests read, so a blank chart or a script error fails them. Exposed as window.RavineCharts.
window.RavineCharts = (function () {
  "use strict";

  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7b4fd6"];

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

  function finiteCount(arrays) {
    var n = 0;
    arrays.forEach(function (a) { a.forEach(function (v) { if (v !== null && isFinite(v)) n++; }); });
    return n;
  }

  function chartWidth(el) {
    return Math.max(360, Math.min(1100, el.clientWidth || 900));
  }

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

  // Viridis, sampled at 9 stops (matplotlib's colormap, CC0): perceptually even from dark purple to yellow.
  var VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129],
    [92, 200, 99], [170, 220, 50], [253, 231, 37]];

  function viridis(t) {
    t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    var i = Math.min(VIRIDIS.length - 2, Math.floor(t)), f = t - i, a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return "rgb(" + Math.round(a[0] + f * (b[0] - a[0])) + "," + Math.round(a[1] + f * (b[1] - a[1])) + "," + Math.round(a[2] + f * (b[2] - a[2])) + ")";
  }

  // The self-check of one page: every chart registers an entry, a uPlot chart's draw hook records its painted pixels,
  // and write() puts the lines into the <pre id=statusId> (with data-done="true" once written).
  function SelfCheck(statusId) {
    var charts = [];
    var plots = [];
    var started = performance.now();

    function entry(name) {
      var e = {name: name, state: "pending", points: 0, painted: 0};
      charts.push(e);
      return e;
    }

    function notMeasured(name, why) {
      var el = document.getElementById("chart-" + name);
      var p = document.createElement("p");
      p.className = "not-measured";
      p.textContent = "Not measured in this run: " + why;
      el.appendChild(p);
      entry(name).state = "not measured";
    }

    function safely(name, draw) {
      try {
        draw();
      } catch (e) {
        (window.__reportErrors = window.__reportErrors || []).push(name + ": " + (e && e.stack ? e.stack : e));
      }
    }

    // A uPlot chart whose draw hook records its painted pixels into the self-check entry.
    function plot(name, el, opts, aligned, extraHooks) {
      var e = entry(name);
      e.points = finiteCount(aligned.slice(1));
      // A line needs two points: with few x values every solid series also marks its points, so a run that stopped
      // after one reading still shows it.
      if (aligned[0].length < 40) {
        opts.series.slice(1).forEach(function (s) { if (!s.dash && s.points && !s.points.show) s.points = {show: true, size: 5}; });
      }
      opts.width = chartWidth(el);
      opts.height = opts.height || 320;
      opts.hooks = extraHooks || {};
      opts.hooks.draw = (opts.hooks.draw || []).concat([function (u) {
        e.painted = paintedPixels(u.ctx, u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
        e.state = "drawn";
      }]);
      var u = new uPlot(opts, aligned, el);
      plots.push(u);
      return u;
    }

    // Removes this check's uPlot charts (their listeners too): a page that draws again after new data (the dashboard)
    // destroys the previous drawing's charts first.
    function destroy() {
      plots.forEach(function (u) { u.destroy(); });
      plots = [];
    }

    function write() {
      var lines = charts.map(function (c) {
        if (c.state === "drawn") return "chart " + c.name + ": points=" + c.points + " painted=" + c.painted;
        return "chart " + c.name + ": " + c.state;
      });
      var errors = window.__reportErrors || [];
      lines.push("drawn in " + Math.round(performance.now() - started) + " ms");
      lines.push("errors: " + errors.length);
      errors.forEach(function (e) { lines.push("error: " + e); });
      var pre = document.getElementById(statusId);
      pre.textContent = lines.join("\n");
      pre.setAttribute("data-done", "true");
    }

    return {entry: entry, notMeasured: notMeasured, safely: safely, plot: plot, write: write, destroy: destroy};
  }

  // Several runs' series overlaid on one chart in div#chart-NAME (the comparison page): runs have different x values
  // (steps, epochs), so one shared, sorted x axis with each run's series null where it has none; a log10 y axis when
  // the values span more than two decades (a diverging run). Returns the self-check line "chart NAME: series=S points=P".
  function overlay(name, runs, pick, xLabel, yLabel) {
    var el = document.getElementById("chart-" + name);
    el.textContent = "";
    var parts = [], series = [{label: xLabel}], points = 0;
    runs.forEach(function (run, i) {
      var p = pick(run);
      if (!p || !p.x || !p.y) return;
      p.y.forEach(function (v) { if (v !== null && isFinite(v)) points++; });
      parts.push({x: p.x, ys: [p.y]});
      series.push(line(run.label, PALETTE[i % PALETTE.length], {points: {show: p.x.length < 60}}));
    });
    var status = "chart " + name + ": series=" + parts.length + " points=" + points;
    if (parts.length === 0 || points === 0) { el.textContent = "not measured in these runs"; return status; }
    var aligned = align(parts);
    var ys = [];
    aligned.slice(1).forEach(function (col) { col.forEach(function (v) { if (v !== null && isFinite(v)) ys.push(v); }); });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    var logY = lo > 0 && hi / lo > 100;
    if (logY) {
      aligned = [aligned[0]].concat(aligned.slice(1).map(log10OrNull));
      series.slice(1).forEach(logSeries);
    }
    new uPlot({width: Math.max(400, (el.clientWidth || 900) - 10), height: 300, series: series, scales: {x: {time: false}},
      axes: [axis(xLabel), logY ? logAxis(yLabel + " (log scale)") : axis(yLabel, {values: tickLabels, size: 70})]}, aligned, el);
    return status;
  }

  return {PALETTE: PALETTE, paintedPixels: paintedPixels, finiteCount: finiteCount, chartWidth: chartWidth, align: align,
    log10OrNull: log10OrNull, anyValue: anyValue, line: line, axis: axis, sci: sci, tickLabels: tickLabels,
    logAxis: logAxis, logSeries: logSeries, viridis: viridis, SelfCheck: SelfCheck, overlay: overlay};
})();
