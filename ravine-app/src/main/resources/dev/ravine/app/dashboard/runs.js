// The dashboard's runs page: one row per run under the folder (status, progress, key metrics, top finding), replaced
// whenever the server's "runs" event says something changed (GET /api/runs/stream). Tick runs to compare them.
(function () {
  "use strict";
  var body = document.getElementById("run-rows");
  var button = document.getElementById("compare");
  var connection = document.getElementById("connection");
  var ticked = {};
  var rows = [];

  function cell(tr, text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    if (text !== undefined && text !== null) td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function num(v, digits) { return v === undefined || v === null ? "–" : RavineCharts.sci(+v.toFixed(digits)); }
  function pct(v) { return v === undefined || v === null ? "–" : (100 * v).toFixed(2) + "%"; }

  function ago(ms) {
    var s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 90) return s + " s ago";
    if (s < 5400) return Math.round(s / 60) + " min ago";
    if (s < 129600) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }

  function progress(td, r) {
    var epochs = r.epochs ? +r.epochs : 0, done = r.epochs_done || 0;
    if (epochs > 0) {
      var bar = document.createElement("span");
      bar.className = "bar";
      var fill = document.createElement("span");
      fill.style.width = Math.min(100, 100 * done / epochs) + "%";
      bar.appendChild(fill);
      td.appendChild(bar);
    }
    td.appendChild(document.createTextNode((epochs ? "epoch " + done + "/" + epochs + " · " : "") + "step " + (r.step === undefined ? 0 : r.step)));
  }

  function render() {
    body.textContent = "";
    document.getElementById("no-runs").hidden = rows.length > 0;
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-run", r.name);
      if (r.status === "running") tr.className = "fresh";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !!ticked[r.name];
      box.addEventListener("change", function () { ticked[r.name] = box.checked; updateButton(); });
      cell(tr).appendChild(box);
      var a = document.createElement("a");
      a.href = "/run?name=" + encodeURIComponent(r.name);
      a.textContent = r.name;
      cell(tr).appendChild(a);
      var status = document.createElement("span");
      status.className = "status status-" + String(r.status).replace(/[^A-Za-z]/g, "");
      status.textContent = r.status;
      if (r.reason) status.title = r.reason;
      cell(tr).appendChild(status);
      progress(cell(tr), r);
      cell(tr, num(r.loss, 6));
      cell(tr, num(r.val_loss, 6));
      cell(tr, pct(r.val_accuracy));
      cell(tr, pct(r.test_accuracy));
      var f = cell(tr, null, "finding");
      if (r.top_finding) {
        var badge = document.createElement("span");
        badge.className = "badge badge-" + r.top_finding.severity.replace(/[^a-z]/g, "");
        badge.textContent = r.top_finding.severity;
        f.appendChild(badge);
        f.appendChild(document.createTextNode(" " + r.top_finding.title + (r.findings > 1 ? " (+" + (r.findings - 1) + " more)" : "")));
      } else {
        f.textContent = "none";
      }
      cell(tr, ago(r.updated_ms));
      body.appendChild(tr);
    });
    updateButton();
  }

  function updateButton() {
    var names = rows.map(function (r) { return r.name; }).filter(function (n) { return ticked[n]; });
    button.disabled = names.length < 2;
    button.textContent = names.length < 2 ? "Compare selected (tick two or more)" : "Compare " + names.length + " runs";
    button.onclick = function () {
      window.location.href = "/compare?" + names.map(function (n) { return "run=" + encodeURIComponent(n); }).join("&");
    };
  }

  var events = new EventSource("/api/runs/stream");
  events.addEventListener("runs", function (e) {
    rows = JSON.parse(e.data);
    connection.textContent = "live, " + rows.length + " run" + (rows.length === 1 ? "" : "s");
    connection.className = "";
    render();
  });
  events.onerror = function () {
    connection.textContent = "connection lost: is ravine dashboard still running? (retrying)";
    connection.className = "lost";
  };
  setInterval(render, 15000); // the "updated" column ages
})();
