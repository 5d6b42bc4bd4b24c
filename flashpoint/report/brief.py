"""The daily briefing (SITREP): one page an analyst reads at 7 a.m.

Key incidents of the day (most fatalities, most sources first), fatalities by type and
by place, control changes with claims and counter-claims, a map and a chart drawn as
inline SVG (no tiles, no network), and every line linked to its sources. HTML or Markdown;
all text from articles is escaped.
"""

from __future__ import annotations

import html
from collections import defaultdict
from urllib.parse import urlsplit

from sqlalchemy.engine import Connection

from flashpoint.report.outlines import rings_in
from flashpoint.store.control import claim_label, control_timelines
from flashpoint.store.queries import Filters, find_incidents, incident_detail

#: How many incidents the briefing lists in full.
KEY_INCIDENTS = 12
MAP_W, MAP_H, CHART_W, BAR_H = 560, 320, 560, 22
#: Where the bars start (type names to the left) and the room kept for "12 killed, 3 incidents" after the longest.
BAR_X, LABEL_W = 230, 140
TYPE_COLOURS = {"Battles": "#c0392b", "Explosions/Remote violence": "#d35400", "Violence against civilians": "#8e44ad",
                "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d"}


def gather(conn: Connection, day: str, country: str | None) -> dict:
    incidents = find_incidents(conn, Filters(country=country, since=day, until=day, limit=5000))
    incidents.sort(key=lambda r: (-(r["fatalities_best"] or 0), -r["n_sources"], r["id"]))
    details = [incident_detail(conn, r["id"]) for r in incidents[:KEY_INCIDENTS]]
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_place: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in incidents:
        by_type[r["sub_event_type"] or r["event_type"]][0] += 1
        by_type[r["sub_event_type"] or r["event_type"]][1] += r["fatalities_best"] or 0
        place = ", ".join(x for x in (r["place"], r["country"]) if x) or "unknown place"
        by_place[place][0] += 1
        by_place[place][1] += r["fatalities_best"] or 0
    changes = []
    for p in control_timelines(conn, country):
        for e in p["entries"]:
            if e["since"] == day:
                changes.append((p, e))
    return {"day": day, "country": country, "incidents": incidents, "details": details, "by_type": dict(by_type),
            "by_place": dict(by_place), "changes": changes,
            "fatalities": sum(r["fatalities_best"] or 0 for r in incidents)}


def render_brief(conn: Connection, day: str, country: str | None, fmt: str = "html") -> str:
    data = gather(conn, day, country)
    return render_markdown(data) if fmt == "md" else render_html(data)


def source_links(articles: list[dict]) -> list[tuple[str, str | None]]:
    """(label, href) for each article behind an incident."""
    out = []
    for a in articles:
        label = a["publisher"] or a["doc"].rsplit("/", 1)[-1]
        if a["copy_of"]:
            label += " (copy)"
        out.append((label, web_link(a["url"])))
    return out


