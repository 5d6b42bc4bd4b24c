"""The HTTP API (FastAPI; OpenAPI docs at /docs) and the dashboard's static files.

Read-only unless a token is configured: then POST /api/ingest accepts articles from
requests carrying `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import json
import re
import tempfile
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from flashpoint import __version__
from flashpoint.report.outlines import country_outlines
from flashpoint.serve.cache import ResponseCache
from flashpoint.store import Store
from flashpoint.store.control import control_timelines
from flashpoint.store.control import place_control as find_place_control
from flashpoint.store.queries import (Filters, article_detail, find_events, find_incidents, incident_detail,
                                      timeline)

STATIC = Path(str(resources.files("flashpoint.serve").joinpath("static")))
#: Most articles one POST /api/ingest may carry.
MAX_INGEST_RECORDS = 500


def json_answer(data: Any, media_type: str = "application/json") -> Response:
    """Rows already made of plain JSON values, written straight out: FastAPI's response-model
    pass would validate every dict again, which costs more than the query."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                    media_type=media_type)


def swagger_dir() -> Path:
    """Swagger UI's script and style, as the fastapi-offline package ships them."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


#: The furthest a listing may page (SQLite's integers stop at 2**63; no store holds a billion rows).
MAX_OFFSET = 1_000_000_000
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

#: Every response: no script but the app's own files (no inline script, nothing from elsewhere), no
#: framing, no content-type guessing, no full URLs leaked in the Referer. Inline styles stay allowed:
#: Leaflet positions the map with them. Map tiles may come from the https server `serve --tiles` names.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                    "Referrer-Policy": "no-referrer"}


#: Largest body POST /api/ingest reads (500 articles of 100 KB each, with room to spare).
MAX_INGEST_BYTES = 64 * 1024 * 1024


def token_problem(token: str | None, authorization: str | None) -> tuple[int, str] | None:
    """Why a request may not ingest (status, message), or None when its token is right."""
    if token is None:
        return 403, "ingest is disabled: start `flashpoint serve --token ...` to enable it"
    scheme, _, given = (authorization or "").partition(" ")
    if scheme != "Bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return 401, "a valid 'Authorization: Bearer <token>' header is required"
    return None


class SecurityHeaders:
    """The headers of SECURITY_HEADERS and a Content-Security-Policy on every response (plain ASGI:
    Starlette's BaseHTTPMiddleware costs a task and a copy per request)."""

    def __init__(self, app):
        self.app = app
        self.page = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = (b"content-security-policy", PAGE_POLICY.encode())

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.page, policy]
            await send(message)

        await self.app(scope, receive, with_headers)


class IngestGate:
    """POST /api/ingest is checked before its body is read: the token first (401/403), then the
    size (413, from Content-Length or while a chunked body arrives), so that an unauthenticated
    or oversized upload costs neither memory nor parsing."""

    def __init__(self, app, token: str | None, max_bytes: int):
        self.app, self.token, self.max_bytes = app, token, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/api/ingest" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = token_problem(self.token, headers.get("authorization"))
        if problem is None and headers.get("content-length", "0").isdigit() \
                and int(headers.get("content-length", "0")) > self.max_bytes:
            problem = (413, f"the body is over {self.max_bytes:,} bytes; send fewer articles per request")
        if problem is not None:
            return await JSONResponse({"detail": problem[1]}, status_code=problem[0])(scope, receive, send)
        seen, rejected = 0, False

        async def counted_receive():
            nonlocal seen, rejected
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes and not rejected:
                # Answer now, before the app has the body; the app then sees the client gone.
                rejected = True
                await JSONResponse({"detail": f"the body is over {self.max_bytes:,} bytes"},
                                   status_code=413)(scope, receive, send)
            return {"type": "http.disconnect"} if rejected else message

        async def quiet_after_rejection(message):
            if not rejected:
                await send(message)

        await self.app(scope, counted_receive, quiet_after_rejection)


#: Threads a server process runs blocking endpoints on. Queries take a millisecond and hold the GIL:
#: anyio's default of 40 only adds switching (benchmarks/load.py: 631 req/s with 4, 583 with 40).
READ_THREADS = 4


@asynccontextmanager
async def few_threads(_app):
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = READ_THREADS
    yield


