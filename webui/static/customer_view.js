// The customer's view: this browser receives the item's call as the customer
// would see and hear it, through the same impairment as the scenario's
// downlink. It offers two recvonly transceivers (non-trickle: the offer
// carries every candidate), reports its own getStats figures every second,
// which the server stores and answers with the simulator's, and hangs up
// when the page goes away. The server also hangs up when ICE fails.
(function () {
  "use strict";
  var root = document.getElementById("customer-view");
  if (!root || !window.RTCPeerConnection) { return; }
  var video = document.getElementById("cv-video"), audio = document.getElementById("cv-audio");
  var state = document.getElementById("cv-state"), sound = document.getElementById("cv-sound");
  var pc = null, feedID = "", timer = null, last = null, prev = null, ended = false;
  function msg(name) { return root.dataset["msg" + name] || ""; }
  function say(name) { state.textContent = msg(name); root.dataset.state = name.toLowerCase(); }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": root.dataset.csrf }
    }).then(function (r) {
      if (!r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
      return r.status === 204 ? null : r.json();
    });
  }

  // Non-trickle: wait for every candidate, but not forever.
  function gathered(conn) {
    return new Promise(function (resolve) {
      if (conn.iceGatheringState === "complete") { resolve(); return; }
      var t = setTimeout(resolve, 5000);
      conn.addEventListener("icegatheringstatechange", function () {
        if (conn.iceGatheringState === "complete") { clearTimeout(t); resolve(); }
      });
    });
  }

  function start() {
    var conn = pc = new RTCPeerConnection();
    conn.addTransceiver("video", { direction: "recvonly" });
    conn.addTransceiver("audio", { direction: "recvonly" });
    conn.ontrack = function (e) {
      var el = e.track.kind === "video" ? video : audio;
      el.srcObject = new MediaStream([e.track]);
      if (el === audio) {
        audio.play().catch(function () { sound.hidden = false; }); // autoplay with sound needs a gesture
      }
    };
    conn.onconnectionstatechange = function () {
      if (conn !== pc) { return; } // a call already redialled
      switch (conn.connectionState) {
        case "connected": say("Live"); break;
        case "disconnected": say("Lost"); break;
        case "failed": say("Failed"); retry(); break;
      }
    };
    say("Connecting");
    conn.createOffer().then(function (offer) {
      return conn.setLocalDescription(offer);
    }).then(function () {
      return gathered(conn);
    }).then(function () {
      return post(root.dataset.offer, { type: "offer", sdp: conn.localDescription.sdp });
    }).then(function (answer) {
      feedID = answer.id;
      return conn.setRemoteDescription({ type: "answer", sdp: answer.sdp });
    }).then(function () {
      timer = setInterval(report, 1000);
    }).catch(function () {
      if (conn === pc) { say("Failed"); retry(); }
    });
  }

  // A call that fails (the server restarted, the network dropped) is
  // redialled a few times before the page gives up.
  var retries = 0;
  function retry() {
    hangUp();
    if (ended || retries >= 3) { return; }
    retries++;
    setTimeout(function () { if (!ended) { say("Connecting"); start(); } }, 2000 * retries);
  }

  // figures picks the inbound-rtp figures the trainee compares with the
  // simulator's, with the names of the webrtc-stats spec.
  var VIDEO = ["packetsLost", "packetsReceived", "jitter", "framesPerSecond", "framesDropped", "framesDecoded",
    "freezeCount", "totalFreezesDuration", "frameWidth", "frameHeight", "nackCount", "pliCount"];
  var AUDIO = ["packetsLost", "packetsReceived", "jitter", "concealedSamples", "totalSamplesReceived",
    "concealmentEvents"];
  function figures() {
    return pc.getStats().then(function (rep) {
      var out = { video: {}, audio: {} };
      rep.forEach(function (s) {
        if (s.type !== "inbound-rtp" || (s.kind !== "video" && s.kind !== "audio")) { return; }
        (s.kind === "video" ? VIDEO : AUDIO).forEach(function (k) {
          if (typeof s[k] === "number") { out[s.kind][k] = s[k]; }
        });
      });
      return out;
    });
  }

  function report() {
    if (!pc || ended) { return; }
    figures().then(function (f) {
      prev = last;
      last = f;
      show("browser", browserRows(f, prev));
      return post(root.dataset.stats, { id: feedID, video: f.video, audio: f.audio });
    }).then(function (r) {
      if (r && r.simulator) { show("simulator", simulatorRows(r.simulator)); }
    }).catch(function (e) {
      // 404: the server no longer knows this view (another tab took over,
      // or the item closed); anything else, the next second tries again.
      if (e.status === 404) { say("Lost"); stop(); }
    });
  }

  function pct(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(1) + " %" : "—"; }
  function num(v, digits) { return typeof v === "number" && isFinite(v) ? v.toFixed(digits || 0) : "—"; }
  function delta(f, p, kind, k) { return (f[kind][k] || 0) - (p ? p[kind][k] || 0 : 0); }
  function browserRows(f, p) {
    var v = f.video, a = f.audio;
    var lost = delta(f, p, "video", "packetsLost"), got = delta(f, p, "video", "packetsReceived");
    return {
      loss: pct(lost, lost + got),
      jitter: num((v.jitter || 0) * 1000) + " ms",
      fps: num(v.framesPerSecond),
      resolution: v.frameWidth ? v.frameWidth + "×" + v.frameHeight : "—",
      dropped: num(v.framesDropped),
      freezes: num(v.freezeCount) + " / " + num(v.totalFreezesDuration, 1) + " s",
      nacks: num(v.nackCount),
      concealed: pct(a.concealedSamples || 0, a.totalSamplesReceived || 0)
    };
  }
  function simulatorRows(s) {
    return {
      loss: num(100 * (s.fractionLost || 0), 1) + " %",
      jitter: num((s.jitter || 0) * 1000) + " ms",
      fps: num(s.framesPerSecond),
      resolution: s.frameWidth ? s.frameWidth + "×" + s.frameHeight : "—",
      dropped: num(s.framesDropped),
      freezes: num(s.freezeCount) + " / " + num(s.totalFreezesDuration, 1) + " s",
      nacks: num(s.nackCount),
      concealed: pct(s.concealedSamples || 0, s.totalSamplesReceived || 0)
    };
  }
  function show(side, rows) {
    Object.keys(rows).forEach(function (m) {
      var td = root.querySelector('tr[data-metric="' + m + '"] td[data-side="' + side + '"]');
      if (td) { td.textContent = rows[m]; }
    });
  }

  // Hang up: the server stops sending at once instead of noticing seconds
  // later. sendBeacon survives the page going away; it cannot set headers,
  // so the CSRF token travels as a form field.
  function hangUp() {
    clearInterval(timer);
    timer = null;
    if (feedID) {
      navigator.sendBeacon(root.dataset.close, new URLSearchParams({ _csrf: root.dataset.csrf, id: feedID }));
      feedID = "";
    }
    if (pc) { pc.close(); }
  }
  function stop() {
    if (ended) { return; }
    ended = true;
    hangUp();
  }
  window.addEventListener("pagehide", stop);
  sound.addEventListener("click", function () {
    audio.play().then(function () { sound.hidden = true; }).catch(function () {});
  });

  // For tests and the curious: the latest figures and the connection.
  window.rtcdrillCustomerView = {
    figures: function () { return pc ? figures() : Promise.resolve(null); },
    state: function () { return pc ? pc.connectionState : "new"; },
    stop: stop
  };
  start();
})();
