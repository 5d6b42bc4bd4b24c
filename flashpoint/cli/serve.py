"""`flashpoint serve`: the API and the dashboard."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Optional

import typer

from flashpoint.cli.options import DB, err, fail, open_store

commands = typer.Typer()


@commands.command("serve")
def serve_command(db: Optional[str] = DB,
                  host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface)."),
                  port: int = typer.Option(8000, "--port", help="Port to listen on."),
                  token: Optional[str] = typer.Option(None, "--token", envvar="FLASHPOINT_TOKEN",
                      help="Enables POST /api/ingest for requests with 'Authorization: Bearer TOKEN'. Read-only without it. "
                           "Prefer FLASHPOINT_TOKEN or --token-file: a --token on the command line shows in `ps`."),
                  token_file: Optional[str] = typer.Option(None, "--token-file",
                      help="Read the ingest token from this file (its first line)."),
                  workers: int = typer.Option(0, "--workers",
                      help="Server processes (default: one per core). Each opens the store itself."),
                  tiles: Optional[str] = typer.Option(None, "--tiles", envvar="FLASHPOINT_TILES",
                      help="Map tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png. Without it the map draws country outlines shipped with flashpoint (no internet needed).")) -> None:
    """The HTTP API (docs at /docs) and the dashboard (at /), on 127.0.0.1:8000 by default."""
    import uvicorn

    from flashpoint.serve.app import create_app

    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, IndexError, UnicodeDecodeError):
            err.print(f"[red]error[/red] {token_file}: no token could be read from it", highlight=False)
            raise typer.Exit(2)
        if not token:
            err.print(f"[red]error[/red] {token_file}: the token is empty", highlight=False)
            raise typer.Exit(2)
    import os

    store = open_store(db)  # opened here first: a bad store is named before any worker starts
    problem = address_problem(host, port)
    if problem:
        fail(problem)
    workers = workers or os.cpu_count() or 1
    err.print(f"serving {store.display_url} at http://{host}:{port}/ (API docs at /docs), "
              f"{workers} worker{'s' * (workers != 1)}", highlight=False)
    if workers == 1:
        uvicorn.run(create_app(store, token=token, tiles=tiles), host=host, port=port, log_level="warning")
        return
    store.close()
    # Worker processes build their own app from the environment (never from argv, where a token shows).
    os.environ.update({"FLASHPOINT_SERVE_DB": store.url, **({"FLASHPOINT_TOKEN": token} if token else {}),
                       **({"FLASHPOINT_TILES": tiles} if tiles else {})})
    uvicorn.run("flashpoint.serve.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


def address_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (in use, not an address of this machine), in
    words a user can act on, before anything says it is serving there."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"--host {host}: not an address of this machine"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind(address)
        except PermissionError:
            return f"--port {port}: this user may not listen on it (ports below 1024 need privileges)"
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use (another flashpoint serve?): choose another with --port"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None
