/*
 * Live updates for signed-in pages.
 *
 * Opens /ws/v1/stream with the session cookie, keeps the last event id it saw (in
 * sessionStorage, so a reload or a reconnect resumes from it), drops ids it has
 * already seen, asks again when the tenant's `sequence` jumps (a missed event), and on
 * any event re-renders every [data-live-refresh] region of the page from the server
 * (same formatting, same totals, no full reload). After a lost connection it reconnects with backoff and asks for what it missed (`resume`).
 */
(function () {
  "use strict";

  var CONTROL = { "connection.ready": 1, pong: 1, heartbeat: 1, error: 1, "resume.done": 1 };
  var STOP_CODES = { 4401: 1, 4403: 1 };
  var TOO_MANY = 4429;
  var LAST_ID_KEY = "finance.lastEventId";
  var SEEN_LIMIT = 500;
  var UPDATED_SHOWN_MS = 10000;

  var status = document.getElementById("live-status");
  var seen = [];
  var socket = null;
  var retries = 0;
  var refreshTimer = null;
  var lastSequence = null;
  var resuming = false;
  var statusTimer = null;

  function setStatus(state) {
    if (!status) return;
    clearTimeout(statusTimer);
    status.dataset.state = state;
    var text = status.dataset[state + "Text"];
    if (text !== undefined) status.textContent = text;
    // "Updated just now" is only true for a while; then it is simply live again.
    if (state === "updated") statusTimer = setTimeout(function () { setStatus("live"); }, UPDATED_SHOWN_MS);
  }

  function lastId() {
    try { return sessionStorage.getItem(LAST_ID_KEY); } catch (e) { return null; }
  }

  function remember(id) {
    seen.push(id);
    if (seen.length > SEEN_LIMIT) seen.shift();
    try { sessionStorage.setItem(LAST_ID_KEY, id); } catch (e) { /* private mode */ }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/v1/stream");
    socket.onmessage = function (message) { receive(JSON.parse(message.data)); };
    socket.onclose = function (event) { closed(event.code); };
  }

  function receive(event) {
    if (event.type === "connection.ready") {
      retries = 0;
      setStatus("live");
      if (lastId()) resume();
      else scheduleRefresh();
      return;
    }
    if (event.type === "resume.done" && event.data.more) {
      resume();  // capped: ask for the rest, after the last one received
      return;
    }
    if (event.type === "resume.done" || (event.type === "error" && event.data.code === "UNKNOWN_EVENT")) {
      resuming = false;
      scheduleRefresh();
      return;
    }
    if (CONTROL[event.type] || seen.indexOf(event.id) !== -1) return;
    if (lastSequence !== null && event.sequence <= lastSequence) return;  // already had it
    if (!resuming && lastSequence !== null && event.sequence > lastSequence + 1) {
      resume();  // a gap: ask for what is missing; this event comes again in order
      return;
    }
    lastSequence = event.sequence;
    remember(event.id);
    if (event.type === "notification.created" || event.type === "notifications.read") {
      showUnread(event.data.unread_count);
      scheduleRefresh();
    }
    else scheduleRefresh();  // money moved, an export advanced...: the page may show it
    document.dispatchEvent(new CustomEvent("finance:event", { detail: event }));
  }

  function resume() {
    resuming = true;
    socket.send(JSON.stringify({ type: "resume", after: lastId() }));
  }

  function closed(code) {
    socket = null;
    setStatus("offline");
    if (STOP_CODES[code]) return;
    var base = code === TOO_MANY ? 30000 : Math.min(15000, 500 * Math.pow(2, retries));
    retries += 1;
    setTimeout(connect, base + Math.random() * 500);
  }

  function showUnread(count) {
    var badge = document.getElementById("bell-count");
    if (!badge) return;
    badge.dataset.count = String(count);
    badge.firstChild.nodeValue = String(count);
    badge.hidden = count === 0;
  }

  function scheduleRefresh() {
    if (!document.querySelector("[data-live-refresh]")) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 150);
  }

  function refresh() {
    fetch(location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-refresh][id]").forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (replacement) swap(region, replacement);
        });
        var badge = fresh.getElementById("bell-count");
        if (badge) showUnread(Number(badge.dataset.count || 0));
        setStatus("updated");
      })
      .catch(function () { /* the next event or reconnect tries again */ });
  }

  function swap(region, replacement) {
    // Keep keyboard focus where it was when the focused link still exists.
    var focused = region.contains(document.activeElement) ? document.activeElement : null;
    var href = focused && focused.getAttribute("href");
    region.innerHTML = replacement.innerHTML;
    if (href) {
      var again = region.querySelector('[href="' + CSS.escape(href) + '"]');
      if (again) again.focus();
    }
  }

  if ("WebSocket" in window) connect();
})();
