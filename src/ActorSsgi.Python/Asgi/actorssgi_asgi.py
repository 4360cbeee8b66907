"""The Python half of ActorSsgi's ASGI gateway (ASGI 3.0; HTTP and WebSocket specs 2.3; lifespan).

One thread runs this module's event loop. The .NET half hands work in through a queue and one byte on a pipe
(so .NET threads never wait for the GIL), and Loop._wake drains it. Results from .NET (body chunks, send
completions, disconnects) come back the same way and resolve asyncio futures here.
"""

import asyncio
import collections
import os
import traceback

ASGI = {"version": "3.0", "spec_version": "2.3"}


def resolve(future, value):
    """Completes a future unless the app already gave up on it (cancelled)."""
    if not future.done():
        future.set_result(value)


class Loop:
    """The event loop of EventLoopThread. started(loop) runs before it runs, stopped(loop) once it stopped."""

    def __init__(self, bridge, started=None, stopped=None):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self._bridge = bridge
        self._stopped = stopped
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        os.set_blocking(self.write_fd, False)
        self.loop.add_reader(self.read_fd, self._wake)
        if started is not None:
            started(self.loop)

    def _wake(self):
        try:
            os.read(self.read_fd, 4096)
        except BlockingIOError:
            pass
        self._bridge.Drain()

    def run(self):
        self.loop.run_forever()
        if self._stopped is not None:
            self._stopped(self.loop)

    def stop(self):
        self.loop.stop()


def _flat_headers(headers):
    parts, length = [], -1
    for name, value in headers:
        name = name.decode("latin-1") if isinstance(name, (bytes, bytearray)) else str(name)
        value = value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)
        if name.lower() == "content-length":
            length = int(value)
        parts.append(name)
        parts.append(value)
    return "\0".join(parts), length


def _error(exc):
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()


def start_http(app, call, values, header_items, has_body, state):
    """Starts one request's task on the loop (called on the loop thread)."""
    (method, path, raw_path, query, server_host, server_port, client_host, client_port, http_version, scheme) = values
    headers = [(header_items[i].encode("latin-1"), header_items[i + 1].encode("latin-1"))
               for i in range(0, len(header_items), 2)]
    scope = {
        "type": "http",
        "asgi": ASGI,
        "http_version": http_version,
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": raw_path.encode("utf-8"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": (client_host, int(client_port or 0)),
        "server": (server_host, int(server_port or 0)),
        "state": dict(state),
    }
    asyncio.get_running_loop().create_task(_http(app, call, scope, has_body))


async def _http(app, call, scope, has_body):
    loop = asyncio.get_running_loop()
    disconnect = loop.create_future()
    call.WatchAbort(disconnect)
    # [body still to read, the final http.request sent, status, flat headers, content-length, streaming, done]
    st = [has_body, False, None, "", -1, False, False]

    async def receive():
        if st[0]:
            future = loop.create_future()
            call.ReadChunk(future)
            data = await future
            if data is not None:
                return {"type": "http.request", "body": data, "more_body": True}
            st[0] = False
        if not st[1]:
            st[1] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnect
        return {"type": "http.disconnect"}

    async def send(message):
        kind = message["type"]
        if kind == "http.response.start":
            if st[2] is not None:
                raise RuntimeError("http.response.start sent twice")
            st[2] = int(message["status"])
            st[3], st[4] = _flat_headers(message.get("headers", ()))
            return
        if kind != "http.response.body":
            raise RuntimeError(f"unexpected ASGI message {kind!r} for http")
        if st[2] is None:
            raise RuntimeError("http.response.body sent before http.response.start")
        if st[6]:
            return  # after the response ended (or the client left) a send is ignored
        body = message.get("body", b"")
        more = message.get("more_body", False)
        if not more and not st[5]:
            st[6] = True
            call.Respond(st[2], st[3], body)
            resolve(disconnect, None)
            return
        if not st[5]:
            st[5] = True
            call.Start(st[2], st[3], st[4])
        if body:
            future = loop.create_future()
            call.Chunk(body, future)
            if not await future:
                st[6] = True
                resolve(disconnect, None)
                return
        if not more:
            st[6] = True
            call.End()
            resolve(disconnect, None)

    try:
        await app(scope, receive, send)
    except BaseException as exc:  # noqa: B036 - every failure of the app is the request's failure
        call.Finish(_error(exc))
        if not isinstance(exc, Exception):
            raise
        return
    call.Finish(None)


def start_websocket(app, call, values, header_items, subprotocols, state):
    """Starts one WebSocket session's task on the loop; returns the session .NET delivers messages to."""
    (path, query, server_host, server_port, client_host, client_port, http_version, scheme) = values
    scope = {
        "type": "websocket",
        "asgi": ASGI,
        "http_version": http_version,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode("utf-8"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": [(header_items[i].encode("latin-1"), header_items[i + 1].encode("latin-1"))
                    for i in range(0, len(header_items), 2)],
        "client": (client_host, int(client_port or 0)),
        "server": (server_host, int(server_port or 0)),
        "subprotocols": list(subprotocols),
        "state": dict(state),
    }
    session = _WebSocket(call)
    asyncio.get_running_loop().create_task(session.run(app, scope))
    return session


