// Draws a Ravine comparison's overlaid curves from the JSON in #compare-data with the report's chart code (charts.js,
// RavineCharts.overlay), then writes a self-check into #compare-status: one line per chart, "chart NAME: series=S
// points=P", and every script error. The compare test and the dashboard's browser test read that element.
(function () {
  "use strict";
  var lines = [];
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var pct = function (a) { return a.map(function (v) { return v === null ? null : 100 * v; }); };
  try {
    lines.push(RavineCharts.overlay("loss", data.runs, function (r) { return r.steps && {x: r.steps.step, y: r.steps.loss}; }, "step", "loss"));
    lines.push(RavineCharts.overlay("val_loss", data.runs, function (r) { return r.epochs && {x: r.epochs.epoch, y: r.epochs.val_loss}; },
        "epoch", "validation loss"));
    lines.push(RavineCharts.overlay("val_accuracy", data.runs, function (r) { return r.epochs && {x: r.epochs.epoch, y: pct(r.epochs.val_accuracy)}; },
        "epoch", "validation accuracy %"));
  } catch (e) {
    window.__reportErrors.push(String(e));
  }
  setTimeout(function () {
    var out = lines.slice();
    window.__reportErrors.forEach(function (e) { out.push("error: " + e); });
    document.getElementById("compare-status").textContent = out.join("\n");
  }, 0);
})();
