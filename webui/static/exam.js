// The exam page's live parts: the charts and the log from the server's
// event stream, the countdown, and remedies and drafts sent without leaving
// the page. The page works without this script (its forms post and come
// back), and the server enforces the time limit whatever the countdown says.
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  function msg(name) { return root.dataset["msg" + name] || ""; }
  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  // Charts: the last WINDOW samples of each metric as an SVG polyline.
  var WINDOW = 90, SLOTS = 30, W = 240, H = 60;
  var charts = [];
  document.querySelectorAll("figure.chart").forEach(function (fig) {
    charts.push({
      fig: fig, metric: fig.dataset.metric, unit: fig.dataset.unit || "",
      scale: parseFloat(fig.dataset.scale) || 1, digits: parseInt(fig.dataset.digits, 10) || 0,
      line: fig.querySelector("polyline"), now: fig.querySelector("output"), values: [], count: 0
    });
  });
  function draw(ch) {
    var vs = ch.values, lo = Math.min(0, Math.min.apply(null, vs)), hi = Math.max.apply(null, vs);
    if (hi - lo < 1e-9) { hi = lo + 1; }
    // The line grows from the left over the first SLOTS samples, then
    // scrolls.
    var slots = Math.min(WINDOW, Math.max(SLOTS, vs.length)), pts = [];
    for (var i = 0; i < vs.length; i++) {
      var x = i * W / (slots - 1);
      var y = H - 2 - (vs[i] - lo) / (hi - lo) * (H - 6);
      pts.push(x.toFixed(1) + "," + y.toFixed(1));
    }
    ch.line.setAttribute("points", pts.join(" "));
  }
  var lastSample = -1;
  function addSample(s) {
    if (s.timestamp <= lastSample) { return; } // a reconnect resends the backlog
    lastSample = s.timestamp;
    charts.forEach(function (ch) {
      var v = s[ch.metric];
      if (typeof v !== "number" || !isFinite(v)) { return; }
      v *= ch.scale;
      ch.values.push(v);
      if (ch.values.length > WINDOW) { ch.values.shift(); }
      ch.count++;
      ch.fig.dataset.points = String(ch.count);
      ch.now.textContent = v.toFixed(ch.digits) + (ch.unit ? " " + ch.unit : "");
      draw(ch);
    });
  }

  // Countdown from the server's figure, corrected by every clock event.
  var timer = document.getElementById("timer"), deadline = null;
  function tick() {
    if (!timer || deadline === null) { return; }
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) {
      deadline = null;
      setTimeout(function () { location.reload(); }, 1500);
    }
  }
  function setRemaining(sec) { deadline = Date.now() + sec * 1000; tick(); }
  if (root.dataset.remaining) {
    setRemaining(parseInt(root.dataset.remaining, 10));
    setInterval(tick, 1000);
  }

  // The live call.
  var state = document.getElementById("call-state"), logList = document.getElementById("log");
  var es = new EventSource(root.dataset.stream);
  es.addEventListener("sample", function (e) {
    addSample(JSON.parse(e.data));
    state.textContent = msg("Live");
  });
  es.addEventListener("log", function (e) {
    var l = JSON.parse(e.data), li = document.createElement("li"), t = document.createElement("time");
    t.textContent = l.at;
    li.appendChild(t);
    li.appendChild(document.createTextNode(" " + l.peer + " " + l.kind + " " + l.message));
    logList.appendChild(li);
    while (logList.children.length > 300) { logList.removeChild(logList.firstChild); }
    logList.scrollTop = logList.scrollHeight;
  });
  es.addEventListener("clock", function (e) {
    var c = JSON.parse(e.data);
    if (c.remaining_seconds !== null) { setRemaining(c.remaining_seconds); }
  });
  es.addEventListener("end", function () {
    es.close();
    state.textContent = msg("Ended");
    setTimeout(function () { location.reload(); }, 1500);
  });
  es.onerror = function () { if (es.readyState !== EventSource.CLOSED) { state.textContent = msg("Lost"); } };

  // Remedies act at once and show their outcome here.
  var outcome = document.getElementById("remedy-outcome"), taken = document.getElementById("actions-taken");
  document.querySelectorAll("form.remedy").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      outcome.classList.remove("error");
      outcome.textContent = msg("Applying");
      post(form.action, new URLSearchParams(new FormData(form))).then(function (a) {
        outcome.textContent = a.name + ": " + (a.error || a.outcome);
        outcome.classList.toggle("error", !!a.error);
        var li = document.createElement("li"), t = document.createElement("time"), b = document.createElement("strong");
        t.textContent = a.at;
        b.textContent = a.name;
        li.appendChild(t);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(b);
        li.appendChild(document.createTextNode(": " + (a.error || a.outcome)));
        taken.appendChild(li);
        var none = document.getElementById("no-actions");
        if (none) { none.remove(); }
      }).catch(function () {
        outcome.classList.add("error");
        outcome.textContent = msg("Failed");
      }).finally(function () { button.disabled = false; });
    });
  });

  // Diagnostic tools only look; their output opens above the earlier runs.
  var runs = document.getElementById("tool-runs");
  document.querySelectorAll("form.tool").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      var d = document.createElement("details"), sum = document.createElement("summary"), pre = document.createElement("pre");
      d.open = true;
      sum.textContent = button.textContent;
      pre.textContent = msg("Running");
      d.appendChild(sum);
      d.appendChild(pre);
      runs.querySelectorAll("details").forEach(function (old) { old.open = false; });
      runs.insertBefore(d, runs.firstChild);
      var none = document.getElementById("no-tool-runs");
      if (none) { none.remove(); }
      post(form.action, new URLSearchParams(new FormData(form))).then(function (r) {
        sum.textContent = r.at + " " + r.tool;
        pre.textContent = r.error || r.output;
      }).catch(function () {
        pre.textContent = msg("ToolFailed");
      }).finally(function () { button.disabled = false; });
    });
  });

  // Drafts are saved as the trainee works, so a restart loses nothing.
  var diag = document.getElementById("diagnosis"), draftState = document.getElementById("draft-state"), pending = null;
  function saveSoon(delay) {
    clearTimeout(pending);
    pending = setTimeout(function () {
      post(diag.dataset.draft, new URLSearchParams(new FormData(diag))).then(function () {
        draftState.textContent = msg("Saved");
      }).catch(function () { draftState.textContent = msg("SaveFailed"); });
    }, delay);
  }
  diag.addEventListener("change", function () { saveSoon(500); });
  diag.addEventListener("input", function () { saveSoon(1500); });
  diag.addEventListener("submit", function () { clearTimeout(pending); });
})();
