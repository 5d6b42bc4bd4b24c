// flashpoint dashboard: map, timeline chart, filters, incident panel with highlighted evidence.
// Every string from the store goes into the page through textContent, never as HTML.
"use strict";

const COLOURS = {
  "Battles": "#c0392b", "Explosions/Remote violence": "#d35400", "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d",
};
const state = { map: null, layer: null, markers: new Map(), selected: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function getJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters"))) {
    if (String(value).trim()) params.set(key, String(value).trim());
  }
  params.set("limit", "1000");
  return params.toString();
}

function gridStep(zoom) {
  // Degrees between grid lines: about four to eight lines across the view at any zoom.
  const steps = [30, 30, 30, 20, 10, 5, 2, 1, 0.5, 0.25, 0.1, 0.05];
  return steps[Math.max(0, Math.min(steps.length - 1, Math.round(zoom)))];
}

function drawGrid(map) {
  // No tiles configured: a plain latitude/longitude grid, redrawn for the view, so the map still reads as a map.
  const lines = L.layerGroup().addTo(map);
  const redraw = () => {
    lines.clearLayers();
    const step = gridStep(map.getZoom());
    const b = map.getBounds().pad(0.5);
    const south = Math.max(-85, Math.floor(b.getSouth() / step) * step), north = Math.min(85, b.getNorth());
    const west = Math.floor(b.getWest() / step) * step, east = b.getEast();
    const fmt = (v) => String(Number(v.toFixed(2)));
    for (let lat = south; lat <= north; lat += step) {
      L.polyline([[lat, west], [lat, east]], { color: "#c8d0d2", weight: 1, interactive: false }).addTo(lines);
    }
    for (let lon = west; lon <= east; lon += step) {
      L.polyline([[south, lon], [north, lon]], { color: "#c8d0d2", weight: 1, interactive: false }).addTo(lines);
    }
    for (let lat = south; lat <= north; lat += 2 * step) {
      for (let lon = west; lon <= east; lon += 2 * step) {
        L.marker([lat, lon], { interactive: false, keyboard: false,
          icon: L.divIcon({ className: "grid-label", html: `${fmt(lat)}°, ${fmt(lon)}°`, iconSize: [70, 12] }) }).addTo(lines);
      }
    }
  };
  map.on("moveend", redraw);
  redraw();
}

async function initMap() {
  const config = await getJSON("/api/config");
  state.map = L.map("map", { worldCopyJump: true }).setView([15, 30], 4);
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: 18, attribution: "map tiles: see your tile provider" }).addTo(state.map);
  } else {
    // No tiles: country outlines served by the app (from a package), on a blank background.
    // Not awaited: incidents show at once, the outlines slip in beneath them when they arrive.
    drawGrid(state.map);
    getJSON("/api/outlines").then((outlines) => {
      L.geoJSON(outlines, { interactive: false,
        style: { color: "#95a5a6", weight: 1, fillColor: "#fdfefe", fillOpacity: 1 } }).addTo(state.map).bringToBack();
    }).catch(() => { /* the grid alone still reads as a map */ });
  }
  state.layer = L.layerGroup().addTo(state.map);
}

const DAY_MS = 86400000;

function chartBins(perDay) {
  // Consecutive bins over the whole span (empty days show as gaps): days, weeks or months by span.
  const dates = [...perDay.keys()].sort();
  const first = Date.parse(dates[0]), last = Date.parse(dates[dates.length - 1]);
  const span = Math.round((last - first) / DAY_MS) + 1;
  const size = span <= 120 ? 1 : span <= 840 ? 7 : 30;
  const bins = [];
  for (let t = first; t <= last; t += size * DAY_MS) bins.push({ start: new Date(t).toISOString().slice(0, 10), n: 0 });
  for (const [day, n] of perDay) bins[Math.floor((Date.parse(day) - first) / DAY_MS / size)].n += n;
  return { bins, size };
}

function svgText(ns, x, y, text, anchor) {
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", x); label.setAttribute("y", y); label.setAttribute("font-size", "10");
  label.setAttribute("text-anchor", anchor); label.textContent = text;
  return label;
}

