"""Answers of the read API kept until the store changes.

Every GET under /api/ is a function of the store and the request's URL, and the store
changes only when a write batch commits, which raises its generation number (see
store/schema.py). So an answer is kept, compressed or not as it was sent, under its path,
query and whether the client takes gzip, and served again until the generation moves.
The number is read once per request (one indexed row), so an ingest by another process
is seen by the next request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

#: Memory a worker gives to kept answers; the least recently used go first.
CACHE_BYTES = 64 * 1024 * 1024
#: Larger answers (a 5,000-row listing) are not kept: they are rare and would crowd out the rest.
LARGEST_KEPT = 4 * 1024 * 1024
#: Paths never kept: writes, and the per-request docs.
NOT_KEPT = ("/api/ingest",)


class ResponseCache:
    """ASGI middleware: serves a kept answer to a GET under /api/ while the store's generation is
    the one it was computed under. `generation` is called once per request."""

    def __init__(self, app, generation: Callable[[], int], max_bytes: int = CACHE_BYTES):
        self.app, self.generation, self.max_bytes = app, generation, max_bytes
        self.kept: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()
        self.size = 0
        self.seen_generation: int | None = None

    def cacheable(self, scope) -> bool:
        return (scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith("/api/")
                and scope["path"] not in NOT_KEPT)

    async def __call__(self, scope, receive, send):
        if not self.cacheable(scope):
            return await self.app(scope, receive, send)
        now = self.generation()
        if now != self.seen_generation:
            self.forget()
            self.seen_generation = now
        key = (scope["path"], scope["query_string"], takes_gzip(scope))
        if key in self.kept:
            self.kept.move_to_end(key)
            headers, body = self.kept[key]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def keep(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200 and now == self.seen_generation:
                    self.remember(key, list(start.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def remember(self, key: tuple, headers: list, body: bytes) -> None:
        if len(body) > LARGEST_KEPT:
            return
        if key in self.kept:  # two requests missed at once; keep one copy
            self.size -= len(self.kept.pop(key)[1])
        self.kept[key] = (headers, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.kept:
            _, (_, dropped) = self.kept.popitem(last=False)
            self.size -= len(dropped)

    def forget(self) -> None:
        self.kept.clear()
        self.size = 0


def takes_gzip(scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False
