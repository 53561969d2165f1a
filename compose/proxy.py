"""The stack's one public address: `/ws/` to Daphne, everything else to gunicorn.

A browser loads pages, calls the API and opens `/ws/v1/stream` on one origin, as it
would behind the production load balancer; this small asyncio proxy stands in for that
balancer where there is none (`make up`, compose). Standard library only.

Per connection it reads the request head, picks the upstream by path and then copies
bytes both ways:

- a websocket (`/ws/...`) stays open, as is, to one of the `--ws` upstreams (round
  robin when there are several Daphne processes);
- any other request goes to `--http` with `Connection: close`, so that every request
  is routed by its own path (a kept-alive connection would carry the next request to
  the same upstream). Connections on loopback or a private network are cheap.

Each request gains `X-Forwarded-For` (the peer address; the settings' TRUSTED_PROXIES=1
lets the rate limits use it) and `X-Forwarded-Proto`. The proxy writes no access log:
the request middleware already logs each request, without the query string that could
carry a token. Upstreams are `host:port` or `unix:/path`.

    python compose/proxy.py --listen 127.0.0.1:8000 \\
        --http unix:var/run/web.sock --ws unix:var/run/ws.sock
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass

HEAD_LIMIT = 64 * 1024
HEAD_TIMEOUT = 30.0
CONNECT_TIMEOUT = 5.0
RESPONSE_TIMEOUT = 120.0  # after the client stopped sending: the longest a reply takes
CHUNK = 64 * 1024
WEBSOCKET_PREFIX = b"/ws/"
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer"}
)

logger = logging.getLogger("proxy")


@dataclass(frozen=True)
class Upstream:
    host: str | None = None
    port: int | None = None
    path: str | None = None

    @classmethod
    def parse(cls, text: str) -> Upstream:
        if text.startswith("unix:"):
            return cls(path=text.removeprefix("unix:"))
        host, _, port = text.rpartition(":")
        if not host or not port.isdigit():
            raise argparse.ArgumentTypeError(f"{text!r}: use host:port or unix:/path")
        return cls(host=host.strip("[]"), port=int(port))

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.path is not None:
            connecting = asyncio.open_unix_connection(self.path, limit=HEAD_LIMIT)
        else:
            connecting = asyncio.open_connection(self.host, self.port, limit=HEAD_LIMIT)
        return await asyncio.wait_for(connecting, CONNECT_TIMEOUT)

    def __str__(self) -> str:
        return f"unix:{self.path}" if self.path else f"{self.host}:{self.port}"


def _reply(status: str) -> bytes:
    body = f"{status}\n".encode()
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def rewrite_head(head: bytes, peer: str, scheme: str) -> tuple[bytes, bool] | None:
    """The head to send upstream and whether it asks for a websocket; None if the
    request line is not HTTP/1.x."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return None
    target = parts[1]
    headers: list[tuple[bytes, bytes]] = []
    forwarded_for = b""
    upgrade = False
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(b":")
        key = name.strip().lower()
        value = value.strip()
        if key == b"x-forwarded-for":
            forwarded_for = value
            continue
        if key in (b"x-forwarded-proto", b"forwarded"):
            continue  # only this proxy says how the client came in
        if key == b"upgrade" and value.lower() == b"websocket":
            upgrade = True
        headers.append((name.strip(), value))
    websocket = upgrade and target.startswith(WEBSOCKET_PREFIX)
    if not websocket:
        headers = [(n, v) for n, v in headers if n.lower() not in HOP_BY_HOP]
        headers = [(n, v) for n, v in headers if n.lower() != b"upgrade"]
        headers.append((b"Connection", b"close"))
    chain = f"{forwarded_for.decode('latin-1')}, {peer}" if forwarded_for else peer
    headers.append((b"X-Forwarded-For", chain.encode("latin-1")))
    headers.append((b"X-Forwarded-Proto", scheme.encode()))
    out = [lines[0], *(name + b": " + value for name, value in headers), b"", b""]
    return b"\r\n".join(out), websocket


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(CHUNK):
            sink.write(data)
            await sink.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError, RuntimeError):
            if sink.can_write_eof():
                sink.write_eof()


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()


class Proxy:
    def __init__(self, http: Upstream, ws: list[Upstream], scheme: str) -> None:
        self.http = http
        self.ws: Iterator[Upstream] = itertools.cycle(ws)
        self.scheme = scheme
        self.clients: set[asyncio.Task[None]] = set()

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.clients.add(task)
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            pass
        finally:
            self.clients.discard(task)
            await _close(writer)

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT)
        except asyncio.LimitOverrunError:
            writer.write(_reply("431 Request Header Fields Too Large"))
            return
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError, OSError):
            return
        peer = writer.get_extra_info("peername")
        address = peer[0] if isinstance(peer, tuple) else "127.0.0.1"
        rewritten = rewrite_head(head, address, self.scheme)
        if rewritten is None:
            writer.write(_reply("400 Bad Request"))
            return
        upstream_head, websocket = rewritten
        upstream = next(self.ws) if websocket else self.http
        try:
            up_reader, up_writer = await upstream.open()
        except (TimeoutError, ConnectionError, OSError) as error:
            path = head.split(b" ", 2)[1].split(b"?", 1)[0].decode("latin-1")
            logger.warning("upstream %s unreachable for %s: %s", upstream, path, error)
            writer.write(_reply("502 Bad Gateway"))
            return
        try:
            up_writer.write(upstream_head)
            await up_writer.drain()
            upward = asyncio.ensure_future(_pipe(reader, up_writer))
            downward = asyncio.ensure_future(_pipe(up_reader, writer))
            try:
                done, _ = await asyncio.wait(
                    {upward, downward}, return_when=asyncio.FIRST_COMPLETED
                )
                if downward not in done:  # the client stopped sending: await the reply
                    await asyncio.wait({downward}, timeout=RESPONSE_TIMEOUT)
            finally:
                for task in (upward, downward):
                    task.cancel()
                await asyncio.gather(upward, downward, return_exceptions=True)
        except (ConnectionError, OSError):
            pass
        finally:
            await _close(up_writer)


async def serve(arguments: argparse.Namespace) -> None:
    proxy = Proxy(arguments.http, arguments.ws or [arguments.http], arguments.scheme)
    host, _, port = arguments.listen.rpartition(":")
    server = await asyncio.start_server(
        proxy.handle,
        host.strip("[]") or None,
        int(port),
        backlog=1024,
        limit=HEAD_LIMIT,
    )
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    ws = ", ".join(str(upstream) for upstream in arguments.ws) or "(none)"
    logger.warning(
        "proxy listening on %s: /ws/ to %s, the rest to %s",
        arguments.listen,
        ws,
        arguments.http,
    )
    await stopping.wait()
    server.close()
    for task in list(proxy.clients):  # open websockets would keep us forever
        task.cancel()
    await asyncio.gather(*proxy.clients, return_exceptions=True)
    await server.wait_closed()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--listen", default="127.0.0.1:8000", help="host:port")
    parser.add_argument("--http", type=Upstream.parse, required=True)
    parser.add_argument("--ws", type=Upstream.parse, action="append", default=[])
    parser.add_argument(
        "--scheme",
        default="http",
        choices=("http", "https"),
        help="what X-Forwarded-Proto says (https behind a TLS terminator)",
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(
        stream=sys.stdout, level=logging.WARNING, format="%(name)s: %(message)s"
    )
    asyncio.run(serve(arguments))


if __name__ == "__main__":
    main()
