"""Python SSGI bench app (the seed's API, /work/shared/seed/ssgi-first-ideas.md), for actorssgi-pyssgi.

An SSGIFramework: get_supported offers the ssgi interface for HTTP and WebSockets. The HTTP handler is a plain
function (the seed allows sync and async alike; sync spares a coroutine per request) that routes on the path
without asking for any header, the point of the seed's get_header design. The WebSocket handler is a coroutine
so accept() can be awaited; on_receive echoes each message as it came.
"""

import json as _json

PLAIN = [("content-type", "text/plain; charset=utf-8")]
JSON = [("content-type", "application/json")]
HELLO = b"Hello, World!"


def http(type, server_address, remote_address, method, path, query_string, get_header, res):
    if path in ("/", "/plaintext"):
        res.send_status(200)
        res.send_headers(PLAIN)
        res.send(HELLO)
    elif path == "/json":
        res.send_status(200)
        res.send_headers(JSON)
        res.send(_json.dumps({"message": "Hello, World!"}))
    else:
        res.send_status(404)
        res.send_headers(PLAIN)
        res.send(b"Not Found")


def _echo(ws, message):
    ws.send(message)  # the seed: the returned future may be awaited or not


async def websocket(type, server_address, remote_address, method, path, query_string, get_header, res):
    if path != "/ws/echo":
        await res.reject(404)
        return
    res.on_receive(_echo)
    await res.accept()


class BenchFramework:
    def get_supported(self, supported_interfaces):
        if "ssgi" not in supported_interfaces:
            return {"http": None, "websockets": None}
        return {"http": ("ssgi", http), "websockets": ("ssgi", websocket)}


app = BenchFramework()
