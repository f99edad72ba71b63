// The dashboard's only script (no inline script anywhere: the CSP forbids it).
// Elements with data-poll wait for a check to finish: every 2 s they ask the status URL, and reload the page once
// when the domain's last check time moves past data-since. No reload loop: one reload, then the page is static.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const el = document.querySelector("[data-poll]");
  if (!el) return;
  const url = el.getAttribute("data-poll");
  const since = el.getAttribute("data-since") || "";
  let tries = 0;
  const tick = async () => {
    if (++tries > 90) return; // give up after about 3 minutes; "Check now" or a reload still works
    try {
      const response = await fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        if (state.lastCheckedAt && state.lastCheckedAt !== since && (!since || Date.parse(state.lastCheckedAt) > Date.parse(since))) {
          const clean = window.location.pathname; // drop ?since= so the reloaded page does not poll again
          window.location.replace(clean);
          return;
        }
      }
    } catch (e) { /* the service may be restarting; try again */ }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 1000);
});