def web_link(url: str | None) -> str | None:
    """A link only to a web page: a `javascript:` or `data:` address from a feed or a JSONL record
    stays out of every href (it is shown as text, by the label, not followed)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Characters that would end a Markdown link target or an attribute, percent-encoded.
    return url.strip().translate({ord("("): "%28", ord(")"): "%29", ord(" "): "%20", ord("<"): "%3C",
                                  ord(">"): "%3E", ord('"'): "%22"})


def fatalities_text(r: dict) -> str:
    if r["fatalities_best"] is None:
        return "no toll reported"
    text = f"{r['fatalities_best']} killed"
    if r["fatalities_high"] is not None and r["fatalities_high"] != r["fatalities_low"]:
        text += f" (reports range {r['fatalities_low']}-{r['fatalities_high']})"
    return text


def claim_text(c: dict) -> str:
    who = c["reported_by"] or f"{c['publisher'] or 'the outlet'} (own reporting)"
    killed = f", {c['fatalities']} killed" if c["fatalities"] is not None else ""
    return f"{who}: {c['sub_event_type']}{killed}" + (" (disputed)" if c["contested"] else "")


def evidence_text(claim: dict) -> str:
    """Every sentence behind a claim (a toll may come from a later sentence than the event)."""
    return " … ".join(e["sentence"] for e in claim["evidence"])


# ---- SVG --------------------------------------------------------------------------------

def svg_map(incidents: list[dict]) -> str:
    """Incidents as dots on a plain latitude/longitude grid fitted to them."""
    points = [r for r in incidents if r["lat"] is not None]
    if not points:
        return f'<svg viewBox="0 0 {MAP_W} 60" role="img" aria-label="No located incidents"><text x="10" y="35">No located incidents.</text></svg>'
    lats, lons = [p["lat"] for p in points], [p["lon"] for p in points]
    pad = 0.5
    lat0, lat1, lon0, lon1 = min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad
    span = max(lat1 - lat0, lon1 - lon0)
    lat1, lon1 = lat0 + span, lon0 + span * MAP_W / MAP_H

    def xy(lat, lon):
        return (lon - lon0) / (lon1 - lon0) * MAP_W, MAP_H - (lat - lat0) / (lat1 - lat0) * MAP_H

    parts = [f'<svg viewBox="0 0 {MAP_W} {MAP_H}" width="{MAP_W}" height="{MAP_H}" role="img" aria-label="Map of the day\'s incidents" class="map">',
             f'<rect width="{MAP_W}" height="{MAP_H}" fill="#dfe9ee"/>']
    for _, ring in rings_in(lon0, lat0, lon1, lat1):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lat, lon) for lon, lat in ring))
        parts.append(f'<polygon points="{path}" fill="#fdfefe" stroke="#95a5a6" stroke-width="0.8"/>')
    step = 0.5 if span < 4 else (1 if span < 10 else 5)
    g = (int(lon0 / step) - 1) * step
    while g <= lon1:
        x, _ = xy(lat0, g)
        if 0 <= x <= MAP_W:
            parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{MAP_H}" stroke="#d5dbdb"/>'
                         f'<text x="{x + 2:.1f}" y="{MAP_H - 4}" font-size="10" fill="#7f8c8d">{g:g}°</text>')
        g += step
    g = (int(lat0 / step) - 1) * step
    while g <= lat1:
        _, y = xy(g, lon0)
        if 0 <= y <= MAP_H:
            parts.append(f'<line x1="0" y1="{y:.1f}" x2="{MAP_W}" y2="{y:.1f}" stroke="#d5dbdb"/>'
                         f'<text x="2" y="{y - 2:.1f}" font-size="10" fill="#7f8c8d">{g:g}°</text>')
        g += step
    labelled = set()
    for p in points:
        x, y = xy(p["lat"], p["lon"])
        r = 5 + min(10, (p["fatalities_best"] or 0) ** 0.5 * 2)
        colour = TYPE_COLOURS.get(p["event_type"], "#34495e")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity="0.7" stroke="#fff">'
                     f'<title>{html.escape(p["summary"] or "")}</title></circle>')
        if p["place"] and p["place"] not in labelled:
            labelled.add(p["place"])
            parts.append(f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}" font-size="12">{html.escape(p["place"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_bars(by_type: dict[str, list[int]]) -> str:
    """Incidents and fatalities by sub-event type, as horizontal bars."""
    rows = sorted(by_type.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    height = BAR_H * len(rows) + 10
    most = max([v[1] for _, v in rows] + [1])
    parts = [f'<svg viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" height="{height}" role="img" aria-label="Fatalities by type" class="chart">']
    for i, (name, (n, killed)) in enumerate(rows):
        y = 5 + i * BAR_H
        width = (CHART_W - BAR_X - LABEL_W) * killed / most
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{html.escape(name)}</text>'
                     f'<rect x="{BAR_X}" y="{y + 3}" width="{max(width, 1):.1f}" height="{BAR_H - 8}" fill="#c0392b"/>'
                     f'<text x="{BAR_X + 5 + width:.1f}" y="{y + 15}" font-size="12">{killed} killed, {n} incident{"s" * (n != 1)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---- HTML and Markdown ----------------------------------------------------------------------

STYLE = """body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c2833}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;border-bottom:1px solid #d5dbdb;padding-bottom:.2rem;margin-top:1.6rem}
.sub{color:#566573}.figs{display:flex;gap:1rem;flex-wrap:wrap}.figs div{background:#f4f6f7;padding:.5rem 1rem;border-radius:4px}
.figs b{font-size:1.4rem;display:block}li{margin:.35rem 0}.ev{color:#566573;font-style:italic}table{border-collapse:collapse}
td,th{padding:.2rem .6rem;border-bottom:1px solid #eaeded;text-align:left}.disputed{color:#a04000}.ok{color:#1e8449}
svg{max-width:100%;height:auto}a{color:#1f618d}"""


def esc(value) -> str:
    return html.escape(str(value if value is not None else ""))


def link_list(articles: list[dict]) -> str:
    links = []
    for label, href in source_links(articles):
        links.append(f'<a href="{esc(href)}">{esc(label)}</a>' if href else esc(label))
    return ", ".join(links)


def render_html(d: dict) -> str:
    where = f" — {esc(d['country'])}" if d["country"] else ""
    out = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SITREP {esc(d['day'])}{where}</title>"
           f"<style>{STYLE}</style></head><body>",
           f"<h1>Daily situation report: {esc(d['day'])}{where}</h1>",
           "<p class=\"sub\">Made by flashpoint from the stored reports. Each figure is the conservative one; "
           "claims by a party to the fighting are marked as claims.</p>",
           f"<div class=\"figs\"><div><b>{len(d['incidents'])}</b>incidents</div><div><b>{d['fatalities']}</b>reported killed</div>"
           f"<div><b>{len(d['changes'])}</b>control changes claimed</div></div>"]
    out.append("<h2>Key incidents</h2>")
    if not d["details"]:
        out.append("<p>No incidents stored for this day.</p>")
    out.append("<ol>" if d["details"] else "")
    for r in d["details"]:
        out.append(f"<li><b>{esc(r['sub_event_type'])}</b> in {esc(r['place'] or r['country'] or 'an unknown place')}"
                   f"{' (' + esc(' vs '.join(a for a in (r['actor1'], r['actor2']) if a)) + ')' if r['actor1'] or r['actor2'] else ''}: "
                   f"{esc(fatalities_text(r))}. {r['n_sources']} source{'s' * (r['n_sources'] != 1)}: {link_list(r['articles'])}."
                   + (" <span class=\"disputed\">Disputed.</span>" if r["contested"] else ""))
        out.append("<ul>")
        for c in r["claims"]:
            sentence = evidence_text(c)
            out.append(f"<li>{esc(claim_text(c))} <span class=\"ev\">“{esc(sentence)}”</span></li>")
        out.append("</ul></li>")
    out.append("</ol>" if d["details"] else "")
    out.append("<h2>Control changes</h2>")
    if not d["changes"]:
        out.append("<p>No place was claimed to change hands this day.</p>")
    out.append("<ul>")
    for p, e in d["changes"]:
        claims = "; ".join(claim_label(c) for c in e["claims"])
        status = "<span class=\"ok\">confirmed independently</span>" if e["confirmed_independently"] \
            else "<span class=\"disputed\">claimant only: every source is a party to the fighting</span>"
        disputed = f" Disputed by {esc(', '.join(e['disputed_by']))}." if e["disputed_by"] else ""
        out.append(f"<li><b>{esc(p['place'])}</b>: held by {esc(e['holder'] or 'unknown')} (taken from "
                   f"{esc(e['taken_from'] or 'unknown')}), according to {esc(claims)}.{disputed} {status}. "
                   f"Changes of hands on record: {p['changes']}.</li>")
    out.append("</ul>")
    out.append("<h2>Map</h2>" + svg_map(d["incidents"]))
    out.append("<h2>Fatalities by type</h2>" + (svg_bars(d["by_type"]) if d["by_type"] else "<p>None.</p>"))
    out.append("<h2>Fatalities by place</h2><table><tr><th>place</th><th>incidents</th><th>killed</th></tr>")
    for place, (n, killed) in sorted(d["by_place"].items(), key=lambda kv: (-kv[1][1], kv[0])):
        out.append(f"<tr><td>{esc(place)}</td><td>{n}</td><td>{killed}</td></tr>")
    out.append("</table></body></html>\n")
    return "\n".join(out)


def render_markdown(d: dict) -> str:
    def md(text) -> str:  # keep article text from turning into markup
        return str(text or "").replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")

    where = f" — {d['country']}" if d["country"] else ""
    out = [f"# Daily situation report: {d['day']}{where}", "",
           f"{len(d['incidents'])} incidents, {d['fatalities']} reported killed (conservative figures), "
           f"{len(d['changes'])} control changes claimed.", "", "## Key incidents", ""]
    if not d["details"]:
        out.append("No incidents stored for this day.")
    for i, r in enumerate(d["details"], 1):
        links = ", ".join(f"[{md(label)}]({href})" if href else md(label) for label, href in source_links(r["articles"]))
        out.append(f"{i}. **{md(r['sub_event_type'])}** in {md(r['place'] or r['country'])}: {fatalities_text(r)}. "
                   f"Sources: {links}." + (" Disputed." if r["contested"] else ""))
        for c in r["claims"]:
            sentence = evidence_text(c)
            out.append(f"   - {md(claim_text(c))}: “{md(sentence)}”")
    out += ["", "## Control changes", ""]
    for p, e in d["changes"]:
        claims = "; ".join(claim_label(c) for c in e["claims"])
        out.append(f"- **{md(p['place'])}**: held by {md(e['holder'])} (from {md(e['taken_from'])}), according to {md(claims)}."
                   + (f" Disputed by {md(', '.join(e['disputed_by']))}." if e["disputed_by"] else "")
                   + (" Confirmed independently." if e["confirmed_independently"]
                      else " Claimant only: every source is a party to the fighting."))
    if not d["changes"]:
        out.append("No place was claimed to change hands this day.")
    out += ["", "## Fatalities by type", "", "| type | incidents | killed |", "|---|---|---|"]
    for name, (n, killed) in sorted(d["by_type"].items(), key=lambda kv: -kv[1][1]):
        out.append(f"| {md(name)} | {n} | {killed} |")
    out += ["", "## Fatalities by place", "", "| place | incidents | killed |", "|---|---|---|"]
    for place, (n, killed) in sorted(d["by_place"].items(), key=lambda kv: -kv[1][1]):
        out.append(f"| {md(place)} | {n} | {killed} |")
    return "\n".join(out) + "\n"