class _WebSocket:
    """One session. .NET calls put_text/put_bytes/closed on the loop thread; the app awaits receive and send."""

    __slots__ = ("call", "inbox", "waiter", "state", "connected", "disconnect")

    def __init__(self, call):
        self.call = call
        self.inbox = collections.deque()
        self.waiter = None
        # connecting -> accepted -> closing (the app sent close) -> disconnected; or connecting -> rejected
        self.state = "connecting"
        self.connected = False
        self.disconnect = None

    def put_text(self, text):
        self.inbox.append({"type": "websocket.receive", "text": text})
        self._wake()

    def put_bytes(self, data):
        self.inbox.append({"type": "websocket.receive", "bytes": data})
        self._wake()

    def closed(self, code):
        """The session ended (either side closed, or the connection was lost): disconnect follows the queued messages."""
        if self.state in ("accepted", "closing"):
            self.state = "disconnected"
        self.disconnect = {"type": "websocket.disconnect", "code": code}
        self._wake()

    def _wake(self):
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            resolve(waiter, None)

    async def receive(self):
        if not self.connected:
            self.connected = True
            return {"type": "websocket.connect"}
        while True:
            if self.inbox:
                message = self.inbox.popleft()
                # .NET stops reading the socket while the queue is full; each message taken makes room.
                call = self.call
                if call is not None:
                    call.Taken()
                return message
            if self.disconnect is not None:
                return self.disconnect
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter

    async def _ask(self, start, *args):
        future = asyncio.get_running_loop().create_future()
        start(*args, future)
        return await future

    async def send(self, message):
        if self.call is None:
            raise RuntimeError("send called after the ASGI app's WebSocket session finished")
        kind = message["type"]
        state = self.state
        if kind == "websocket.accept":
            if state != "connecting":
                raise RuntimeError(f"websocket.accept sent when the session is {state}")
            error = await self._ask(self.call.Accept, message.get("subprotocol"))
            if error:
                raise RuntimeError(error)
            if self.state == "connecting":
                self.state = "accepted"
        elif kind == "websocket.close":
            code = int(message.get("code", 1000))
            if state == "connecting":
                # ASGI: a close before accept is an HTTP 403.
                self.state = "rejected"
                await self._ask(self.call.Reject, 403)
                self.disconnect = {"type": "websocket.disconnect", "code": code}
                self._wake()
            elif state == "accepted":
                self.state = "closing"
                error = await self._ask(self.call.Close, code, message.get("reason") or None)
                if error:
                    raise ValueError(error)
        elif kind == "websocket.send":
            if state in ("connecting", "rejected"):
                raise RuntimeError(f"websocket.send when the session is {state}")
            if state != "accepted":
                return  # after a close (either side's) a send is dropped, as the server drops it
            text = message.get("text")
            if text is not None:
                wait = self.call.SendText(text)
            else:
                data = message.get("bytes")
                if data is None:
                    raise ValueError("websocket.send needs 'text' or 'bytes'")
                wait = self.call.SendBytes(data)
            if wait:
                # Too many sends still on their way to the session: let some arrive first.
                await self._ask(self.call.WaitForSends)
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r} for websocket")

    async def run(self, app, scope):
        call = self.call
        try:
            await app(scope, self.receive, self.send)
        except BaseException as exc:  # noqa: B036 - every failure of the app is the session's failure
            call.Finish(_error(exc), self.state)
            if not isinstance(exc, Exception):
                raise
            return
        finally:
            # The .NET call holds this session and this session held the call: a cycle across two garbage
            # collectors that neither can free. Dropping this side lets .NET collect the call, which releases us.
            self.call = None
        call.Finish(None, self.state)


def start_lifespan(app, bridge, state):
    """Runs the lifespan protocol's startup; bridge.LifespanStarted(outcome, message) reports how it went."""
    loop = asyncio.get_running_loop()
    inbox = asyncio.Queue()
    startup = loop.create_future()
    shutdown = loop.create_future()

    async def receive():
        return await inbox.get()

    async def send(message):
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            resolve(startup, ("complete", ""))
        elif kind == "lifespan.startup.failed":
            resolve(startup, ("failed", message.get("message", "")))
        elif kind == "lifespan.shutdown.complete":
            resolve(shutdown, ("complete", ""))
        elif kind == "lifespan.shutdown.failed":
            resolve(shutdown, ("failed", message.get("message", "")))
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r} for lifespan")

    async def main():
        try:
            await app({"type": "lifespan", "asgi": ASGI, "state": state}, receive, send)
        except BaseException as exc:  # noqa: B036
            # Raising before startup completed is how an app says it does not speak lifespan (uvicorn's "auto").
            resolve(startup, ("unsupported", f"{type(exc).__name__}: {exc}"))
            resolve(shutdown, ("unsupported", ""))
            return
        resolve(startup, ("unsupported", "the app returned without answering lifespan.startup"))
        resolve(shutdown, ("unsupported", ""))

    def report(future):
        outcome, text = future.result()
        bridge.LifespanStarted(outcome, text)

    def report_shutdown(future):
        outcome, text = future.result()
        bridge.LifespanStopped(outcome, text)

    startup.add_done_callback(report)
    inbox.put_nowait({"type": "lifespan.startup"})
    task = loop.create_task(main())

    def stop():
        shutdown.add_done_callback(report_shutdown)
        if task.done():
            return
        inbox.put_nowait({"type": "lifespan.shutdown"})

    return stop