function drawChart(days) {
  const box = document.getElementById("chart");
  box.textContent = "";
  if (!days.length) return;
  const perDay = new Map();
  for (const d of days) perDay.set(d.date, (perDay.get(d.date) || 0) + d.incidents);
  const { bins, size } = chartBins(perDay);
  const most = Math.max(...bins.map((b) => b.n));
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  // Drawn at the box's own width, so labels keep their size on any screen.
  const width = Math.max(240, box.clientWidth || 600), height = 90, left = 10, right = width - 10;
  const slot = (right - left) / bins.length, barW = Math.max(1, Math.min(40, slot - 2));
  const unit = size === 1 ? "day" : size === 7 ? "week" : "30 days";
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Incidents per ${unit}, ${bins[0].start} to ${bins[bins.length - 1].start}; most in one ${unit}: ${most}`);
  bins.forEach((bin, i) => {
    if (!bin.n) return;
    const h = (height - 30) * bin.n / most;
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", left + i * slot + (slot - barW) / 2); rect.setAttribute("y", height - 15 - h);
    rect.setAttribute("width", barW); rect.setAttribute("height", h); rect.setAttribute("fill", "#5d6d7e");
    const title = document.createElementNS(ns, "title");
    title.textContent = `${size === 1 ? "" : "from "}${bin.start}: ${bin.n} incident${bin.n === 1 ? "" : "s"}`;
    rect.append(title);
    svg.append(rect);
  });
  svg.append(svgText(ns, left, 10, `${most} per ${unit} at most`, "start"));
  svg.append(svgText(ns, left, height - 2, bins[0].start, "start"));
  if (bins.length > 1) svg.append(svgText(ns, right, height - 2, bins[bins.length - 1].start, "end"));
  box.append(svg);
}

function killedText(r) {
  if (r.fatalities_best === null || r.fatalities_best === undefined) return "";
  let text = `${r.fatalities_best} killed`;
  if (r.fatalities_high !== null && r.fatalities_high !== r.fatalities_low) text += ` (${r.fatalities_low}–${r.fatalities_high})`;
  return text;
}

async function load() {
  const query = filterQuery();
  const [incidents, days] = await Promise.all([getJSON(`/api/incidents?${query}`), getJSON(`/api/timeline?${query}`)]);
  drawChart(days);
  const list = document.getElementById("incidents");
  list.textContent = "";
  state.layer.clearLayers();
  state.markers.clear();
  const bounds = [];
  for (const r of incidents) {
    const colour = COLOURS[r.event_type] || "#34495e";
    const button = el("button", { type: "button", "aria-pressed": "false", "data-id": r.id, onclick: () => select(r.id) },
      el("span", { class: "type", style: `background:${colour}`, "aria-hidden": "true" }),
      `${r.date_start || ""} · ${r.sub_event_type || r.event_type} · ${r.place || r.country || "unknown place"}`,
      r.fatalities_best !== null ? ` · ${killedText(r)}` : "",
      ` · ${r.n_sources} source${r.n_sources === 1 ? "" : "s"}`,
      r.contested ? el("span", { class: "disputed" }, " · disputed") : null);
    list.append(el("li", {}, button));
    if (r.lat !== null && r.lon !== null) {
      const marker = L.circleMarker([r.lat, r.lon], {
        radius: 6 + Math.min(12, Math.sqrt(r.fatalities_best || 0) * 2), color: "#fff", weight: 1,
        fillColor: colour, fillOpacity: 0.8,
      }).addTo(state.layer);
      // A DOM node, not a string: Leaflet would parse a string as HTML.
      marker.bindTooltip(el("span", {}, `${r.sub_event_type || r.event_type}: ${r.place || ""}`));
      marker.on("click", () => select(r.id));
      state.markers.set(r.id, marker);
      bounds.push([r.lat, r.lon]);
    }
  }
  document.getElementById("list-title").textContent = `Incidents (${incidents.length})`;
  if (bounds.length) state.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 9 });
}

function highlighted(body, spans, current) {
  // The article's paragraphs, with each evidence span in a <mark>.
  const box = el("div", { class: "article-body" });
  let pos = 0;
  for (const para of body.split("\n\n")) {
    const start = body.indexOf(para, pos);
    const end = start + para.length;
    pos = end;
    const p = el("p");
    let cursor = start;
    for (const s of spans.filter((s) => s.start >= start && s.end <= end)) {
      if (s.start < cursor) continue;
      p.append(body.slice(cursor, s.start));
      const mark = el("mark", { title: s.label || "" }, body.slice(s.start, s.end));
      if (current.has(s.event_id)) mark.classList.add("current");
      p.append(mark);
      cursor = s.end;
    }
    p.append(body.slice(cursor, end));
    box.append(p);
  }
  return box;
}

async function select(id) {
  state.selected = id;
  for (const b of document.querySelectorAll("#incidents button")) b.setAttribute("aria-pressed", String(b.dataset.id === id));
  const panel = document.getElementById("panel");
  panel.textContent = "Loading…";
  const r = await getJSON(`/api/incidents/${encodeURIComponent(id)}`);
  panel.textContent = "";
  panel.append(el("h2", {}, `${r.sub_event_type || r.event_type} in ${r.place || r.country || "an unknown place"}`));
  panel.append(el("p", { class: "muted" },
    `${r.date_start}${r.date_end && r.date_end !== r.date_start ? " to " + r.date_end : ""} · `,
    [r.actor1, r.actor2].filter(Boolean).join(" vs ") || "actors not named",
    killedText(r) ? ` · ${killedText(r)}` : "",
    ` · ${r.n_sources} source${r.n_sources === 1 ? "" : "s"}, ${r.n_articles} article${r.n_articles === 1 ? "" : "s"}`,
    r.contested ? el("span", { class: "disputed" }, " · disputed") : null));
  panel.append(el("h3", {}, "Who says what"));
  const claims = el("ul", { class: "claims" });
  for (const c of r.claims) {
    claims.append(el("li", {},
      el("strong", {}, c.reported_by || `${c.publisher || "the outlet"} (own reporting)`), ": ",
      c.sub_event_type || c.plover.event,
      c.fatalities !== null ? `, ${c.fatalities} killed` : "",
      c.contested ? el("span", { class: "disputed" }, " (disputed)") : null,
      el("div", { class: "muted" }, `in ${c.publisher || c.doc}: “${c.article_title || ""}”`)));
  }
  panel.append(claims);
  if (r.place) {
    const places = await getJSON(`/api/places?place=${encodeURIComponent(r.place)}`);
    if (places.length) panel.append(controlTable(places[0]));
  }
  const current = new Set(r.claims.map((c) => c.event_id));
  for (const a of r.articles) {
    const detail = await getJSON(`/api/articles/${encodeURIComponent(a.id)}`);
    const head = el("h3", {}, detail.title || detail.doc);
    const meta = el("p", { class: "muted" }, [detail.publisher, detail.published, detail.agency && `via ${detail.agency}`]
      .filter(Boolean).join(" · "), detail.copy_of ? " · syndicated copy" : "");
    if (detail.url && /^https?:\/\//.test(detail.url)) meta.append(" · ", el("a", { href: detail.url, rel: "noopener noreferrer" }, "original"));
    panel.append(el("section", { class: "article" }, head, meta, highlighted(detail.body, detail.evidence, current)));
  }
  if (r.related.length) {
    panel.append(el("h3", {}, "Related incidents"));
    const ul = el("ul");
    for (const rel of r.related) {
      ul.append(el("li", {}, el("a", { href: `#${rel.id}`, onclick: (e) => { e.preventDefault(); select(rel.id); } },
        `${rel.date_start} ${rel.summary}`)));
    }
    panel.append(ul);
  }
  const marker = state.markers.get(id);
  if (marker) state.map.panTo(marker.getLatLng());
  history.replaceState(null, "", `#${id}`);
  panel.focus();
}