def create_app(store: Store, token: str | None = None, tiles: str | None = None) -> FastAPI:
    # The docs page is ours (static/docs.html), with Swagger UI from an installed package: no CDN.
    app = FastAPI(title="flashpoint", version=__version__, lifespan=few_threads, docs_url=None, redoc_url=None,
                  description="Events from news about armed conflict: incidents merged across outlets, "
                              "control of places over time, and the evidence behind every field.")
    # Outlines and long listings travel compressed; level 5 is a tenth of level 9's CPU for 10% more bytes.
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)
    app.add_middleware(IngestGate, token=token, max_bytes=MAX_INGEST_BYTES)
    app.add_middleware(ResponseCache, generation=store.generation)  # outside gzip: keeps compressed bodies

    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/vendor/leaflet", StaticFiles(directory=leaflet_dir()), name="leaflet")
    app.mount("/vendor/swagger", StaticFiles(directory=swagger_dir()), name="swagger")

    def filters(country: str | None = Query(None, description="ISO 3166-1 alpha-2, e.g. SD"),
                admin1: str | None = Query(None), since: str | None = Query(None, description="YYYY-MM-DD"),
                until: str | None = Query(None, description="YYYY-MM-DD"),
                type: str | None = Query(None, description="ACLED event type or sub-event type (or PLOVER type for events)"),
                actor: str | None = Query(None, description="part of an actor's name"),
                q: str | None = Query(None, description="words in the articles"),
                near: str | None = Query(None, description="PLACE:RADIUS or LAT,LON:RADIUS, e.g. Saraqeb:25km"),
                limit: int = Query(100, ge=1, le=5000),
                offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> Filters:
        from datetime import date

        for name, value in (("since", since), ("until", until)):
            if value:
                try:
                    if not ISO_DAY.fullmatch(value):
                        raise ValueError(value)  # fromisoformat also takes "20250312" and "2025-W11-3"
                    date.fromisoformat(value)
                except ValueError:
                    raise HTTPException(422, f"{name}={value!r} is not a date (YYYY-MM-DD)")
        where = None
        if near:
            from flashpoint.resolve.near import resolve_near

            try:
                where = resolve_near(near)
            except ValueError as exc:
                raise HTTPException(422, f"near={near!r}: {exc}")
        return Filters(country=country, admin1=admin1, since=since, until=until, type=type, actor=actor,
                       text=q, near=where, limit=limit, offset=offset)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    @app.get("/api/outlines", summary="Country outlines (GeoJSON) for a map without tiles",
             response_class=Response)
    def outlines() -> Response:
        return Response(country_outlines(), media_type="application/geo+json",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/config", summary="Dashboard settings: tile URL (or none), version")
    def config() -> dict[str, Any]:
        return {"tiles": tiles, "version": __version__, "ingest": token is not None}

    @app.get("/api/health", summary="Counts of stored articles, events and incidents")
    def health() -> Response:
        return json_answer({"ok": True, **store.counts()})

    @app.get("/api/events", summary="Events, newest first, as `flashpoint extract` writes them")
    def events(f: Filters = Depends(filters)) -> Response:
        with store.connect() as conn:
            return json_answer(find_events(conn, f))

    @app.get("/api/incidents", summary="Incidents (events merged across outlets), newest first")
    def incidents(f: Filters = Depends(filters)) -> Response:
        with store.connect() as conn:
            return json_answer(find_incidents(conn, f))

    @app.get("/api/incidents/{incident_id}", summary="An incident: its claims, evidence, articles, related incidents")
    def incident(incident_id: str) -> Response:
        with store.connect() as conn:
            detail = incident_detail(conn, incident_id)
        if detail is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        return json_answer(detail)

    @app.get("/api/articles/{article_id}", summary="An article's text with its evidence spans (character offsets)")
    def article(article_id: str) -> Response:
        with store.connect() as conn:
            detail = article_detail(conn, article_id)
        if detail is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return json_answer(detail)

    @app.get("/api/places", summary="Places with control claims and their control timelines")
    def places(country: str | None = None, place: str | None = None) -> Response:
        with store.connect() as conn:
            return json_answer(find_place_control(conn, place, country)[0] if place else control_timelines(conn, country))

    @app.get("/api/places/{place}/control",
             summary="One place's control timeline: any name the gazetteer knows for it, or its geonameid; "
                     "`matched` says how a name not stored as such was matched")
    def place_control(place: str) -> Response:
        with store.connect() as conn:
            found, matched = find_place_control(conn, place)
        if not found:
            raise HTTPException(404, f"no control claims for {place!r}")
        return json_answer({**found[0], "matched": matched})

    @app.get("/api/search", summary="Incidents whose articles contain the words")
    def search(q: str = Query(..., min_length=1), f: Filters = Depends(filters)) -> Response:
        f.text = q
        with store.connect() as conn:
            return json_answer(find_incidents(conn, f))

    @app.get("/api/timeline", summary="Incidents and fatalities per day and event type")
    def timeline_view(f: Filters = Depends(filters)) -> Response:
        with store.connect() as conn:
            return json_answer(timeline(conn, f))

    @app.get("/api/geojson", summary="Incidents as GeoJSON point features")
    def geojson(f: Filters = Depends(filters)) -> Response:
        with store.connect() as conn:
            rows = find_incidents(conn, f)
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                     "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")}}
                    for r in rows if r["lat"] is not None]
        return json_answer({"type": "FeatureCollection", "features": features}, media_type="application/geo+json")

    def require_token(authorization: str | None = Header(None)) -> None:
        problem = token_problem(token, authorization)
        if problem is not None:
            raise HTTPException(*problem)

    @app.post("/api/ingest", summary="Store articles: [{url, title, published, text | html}, ...] (needs the token)",
              dependencies=[Depends(require_token)])
    def ingest(records: list[dict[str, Any]] = Body(..., max_length=MAX_INGEST_RECORDS)) -> dict:
        from flashpoint.ingest.reader import ReadOptions, ReadReport
        from flashpoint.pipeline import ingest as run_ingest

        for i, r in enumerate(records):
            if not isinstance(r.get("text") or r.get("html"), str):
                raise HTTPException(422, f"record {i}: needs a 'text' or 'html' string")
        report = ReadReport()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "records.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            counts = run_ingest([str(path)], store, ReadOptions(fetch_links=False), report)
        return {"articles": counts.articles, "copies": counts.copies, "events": counts.events,
                "already_stored": counts.skipped, "failed": [f.to_dict() for f in report.failures]}

    return app


def app_from_environment() -> FastAPI:
    """The app of one `flashpoint serve --workers N` process: the store, token and tiles come from
    the environment the command set."""
    import os

    return create_app(Store(os.environ["FLASHPOINT_SERVE_DB"], create=False), token=os.environ.get("FLASHPOINT_TOKEN"),
                      tiles=os.environ.get("FLASHPOINT_TILES"))
