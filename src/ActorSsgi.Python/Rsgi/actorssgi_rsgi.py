"""The Python half of ActorSsgi's RSGI gateway (RSGI specification 1.6: HTTP and WebSocket protocols).

One thread runs the event loop (actorssgi_asgi.Loop with the spec's hooks). The .NET half hands work in through a queue and one byte on a pipe (so
.NET threads never wait for the GIL) and Loop._wake drains it. A request arrives as one string (fields and headers
joined with NUL) and becomes a Scope and a protocol object of the classes below, defined once; results from .NET
(body pieces, send completions, WebSocket messages) come back the same way and resolve asyncio futures here.
"""

import asyncio
import actorssgi_asgi
import os
import traceback

RSGI_VERSION = "1.6"

_loop = None


class ProtocolError(RuntimeError):
    """The application used the protocol wrongly (a second response, a send before start...)."""


class ProtocolClosed(RuntimeError):
    """The peer went away, or the WebSocket is closed: nothing more can be sent."""


def resolve(future, value):
    """Completes a future unless the app already gave up on it (cancelled)."""
    if not future.done():
        future.set_result(value)


def fail(future, closed, message):
    """Fails a future with ProtocolClosed (closed) or ProtocolError."""
    if not future.done():
        future.set_exception(ProtocolClosed(message) if closed else ProtocolError(message))


def Loop(bridge, app):
    """actorssgi_asgi's loop with the spec's hooks: __rsgi_init__(loop) before it runs, __rsgi_del__(loop) after."""
    global _loop
    wrapped = actorssgi_asgi.Loop(bridge, getattr(app, "__rsgi_init__", None), getattr(app, "__rsgi_del__", None))
    _loop = wrapped.loop
    return wrapped


def target_of(app):
    """The spec: a server prefers __rsgi__ over the callable itself."""
    return getattr(app, "__rsgi__", app)


class Headers:
    """The request headers as the spec's mapping: lowercase names, case-insensitive lookup, get_all."""

    __slots__ = ("_flat", "_map")

    def __init__(self, flat):
        self._flat = flat
        self._map = None

    def _dict(self):
        if self._map is None:
            flat = self._flat
            self._map = dict(zip(flat[0::2], flat[1::2]))
        return self._map

    def get(self, key, default=None):
        return self._dict().get(key.lower(), default)

    def get_all(self, key):
        value = self._dict().get(key.lower())
        return [] if value is None else [value]

    def __getitem__(self, key):
        return self._dict()[key.lower()]

    def __contains__(self, key):
        return isinstance(key, str) and key.lower() in self._dict()

    def __iter__(self):
        return iter(self._dict())

    def __len__(self):
        return len(self._dict())

    def keys(self):
        return list(self._dict().keys())

    def values(self):
        return list(self._dict().values())

    def items(self):
        return list(self._dict().items())

    def __repr__(self):
        return f"Headers({self._dict()!r})"


class Scope:
    __slots__ = ("proto", "http_version", "server", "client", "scheme", "method", "path", "query_string",
                 "authority", "_flat", "_headers")
    rsgi_version = RSGI_VERSION

    def __init__(self, proto, p):
        # p: method, path, query, server, client, http_version, scheme, authority, has_body, then name, value...
        self.proto = proto
        self.method, self.path, self.query_string, self.server, self.client, self.http_version, self.scheme, \
            authority = p[:8]
        self.authority = authority or None
        self._flat = p[9:]
        self._headers = None

    @property
    def headers(self):
        if self._headers is None:
            self._headers = Headers(self._flat)
        return self._headers


def _flat(headers):
    return "\0".join([part for pair in headers for part in pair])


class HTTPStreamTransport:
    __slots__ = ("_call",)

    def __init__(self, call):
        self._call = call

    async def send_bytes(self, data):
        future = _loop.create_future()
        self._call.Chunk(data, future)
        await future

    async def send_str(self, data):
        future = _loop.create_future()
        self._call.ChunkText(data, future)
        await future