// "National Liberation Front, a party (The Algemeiner)": a party's word is a claim, not a confirmation.
function claimText(c) {
  const party = c.party ? (c.party === c.according_to ? ", a party" : `, for ${c.party}`) : "";
  return `${c.according_to}${party} (${c.outlet})`;
}

function controlTable(place) {
  const table = el("table", {}, el("tr", {}, el("th", {}, "since"), el("th", {}, "held by"), el("th", {}, "according to"),
    el("th", {}, "disputed by"), el("th", {}, "confirmed")));
  for (const e of place.entries) {
    table.append(el("tr", {}, el("td", {}, e.since || ""), el("td", {}, e.holder || "?"),
      el("td", {}, e.claims.map(claimText).join("; ")),
      el("td", {}, e.disputed_by.join(", ")),
      el("td", { class: e.confirmed_independently ? "confirmed" : "disputed" },
        e.confirmed_independently ? "independent" : "claimant only")));
  }
  return el("section", {}, el("h3", {}, `Control of ${place.place}: ${place.changes} change${place.changes === 1 ? "" : "s"} of hands`), table);
}

document.getElementById("filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
document.getElementById("filters").addEventListener("reset", () => setTimeout(load, 0));

initMap().then(load).then(() => {
  if (location.hash.length > 1) select(decodeURIComponent(location.hash.slice(1)));
}).catch((error) => {
  document.getElementById("panel").textContent = `Could not load the data: ${error.message}`;
});
