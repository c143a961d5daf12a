// storyline web UI: live updates and keyboard shortcuts. No framework,
// no external requests: only this server's /api/live event stream.
(function () {
  "use strict";

  // "/" focuses the search box (unless typing in a field).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var q = document.getElementById("q");
    if (q) { e.preventDefault(); q.focus(); q.select(); swallowSlash = true; setTimeout(function () { swallowSlash = false; }, 200); }
  });
  // Some input paths (synthetic key events) still deliver the "/" as text
  // to the newly focused box: drop that one character.
  var swallowSlash = false;
  document.addEventListener("beforeinput", function (e) {
    if (swallowSlash && e.data === "/" && e.target && e.target.id === "q") { e.preventDefault(); }
    swallowSlash = false;
  }, true);

  var live = document.getElementById("live");
  var hideTimer = 0;
  function say(msg) {
    if (!live) return;
    live.textContent = msg;
    live.classList.add("show");
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { live.classList.remove("show"); }, 4000);
  }

  // Re-fetch this page and swap in the parts marked data-live="refresh".
  var pending = false, busy = false, added = 0;
  function refresh() {
    if (busy) { pending = true; return; }
    busy = true;
    fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("content");
        var main = document.getElementById("content");
        if (!fresh || !main) return;
        var active = document.activeElement;
        var keep = active && main.contains(active) && active.getAttribute("href");
        if (active && main.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) {
          // Do not pull the form from under the user's fingers: swap only the live parts.
          var parts = main.querySelectorAll("[data-live]");
          var freshParts = fresh.querySelectorAll("[data-live]");
          for (var i = 0; i < parts.length && i < freshParts.length; i++) parts[i].replaceWith(freshParts[i]);
        } else {
          main.innerHTML = fresh.innerHTML;
        }
        if (keep) {
          var again = main.querySelector('[href="' + CSS.escape(keep) + '"]');
          if (again) again.focus();
        }
        say(added === 1 ? "1 new article" : added + " new articles");
        added = 0;
        document.dispatchEvent(new CustomEvent("storyline:refreshed"));
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (pending) { pending = false; setTimeout(refresh, 500); }
      });
  }

  var timer = 0;
  function onIngest(ev) {
    try { added += (JSON.parse(ev.data).new || 0) + (JSON.parse(ev.data).updated || 0); } catch (e) {}
    if (!document.querySelector("[data-live]")) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 700); // one refresh per burst of batches
  }

  // Server-sent events; fall back to polling /healthz when unavailable.
  if (window.EventSource) {
    var es = new EventSource("/api/live");
    es.addEventListener("ingest", onIngest);
  } else {
    var last = -1;
    setInterval(function () {
      fetch("/healthz").then(function (r) { return r.json(); }).then(function (h) {
        if (last >= 0 && h.articles !== last) onIngest({ data: JSON.stringify({ new: h.articles - last }) });
        last = h.articles;
      }).catch(function () {});
    }, 10000);
  }
})();
