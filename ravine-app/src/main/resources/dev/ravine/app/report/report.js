// Draws a Ravine run report's charts (run-charts.js, on the shared chart code charts.js) from the JSON in #report-data,
// then writes its self-check into #report-status: one line per chart ("chart NAME: points=N painted=M" or "chart NAME:
// not measured") and every script error. The report test opens the page in headless Chromium and reads that element.
(function () {
  "use strict";
  var check = RavineCharts.SelfCheck("report-status");
  window.__reportStatus = check.write;
  RavineRunCharts.draw(JSON.parse(document.getElementById("report-data").textContent), check);
  // uPlot draws in a microtask after construction; a timer runs after it.
  setTimeout(check.write, 0);
})();
