// Draws a lab page's charts from the JSON in #lab-data with the report's chart code (charts.js, window.RavineCharts):
// line charts with uPlot, contour charts (a 2-D surface as a colour map with contour lines, optimizer paths over it,
// animated) and heat maps (a table of values as coloured cells) on canvases. Then writes the self-check into #lab-status, as the report does: one line per chart
// ("chart NAME: points=N painted=M") and every script error; the lab browser test reads it.
(function () {
  "use strict";

  var C = window.RavineCharts;
  var check = C.SelfCheck("lab-status");
  window.__reportStatus = check.write;
  // The report's ten colours and a navy for the eleventh optimizer: every one is coloured enough to count as painted.
  var COLOURS = C.PALETTE.concat(["#000080", "#e6550d"]);

  // ---- line charts (uPlot) --------------------------------------------------------------------------------------

  // A log axis labels whole decades only: for values within one decade it would carry no label, so such a chart
  // (or one with a value at or below zero) is drawn on a linear axis instead.
  function spansDecades(chart) {
    var lo = Infinity, hi = -Infinity;
    chart.series.forEach(function (s) { s.y.forEach(function (v) { if (v !== null && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }); });
    return lo > 0 && hi / lo >= 10;
  }

  function lineChart(chart) {
    var el = document.getElementById("chart-" + chart.anchor);
    chart.logY = chart.logY && spansDecades(chart);
    var parts = chart.series.map(function (s) {
      var y = chart.logY ? C.log10OrNull(s.y.map(finiteOrNull)) : s.y.map(finiteOrNull);
      return {x: s.x, ys: [y]};
    });
    var aligned = C.align(parts);
    var series = [{label: chart.xLabel}];
    chart.series.forEach(function (s, i) {
      var extra = {width: 2};
      if (s.style === "POINTS") extra = {width: 0, points: {show: true, size: 8}, paths: function () { return null; }};
      if (s.style === "DASHED") extra = {dash: [8, 4], width: 2};
      var line = C.line(s.label, COLOURS[i % COLOURS.length], extra);
      series.push(chart.logY ? C.logSeries(line) : line);
    });
    check.plot(chart.anchor, el, {
      series: series,
      scales: {x: {time: false}},
      axes: [C.axis(chart.xLabel), chart.logY ? C.logAxis(chart.yLabel + " (log scale)") : C.axis(chart.yLabel, {values: C.tickLabels, size: 70})]
    }, aligned);
  }

  function finiteOrNull(v) {
    return v === null || !isFinite(v) ? null : v;
  }

  // ---- contour charts (canvas) ----------------------------------------------------------------------------------

  var PAD = {left: 54, right: 16, top: 10, bottom: 40};

  function contourChart(chart) {
    var el = document.getElementById("chart-" + chart.anchor);
    var entry = check.entry(chart.anchor);
    var width = Math.min(C.chartWidth(el), 760);
    var plotW = width - PAD.left - PAD.right;
    var plotH = Math.round(plotW * (chart.yMax - chart.yMin) / (chart.xMax - chart.xMin));
    plotH = Math.max(220, Math.min(520, plotH));
    var height = plotH + PAD.top + PAD.bottom;
    var g = {chart: chart, plotW: plotW, plotH: plotH,
      px: function (x) { return PAD.left + (x - chart.xMin) / (chart.xMax - chart.xMin) * plotW; },
      py: function (y) { return PAD.top + (1 - (y - chart.yMin) / (chart.yMax - chart.yMin)) * plotH; }};

    var holder = document.createElement("div");
    holder.className = "contour";
    holder.style.width = width + "px";
    holder.style.height = height + "px";
    el.appendChild(holder);
    var back = canvas(holder, width, height), front = canvas(holder, width, height);
    drawSurface(back.ctx, g);
    drawAxes(back.ctx, g);

    var dpr = window.devicePixelRatio || 1;
    // The self-check counts the paths' pixels on the transparent front canvas: the colour map alone does not pass.
    drawPaths(front.ctx, g, Infinity);
    var points = 0;
    chart.paths.forEach(function (p) { points += p.x.length; });
    entry.points = points;
    entry.painted = C.paintedPixels(front.ctx, PAD.left * dpr, PAD.top * dpr, plotW * dpr, plotH * dpr);
    entry.state = "drawn";
    legend(el, chart);
    animate(el, front.ctx, g);
  }

  function canvas(holder, width, height) {
    var dpr = window.devicePixelRatio || 1;
    var c = document.createElement("canvas");
    c.width = Math.round(width * dpr); c.height = Math.round(height * dpr);
    c.style.width = width + "px"; c.style.height = height + "px";
    holder.appendChild(c);
    var ctx = c.getContext("2d");
    ctx.scale(dpr, dpr);
    return {canvas: c, ctx: ctx};
  }

  // The level of a value: log10 above the grid's minimum for surfaces that span decades, else the value itself.
  function levelOf(chart, lo) {
    return chart.logLevels ? function (v) { return Math.log10(v - lo + 1e-3); } : function (v) { return v; };
  }

  function drawSurface(ctx, g) {
    var chart = g.chart, n = chart.columns, m = chart.rows, v = chart.values;
    var lo = Infinity, hi = -Infinity;
    v.forEach(function (a) { if (isFinite(a)) { lo = Math.min(lo, a); hi = Math.max(hi, a); } });
    var level = levelOf(chart, lo);
    var l0 = level(lo), l1 = level(hi);
    if (!(l1 > l0)) l1 = l0 + 1;
    var cw = g.plotW / (n - 1), ch = g.plotH / (m - 1);
    // Each grid value fills the cell around its grid point, opaque (overlapping translucent cells would draw a grid),
    // in viridis mixed halfway with white so that the paths stand out on it.
    for (var j = 0; j < m; j++) {
      for (var i = 0; i < n; i++) {
        ctx.fillStyle = light(C.viridis((level(v[j * n + i]) - l0) / (l1 - l0)));
        ctx.fillRect(PAD.left + (i - 0.5) * cw, PAD.top + (m - 1 - j - 0.5) * ch, cw + 1, ch + 1);
      }
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, g.plotW, g.plotH);
    ctx.clip();
    ctx.strokeStyle = "rgba(40, 40, 40, 0.45)";
    ctx.lineWidth = 0.8;
    for (var k = 1; k <= 14; k++) contourLine(ctx, g, level, l0 + (l1 - l0) * k / 15);
    ctx.restore();
  }

  function light(rgb) {
    var c = rgb.match(/\d+/g).map(function (x) { return Math.round(0.5 * Number(x) + 0.5 * 255); });
    return "rgb(" + c.join(",") + ")";
  }

  // Marching squares: the segments where the level field crosses t, cell by cell (saddle cells split by the centre).
  function contourLine(ctx, g, level, t) {
    var chart = g.chart, n = chart.columns, m = chart.rows, v = chart.values;
    var cw = g.plotW / (n - 1), ch = g.plotH / (m - 1);
    function at(i, j) { return level(v[j * n + i]); }
    function cross(a, b) { return (t - a) / (b - a); }
    ctx.beginPath();
    for (var j = 0; j < m - 1; j++) {
      for (var i = 0; i < n - 1; i++) {
        var a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
        var pts = [];
        if ((a < t) !== (b < t)) pts.push([i + cross(a, b), j]);
        if ((b < t) !== (c < t)) pts.push([i + 1, j + cross(b, c)]);
        if ((c < t) !== (d < t)) pts.push([i + 1 - cross(c, d), j + 1]);
        if ((d < t) !== (a < t)) pts.push([i, j + 1 - cross(d, a)]);
        for (var p = 0; p + 1 < pts.length; p += 2) {
          ctx.moveTo(PAD.left + pts[p][0] * cw, PAD.top + (m - 1 - pts[p][1]) * ch);
          ctx.lineTo(PAD.left + pts[p + 1][0] * cw, PAD.top + (m - 1 - pts[p + 1][1]) * ch);
        }
      }
    }
    ctx.stroke();
  }

  function drawAxes(ctx, g) {
    var chart = g.chart;
    ctx.strokeStyle = "#333";
    ctx.lineWidth = 1;
    ctx.strokeRect(PAD.left, PAD.top, g.plotW, g.plotH);
    ctx.fillStyle = "#333";
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (var k = 0; k <= 6; k++) {
      var x = chart.xMin + (chart.xMax - chart.xMin) * k / 6;
      ctx.fillText(C.sci(+x.toFixed(2)), g.px(x), PAD.top + g.plotH + 4);
    }
    ctx.fillText("x", PAD.left + g.plotW / 2, PAD.top + g.plotH + 22);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (k = 0; k <= 5; k++) {
      var y = chart.yMin + (chart.yMax - chart.yMin) * k / 5;
      ctx.fillText(C.sci(+y.toFixed(2)), PAD.left - 6, g.py(y));
    }
    ctx.fillText("y", PAD.left - 40, PAD.top + g.plotH / 2);
    chart.marks.forEach(function (mk) {
      var cx = g.px(mk.x), cy = g.py(mk.y);
      ctx.fillStyle = "#000";
      ctx.beginPath();
      ctx.arc(cx, cy, 4, 0, 2 * Math.PI);
      ctx.fill();
      ctx.textAlign = "left";
      ctx.fillText(mk.label, cx + 6, cy - 8);
    });
  }

  // Every path up to `upTo` points (Infinity: all of it), clipped to the plot, with its current point as a dot.
  function drawPaths(ctx, g, upTo) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, g.plotW, g.plotH);
    ctx.clip();
    g.chart.paths.forEach(function (p, i) {
      var n = Math.min(p.x.length, upTo);
      ctx.strokeStyle = COLOURS[i % COLOURS.length];
      ctx.fillStyle = COLOURS[i % COLOURS.length];
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (var k = 0; k < n; k++) {
        if (k === 0) ctx.moveTo(g.px(p.x[k]), g.py(p.y[k])); else ctx.lineTo(g.px(p.x[k]), g.py(p.y[k]));
      }
      ctx.stroke();
      if (n > 0) {
        ctx.beginPath();
        ctx.arc(g.px(p.x[n - 1]), g.py(p.y[n - 1]), 4, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
    ctx.restore();
  }

  function legend(el, chart) {
    var div = document.createElement("div");
    div.className = "path-legend";
    chart.paths.forEach(function (p, i) {
      var span = document.createElement("span");
      var swatch = document.createElement("i");
      swatch.style.background = COLOURS[i % COLOURS.length];
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(p.label));
      div.appendChild(span);
    });
    el.appendChild(div);
  }

  // The paths drawn step by step (the whole run in about six seconds), then held; the button replays it.
  function animate(el, ctx, g) {
    var longest = 0;
    g.chart.paths.forEach(function (p) { longest = Math.max(longest, p.x.length); });
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "replay the paths";
    el.insertBefore(button, el.firstChild);
    var perFrame = Math.max(1, Math.ceil(longest / 360)), shown = longest, timer = null;
    function frame() {
      shown = Math.min(longest, shown + perFrame);
      ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      drawPaths(ctx, g, shown);
      button.textContent = shown < longest ? "step " + (shown - 1) + " of " + (longest - 1) : "replay the paths";
      if (shown < longest) timer = setTimeout(frame, 16);
    }
    button.addEventListener("click", function () {
      if (timer) clearTimeout(timer);
      shown = 1;
      frame();
    });
    // Start the animation once the self-check has read the complete paths.
    setTimeout(function () { shown = 1; frame(); }, 50);
  }

  // ---- heat maps (canvas) ---------------------------------------------------------------------------------------

  // One coloured cell per value (viridis over the finite values, log10 with logScale), the value printed in it, row
  // labels on the left and column labels on top. The self-check counts the cells' coloured pixels.
  function heatMapChart(chart) {
    var el = document.getElementById("chart-" + chart.anchor);
    var entry = check.entry(chart.anchor);
    var probe = document.createElement("canvas").getContext("2d");
    probe.font = "12px sans-serif";
    var labelW = 0;
    chart.rows.forEach(function (r) { labelW = Math.max(labelW, probe.measureText(r).width); });
    labelW = Math.ceil(labelW) + 12;
    var width = Math.min(C.chartWidth(el), 1000);
    var cols = chart.columns.length, rows = chart.rows.length, top = 38;
    var cellW = Math.max(34, Math.floor((width - labelW - 8) / cols)), cellH = 24;
    width = labelW + cols * cellW + 8;
    var height = top + rows * cellH + 6;
    var holder = document.createElement("div");
    holder.className = "contour";
    holder.style.width = width + "px";
    holder.style.height = height + "px";
    el.appendChild(holder);
    var ctx = canvas(holder, width, height).ctx;
    var f = chart.logScale ? function (v) { return v > 0 ? Math.log10(v) : null; } : function (v) { return v; };
    var lo = Infinity, hi = -Infinity, finite = 0;
    chart.values.forEach(function (v) {
      var t = v === null ? null : f(v);
      if (t !== null && isFinite(t)) { lo = Math.min(lo, t); hi = Math.max(hi, t); finite++; }
    });
    if (!(hi > lo)) hi = lo + 1;
    ctx.font = "12px sans-serif";
    ctx.fillStyle = "#333";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(chart.columnTitle, labelW + cols * cellW / 2, 10);
    chart.columns.forEach(function (c, i) { ctx.fillText(c, labelW + (i + 0.5) * cellW, 28); });
    for (var r = 0; r < rows; r++) {
      ctx.textAlign = "right";
      ctx.fillStyle = "#333";
      ctx.fillText(chart.rows[r], labelW - 8, top + (r + 0.5) * cellH);
      for (var c = 0; c < cols; c++) {
        var v = chart.values[r * cols + c], t = v === null ? null : f(v);
        var x = labelW + c * cellW, y = top + r * cellH;
        if (t === null || !isFinite(t)) {
          ctx.fillStyle = "#eee";
          ctx.fillRect(x, y, cellW - 1, cellH - 1);
          continue;
        }
        var u = (t - lo) / (hi - lo);
        ctx.fillStyle = C.viridis(u);
        ctx.fillRect(x, y, cellW - 1, cellH - 1);
        ctx.fillStyle = u > 0.6 ? "#000" : "#fff";
        ctx.textAlign = "center";
        ctx.font = "10px sans-serif";
        ctx.fillText(C.sci(+v.toPrecision(2)), x + cellW / 2, y + cellH / 2);
        ctx.font = "12px sans-serif";
      }
    }
    var dpr = window.devicePixelRatio || 1;
    entry.points = finite;
    entry.painted = C.paintedPixels(ctx, labelW * dpr, top * dpr, cols * cellW * dpr, rows * cellH * dpr);
    entry.state = "drawn";
  }

  // ---- main -----------------------------------------------------------------------------------------------------

  var data = JSON.parse(document.getElementById("lab-data").textContent);
  data.charts.forEach(function (chart) {
    check.safely(chart.anchor, function () {
      if (chart.kind === "line") lineChart(chart);
      else if (chart.kind === "contour") contourChart(chart);
      else if (chart.kind === "heatmap") heatMapChart(chart);
      else throw new Error("unknown chart kind " + chart.kind);
    });
  });
  // uPlot draws in a microtask after construction; a timer runs after it.
  setTimeout(check.write, 0);
})();
