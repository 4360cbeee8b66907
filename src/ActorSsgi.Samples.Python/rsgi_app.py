"""A plain RSGI application (Granian's interface, spec 1.6) served by ActorSsgi as rsgi.

Run: AddActorSsgiPython(configuration, "rsgi_app:app", PythonInterfaces.Rsgi). The class form shows __rsgi__ and the
init/del hooks; the routes are what tests/ActorSsgi.Python.Tests/RsgiSpec.cs checks over real sockets.
"""

import asyncio
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = [("content-type", "text/plain; charset=utf-8")]


async def hello(scope, protocol):
    protocol.response_str(200, TEXT, "Hello, World!")


async def as_json(scope, protocol):
    body = json.dumps({"message": "Hello, World!", "interface": "rsgi", "rsgi_version": scope.rsgi_version})
    protocol.response_bytes(200, [("content-type", "application/json")], body.encode())


async def echo(scope, protocol):
    body = await protocol()
    protocol.response_bytes(200, [("content-type", "application/octet-stream"), ("x-length", str(len(body)))], body)


async def upload(scope, protocol):
    # The body piece by piece (async iteration), echoed piece by piece as a chunked stream.
    transport = protocol.response_stream(200, [("content-type", "application/octet-stream")])
    async for chunk in protocol:
        await transport.send_bytes(chunk)


async def stream(scope, protocol):
    transport = protocol.response_stream(200, TEXT)
    for i in range(5):
        await transport.send_str(f"chunk {i}\n")
    await transport.send_bytes(b"done\n")


async def file(scope, protocol):
    protocol.response_file(200, TEXT, os.path.join(HERE, "rsgi_file.txt"))


async def missing_file(scope, protocol):
    protocol.response_file(200, TEXT, os.path.join(HERE, "no-such-file.txt"))


async def file_range(scope, protocol):
    start, end = (int(v) for v in scope.query_string.split("-"))
    protocol.response_file_range(206, TEXT, os.path.join(HERE, "rsgi_file.txt"), start, end)


DISCONNECTED = asyncio.Event()


async def wait_for_disconnect(scope, protocol):
    # Starts a body the client can see, then never ends it: it returns once the client went away.
    transport = protocol.response_stream(200, TEXT)
    await transport.send_str("waiting\n")
    await protocol.client_disconnect()
    DISCONNECTED.set()


async def disconnected(scope, protocol):
    try:
        await asyncio.wait_for(DISCONNECTED.wait(), 5)
        protocol.response_str(200, TEXT, "yes")
    except asyncio.TimeoutError:
        protocol.response_str(200, TEXT, "no")


async def info(scope, protocol):
    body = {
        "proto": scope.proto, "rsgi_version": scope.rsgi_version, "http_version": scope.http_version,
        "server": scope.server, "client": scope.client, "scheme": scope.scheme, "method": scope.method,
        "path": scope.path, "query_string": scope.query_string, "authority": scope.authority,
        "custom": scope.headers.get("X-Custom"), "custom_all": scope.headers.get_all("x-custom"),
        "has_host": "Host" in scope.headers, "keys": list(scope.headers.keys()), "initialized": app.initialized,
    }
    headers = [("content-type", "application/json"), ("set-cookie", "a=1"), ("set-cookie", "b=2")]
    protocol.response_str(200, headers, json.dumps(body))


async def empty(scope, protocol):
    protocol.response_empty(204, [("x-empty", "yes")])


async def fail(scope, protocol):
    raise ValueError("this route fails before its response")


async def stream_fail(scope, protocol):
    transport = protocol.response_stream(200, TEXT)
    await transport.send_str("first chunk\n")
    raise RuntimeError("this stream fails after its first chunk")


async def ws_echo(scope, protocol):
    transport = await protocol.accept()
    while True:
        message = await transport.receive()
        if message.kind == 0:
            break
        if message.kind == 1:
            await transport.send_bytes(message.data)
        else:
            await transport.send_str(message.data)


async def ws_fail(scope, protocol):
    transport = await protocol.accept()
    await transport.receive()
    raise RuntimeError("this session fails after accept")


async def ws_reject(scope, protocol):
    protocol.close(403)


ROUTES = {
    "/": hello, "/json": as_json, "/echo": echo, "/upload": upload, "/stream": stream, "/file": file,
    "/missing-file": missing_file, "/file-range": file_range,
    "/wait-for-disconnect": wait_for_disconnect, "/disconnected": disconnected, "/info": info, "/empty": empty, "/fail": fail,
    "/stream-fail": stream_fail,
}
WS_ROUTES = {"/ws": ws_echo, "/ws-fail": ws_fail, "/ws-reject": ws_reject}


async def not_found(scope, protocol):
    if scope.proto == "ws":
        protocol.close(404)
    else:
        protocol.response_str(404, TEXT, "not found")


class App:
    def __init__(self):
        self.initialized = False

    def __rsgi_init__(self, loop):
        self.initialized = loop is not None and not loop.is_running()

    def __rsgi_del__(self, loop):
        pass

    async def __rsgi__(self, scope, protocol):
        routes = WS_ROUTES if scope.proto == "ws" else ROUTES
        await routes.get(scope.path, not_found)(scope, protocol)


app = App()
