// The mosaic's only script: states by a short poll of /mosaic/api/tiles (every 2 s), and for the tiles on screen only
// (IntersectionObserver) a thumbnail and the live readings every 3 s, proxied by the operator from a worker pod.
"use strict";
(function () {
  const STATE_EVERY_MS = 2000;
  const PICTURE_EVERY_MS = 3000;
  const STALE_AFTER_MS = 10000;
  const HEALTH = {
    "signal-loss": ["Signal loss", "\u26A0"], "defect": ["Defect", "\u2716"],
    "not-ready": ["Not ready", "\u23F8"], "healthy": ["Healthy", "\u2714"]
  };
  const tiles = () => Array.from(document.querySelectorAll(".tile[data-key]"));
  const onScreen = new Set();
  const fromStatus = new Map(); // key → health the operator's status says
  const fromWorker = new Map(); // key → live readings of the worker

  function path(key) {
    return key.split("/").map(encodeURIComponent).join("/");
  }

  function setHealth(tile, health, defects) {
    const [label, icon] = HEALTH[health] || HEALTH["not-ready"];
    tile.classList.remove(...Object.keys(HEALTH));
    tile.classList.add(health);
    tile.dataset.health = health;
    tile.querySelector(".badge .label").textContent = label;
    tile.querySelector(".badge .icon").textContent = icon;
    if (defects !== undefined) tile.querySelector(".defects").textContent = defects.join(", ");
  }

  // A worker's report is seconds ahead of status (written at most every few seconds): the worse of the two shows.
  function render(tile) {
    const key = tile.dataset.key;
    const status = fromStatus.get(key);
    const live = fromWorker.get(key);
    let health = status ? status.health : tile.dataset.health;
    let defects = status ? status.defects : undefined;
    if (live && Date.now() - live.at < 2 * PICTURE_EVERY_MS) {
      if (live.activeDefects.includes("signal_loss") || !live.connected) health = "signal-loss";
      else if (live.activeDefects.length && (health === "healthy" || health === "not-ready")) health = "defect";
      if (live.activeDefects.length) defects = live.activeDefects;
    }
    setHealth(tile, health, defects);
    if (status) {
      tile.querySelector(".decoder").textContent = status.decoder;
      tile.querySelector(".fps").textContent = status.fps;
      tile.querySelector(".resolution").textContent = status.resolution;
    }
  }

  async function pollStates() {
    try {
      const r = await fetch("/mosaic/api/tiles", {cache: "no-store"});
      if (r.ok) {
        const list = await r.json();
        const known = new Set(tiles().map(t => t.dataset.key));
        const keys = list.map(t => t.namespace + "/" + t.name);
        if (document.getElementById("mosaic") &&
            (keys.length !== known.size || keys.some(k => !known.has(k)))) {
          location.reload(); // streams came or went: the server renders the new grid
          return;
        }
        list.forEach(t => fromStatus.set(t.namespace + "/" + t.name, t));
        tiles().forEach(render);
      }
    } catch (e) { /* the next poll tries again */ }
    setTimeout(pollStates, STATE_EVERY_MS);
  }

  function levels(tile, list) {
    const box = tile.querySelector(".levels");
    box.replaceChildren(...list.map(l => {
      const bar = document.createElement("span");
      bar.className = "meter";
      const db = l.shortTermLufs == null ? -70 : l.shortTermLufs;
      bar.style.setProperty("--level", Math.max(0, Math.min(100, (db + 60) * 100 / 60)) + "%");
      const peak = l.peakDbtp == null ? "–" : l.peakDbtp.toFixed(1) + " dBTP";
      const lufs = l.shortTermLufs == null ? "silent" : l.shortTermLufs.toFixed(1) + " LUFS";
      bar.textContent = "track " + l.track + ": " + lufs + ", peak " + peak;
      return bar;
    }));
    box.setAttribute("aria-label", list.length ? "Audio levels" : "No audio levels");
  }

  async function refreshPicture(tile) {
    const key = tile.dataset.key;
    const img = tile.querySelector("img");
    const stale = tile.querySelector(".stale");
    try {
      const r = await fetch("/mosaic/thumbnail/" + path(key), {cache: "no-store"});
      if (r.ok) {
        const age = Number(r.headers.get("X-Monoscope-Picture-Age-Ms") || 0);
        const url = URL.createObjectURL(await r.blob());
        const old = img.src;
        img.src = url;
        if (old.startsWith("blob:")) URL.revokeObjectURL(old);
        stale.hidden = age < STALE_AFTER_MS;
        stale.textContent = "stale picture (" + Math.round(age / 1000) + " s old)";
      } else {
        stale.hidden = false;
        stale.textContent = r.status === 404 ? "no picture" : "picture unavailable";
      }
    } catch (e) {
      stale.hidden = false;
    }
    try {
      const r = await fetch("/mosaic/api/live/" + path(key), {cache: "no-store"});
      if (r.ok) {
        const live = await r.json();
        fromWorker.set(key, {...live, at: Date.now()});
        levels(tile, live.audioLevels || []);
        render(tile);
      }
    } catch (e) { /* the tile keeps the state from status */ }
  }

  function pictures() {
    const busy = [];
    tiles().filter(t => onScreen.has(t) && !t.hidden).forEach(t => busy.push(refreshPicture(t)));
    Promise.allSettled(busy).then(() => setTimeout(pictures, PICTURE_EVERY_MS));
  }

  function applyFilters() {
    const ns = document.getElementById("filter-namespace");
    if (!ns) return;
    const label = document.getElementById("filter-label").value.trim();
    const unhealthy = document.getElementById("filter-unhealthy").checked;
    tiles().forEach(t => {
      const labels = (t.dataset.labels || "").split(",");
      t.hidden = (ns.value && t.dataset.namespace !== ns.value) ||
        (label && !labels.some(l => l === label || l.startsWith(label + "="))) ||
        (unhealthy && t.dataset.health === "healthy");
    });
    document.querySelectorAll("section.namespace").forEach(s => {
      s.hidden = !s.querySelector(".tile:not([hidden])");
    });
    keepKeyboardPlace();
  }

  // A filter never loses a keyboard user's place: hiding the focused tile parks the focus on the "only unhealthy"
  // box, and showing that tile again gives the focus back to it.
  let parked = null;
  function keepKeyboardPlace() {
    const box = document.getElementById("filter-unhealthy");
    const active = document.activeElement;
    const tile = active && active.closest ? active.closest(".tile") : null;
    if (tile && tile.hidden) {
      parked = tile;
      box.focus();
    } else if (parked && !parked.hidden && (active === document.body || active === box)) {
      parked.querySelector("a.open").focus();
      parked = null;
    }
  }

  function toggleWall() {
    const on = document.body.classList.toggle("wall");
    document.getElementById("wall").setAttribute("aria-pressed", String(on));
    if (on && document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }

  // Arrow keys move between visible tiles in reading order, by rows as laid out on screen.
  function move(event) {
    const links = tiles().filter(t => !t.hidden).map(t => t.querySelector("a.open"));
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    const rect = e => e.getBoundingClientRect();
    const here = rect(links[at]);
    let next = -1;
    if (event.key === "ArrowRight") next = Math.min(links.length - 1, at + 1);
    if (event.key === "ArrowLeft") next = Math.max(0, at - 1);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const down = event.key === "ArrowDown";
      const rows = links.map((l, i) => [i, rect(l)]).filter(([, r]) => down ? r.top > here.bottom - 2 : r.bottom < here.top + 2);
      rows.sort((a, b) => (down ? a[1].top - b[1].top : b[1].top - a[1].top) ||
        Math.abs(a[1].left - here.left) - Math.abs(b[1].left - here.left));
      if (rows.length) next = rows[0][0];
    }
    if (next >= 0) {
      links[next].focus();
      event.preventDefault();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const observer = new IntersectionObserver(entries => entries.forEach(e => {
      if (e.isIntersecting) {
        if (!onScreen.has(e.target)) { onScreen.add(e.target); refreshPicture(e.target); }
      } else onScreen.delete(e.target);
    }));
    tiles().forEach(t => observer.observe(t));
    const form = document.getElementById("filters");
    if (form) {
      form.addEventListener("input", applyFilters);
      form.addEventListener("submit", e => e.preventDefault());
      document.getElementById("wall").addEventListener("click", toggleWall);
    }
    document.addEventListener("keydown", e => {
      if (e.target.matches("input:not([type=checkbox]), select")) return;
      if (e.key.startsWith("Arrow")) move(e);
      else if (e.key === "w" && form) toggleWall();
      else if (e.key === "u" && form) {
        const box = document.getElementById("filter-unhealthy");
        box.checked = !box.checked;
        applyFilters();
      } else if (e.key === "Escape" && document.body.classList.contains("wall")) toggleWall();
    });
    setTimeout(pollStates, STATE_EVERY_MS);
    setTimeout(pictures, PICTURE_EVERY_MS);
  });
})();
