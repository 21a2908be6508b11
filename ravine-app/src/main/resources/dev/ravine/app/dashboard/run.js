// The dashboard's run page: follows one run through GET /api/run/stream?name=RUN. The first event ("snapshot") is the
// report's data of the run; each "delta" holds the rows after a step (see ReportDelta), which are merged in before the
// charts are drawn again by the report's own chart code (run-charts.js on charts.js). Findings and repairs arrive rendered as the report
// renders them. The self-check (#dashboard-status) has the report's lines plus the number of updates received.
(function () {
  "use strict";
  var name = new URLSearchParams(window.location.search).get("name");
  var connection = document.getElementById("connection");
  var data = null;
  var updates = 0;
  var check = null;
  var drawnAt = 0, pending = null;

  // ---- merging a delta --------------------------------------------------------------------------------------------

  // Drops the entries of a column set whose step is after `from`: a delta replaces them (replayed after a repair).
  function truncate(columns, keys, from) {
    var keep = columns.step.length;
    while (keep > 0 && columns.step[keep - 1] > from) keep--;
    keys.forEach(function (k) { columns[k].length = keep; });
    return keep;
  }

  function mergeSeries(target, delta, keys, from) {
    if (!target) return delta;
    truncate(target, ["step"].concat(keys), from);
    if (!delta) return target;
    ["step"].concat(keys).forEach(function (k) { Array.prototype.push.apply(target[k], delta[k]); });
    return target;
  }

  // A readings grid ({step, names, labels, MEASURE[row][column]}): rows are matched by name; a layer first read in the
  // delta gets a row of nulls for the earlier columns.
  function mergeGrid(target, delta, measures, from) {
    if (!target) return delta;
    var keep = target.step.length;
    while (keep > 0 && target.step[keep - 1] > from) keep--;
    target.step.length = keep;
    measures.forEach(function (m) { target[m].forEach(function (row) { row.length = keep; }); });
    if (!delta) return target;
    delta.names.forEach(function (n, i) {
      if (target.names.indexOf(n) >= 0) return;
      target.names.push(n);
      target.labels.push(delta.labels[i]);
      if (target.kinds && delta.kinds) target.kinds.push(delta.kinds[i]);
      measures.forEach(function (m) { target[m].push(new Array(keep).fill(null)); });
    });
    target.names.forEach(function (n, row) {
      var j = delta.names.indexOf(n);
      measures.forEach(function (m) {
        var values = j >= 0 ? delta[m][j] : delta.step.map(function () { return null; });
        Array.prototype.push.apply(target[m][row], values);
      });
    });
    Array.prototype.push.apply(target.step, delta.step);
    return target;
  }

  function merge(d) {
    var from = d.from;
    data.steps.nonfinite = data.steps.nonfinite.filter(function (s) { return s <= from; }).concat(d.steps.nonfinite);
    mergeSeries(data.steps, d.steps, ["loss"], from);
    data.steps.count = data.steps.step.length;
    data.layers = mergeGrid(data.layers, d.layers, ["grad_norm", "update_ratio"], from);
    data.activations = mergeGrid(data.activations, d.activations, ["dead_fraction", "saturated_fraction"], from);
    data.curvature = mergeSeries(data.curvature, d.curvature,
        ["sharpness", "threshold", "preconditioned_sharpness", "preconditioned_threshold", "hvps"], from);
    data.epochs = d.epochs;
    data.findings = d.findings;
    data.repairs = d.repairs;
    data.run.status = d.status;
    data.findings_html = d.findings_html;
    data.repairs_html = d.repairs_html;
  }

  // ---- showing the run --------------------------------------------------------------------------------------------

  function header() {
    var status = document.getElementById("run-status");
    status.textContent = data.run.status;
    status.className = "status status-" + String(data.run.status).replace(/[^A-Za-z]/g, "");
    var s = data.steps, e = data.epochs;
    var last = s.step.length ? s.step[s.step.length - 1] : 0;
    var loss = s.loss.length ? s.loss[s.loss.length - 1] : null;
    document.getElementById("run-progress").textContent = "step " + last + " · epochs done " + e.epoch.length
        + (loss === null ? "" : " · loss " + RavineCharts.sci(loss)) + " · " + data.findings.length + " finding"
        + (data.findings.length === 1 ? "" : "s");
  }

  // The server renders these as the report does, every string escaped; replaced only when they changed, so a reader's
  // place on the page (an open details element, a selection) survives the updates.
  function replace(id, html) {
    var el = document.getElementById(id);
    if (html && el.getAttribute("data-html") !== html) {
      el.innerHTML = html;
      el.setAttribute("data-html", html);
    }
  }

  function sections() {
    replace("summary-slot", data.summary_html);
    replace("findings-slot", data.findings_html);
    replace("repairs-slot", data.repairs_html);
  }

  // Drawing every chart again costs a few milliseconds; at most every 300 ms, the newest data always drawn last.
  function draw() {
    var wait = 300 - (performance.now() - drawnAt);
    if (wait > 0) {
      if (!pending) pending = setTimeout(function () { pending = null; draw(); }, wait);
      return;
    }
    drawnAt = performance.now();
    if (check) check.destroy();
    check = RavineCharts.SelfCheck("dashboard-status");
    RavineRunCharts.draw(data, check);
    var drawn = check;
    setTimeout(function () {
      if (drawn !== check) return; // a newer drawing writes its own lines
      check.write();
      var pre = document.getElementById("dashboard-status");
      pre.textContent += "\nupdates: " + updates + "\nstatus: " + data.run.status;
      pre.setAttribute("data-updates", String(updates));
    }, 0);
  }

  function show() {
    header();
    sections();
    draw();
  }

  var events = new EventSource("/api/run/stream?name=" + encodeURIComponent(name));
  events.addEventListener("waiting", function () {
    connection.textContent = "waiting for the run to start (no run.db in its folder yet)";
  });
  events.addEventListener("snapshot", function (e) {
    data = JSON.parse(e.data);
    updates++;
    connection.textContent = "live";
    connection.className = "";
    show();
  });
  events.addEventListener("delta", function (e) {
    if (!data) return;
    merge(JSON.parse(e.data));
    updates++;
    show();
  });
  events.onerror = function () {
    connection.textContent = data && data.run.status !== "running"
        ? "the run has ended; the dashboard is no longer serving (the page shows its last state)"
        : "connection lost: is the dashboard still running? (retrying)";
    connection.className = "lost";
  };
})();