class HTTPProtocol:
    __slots__ = ("_call", "_has_body", "_started")

    def __init__(self, call, has_body):
        self._call = call
        self._has_body = has_body
        self._started = False

    async def __call__(self):
        if not self._has_body:
            return b""
        self._has_body = False
        future = _loop.create_future()
        self._call.ReadAll(future)
        return await future

    def __aiter__(self):
        return self._chunks()

    async def _chunks(self):
        if not self._has_body:
            return
        self._has_body = False
        call = self._call
        while True:
            future = _loop.create_future()
            call.ReadChunk(future)
            data = await future
            if data is None:
                return
            yield data

    def client_disconnect(self):
        future = _loop.create_future()
        self._call.WatchAbort(future)
        return future

    def _start(self):
        if self._started:
            raise ProtocolError("the response was already started")
        self._started = True

    def response_empty(self, status, headers):
        self._start()
        self._call.RespondText(status, _flat(headers), None)

    def response_str(self, status, headers, body):
        self._start()
        self._call.RespondText(status, _flat(headers), body)

    def response_bytes(self, status, headers, body):
        self._start()
        self._call.RespondBytes(status, _flat(headers), body)

    def response_file(self, status, headers, file):
        self._start()
        self._call.RespondFile(status, _flat(headers), os.fspath(file), 0, -1)

    def response_file_range(self, status, headers, file, start, end):
        if start < 0 or end < start:
            raise ValueError(f"invalid file range [{start}, {end})")
        self._start()
        self._call.RespondFile(status, _flat(headers), os.fspath(file), start, end - start)

    def response_stream(self, status, headers):
        self._start()
        self._call.Start(status, _flat(headers))
        return HTTPStreamTransport(self._call)


class WebsocketMessage:
    __slots__ = ("kind", "data")

    def __init__(self, kind, data):
        self.kind = kind
        self.data = data

    def __repr__(self):
        return f"WebsocketMessage(kind={self.kind}, data={self.data!r})"


def resolve_message(future, kind, data):
    """Completes a receive() with a message: 0 close, 1 bytes, 2 str (the spec's kinds)."""
    if not future.done():
        future.set_result(WebsocketMessage(kind, data))


class WebsocketTransport:
    __slots__ = ("_call",)

    def __init__(self, call):
        self._call = call

    async def receive(self):
        future = _loop.create_future()
        self._call.Receive(future)
        return await future

    async def send_bytes(self, data):
        future = _loop.create_future()
        self._call.SendBytes(data, future)
        await future

    async def send_str(self, data):
        future = _loop.create_future()
        self._call.SendText(data, future)
        await future


class WebsocketProtocol:
    __slots__ = ("_call", "_transport")

    def __init__(self, call):
        self._call = call
        self._transport = None

    async def accept(self):
        if self._transport is None:
            future = _loop.create_future()
            self._call.Accept(future)
            await future
            self._transport = WebsocketTransport(self._call)
        return self._transport

    def close(self, status=None):
        self._call.Close(-1 if status is None else int(status))


def _error(exc):
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()


async def _run(target, scope, protocol, call):
    try:
        await target(scope, protocol)
    except BaseException as exc:  # noqa: B036 - every failure of the app is the request's failure
        call.Finish(_error(exc))
        if not isinstance(exc, Exception):
            raise
        return
    call.Finish(None)


def start_http(target, call, packed):
    """Starts one HTTP request's task on the loop (called on the loop thread)."""
    p = packed.split("\0")
    _loop.create_task(_run(target, Scope("http", p), HTTPProtocol(call, p[8] == "1"), call))


def start_ws(target, call, packed):
    """Starts one WebSocket session's task on the loop (called on the loop thread)."""
    p = packed.split("\0")
    _loop.create_task(_run(target, Scope("ws", p), WebsocketProtocol(call), call))
