"""The seed's Python ssgi API served by ActorSsgi: a framework object with get_supported and one handler per protocol.

    dotnet run --project src/ActorSsgi.Demo -- --app ssgi_app:app --interface ssgi   (or AddActorSsgiPython(..., "ssgi"))
"""

import asyncio
import json

import ssgi

OFFERED = {}
CHAT = set()
CLOSES = []
ABORTS = []


def http(type, server_address, remote_address, method, path, query_string, get_header, res):
    # Synchronous routes answer within the call: no header is read, nothing is awaited.
    if path == "/":
        res.send_headers((("content-type", "text/plain"),))
        res.send("Hello, World!")
    elif path == "/json":
        res.send_headers((("content-type", "application/json"),))
        res.send(json.dumps({"message": "Hello, World!"}))
    elif path == "/headers":
        everything = get_header()
        res.send_headers((("content-type", "application/json"),))
        res.send(json.dumps({"one": get_header("x-custom"), "missing": get_header("x-missing"),
                             "all": everything, "type": type, "method": method, "query": query_string,
                             "remote": remote_address, "server": server_address,
                             "typed": isinstance(res, ssgi.SSGIHttpResponse) and not isinstance(res, ssgi.SSGIWebSocket)}))
    elif path == "/offered":
        res.send_headers((("content-type", "application/json"),))
        res.send(json.dumps(OFFERED))
    elif path == "/closes":
        res.send(json.dumps(CLOSES))
    elif path == "/hold":
        # Registering on_aborted keeps the response open after this call; the client leaving fires it.
        res.on_aborted(aborted, query_string)
        res.send("started\n", True)
    elif path == "/aborts":
        res.send(json.dumps(ABORTS))
    elif path == "/late-header":
        res.run_async(late_header, res, get_header)
    elif path == "/fail":
        raise ValueError("the /fail route raises")
    else:
        return routes_async(path, query_string, get_header, res)
    return None


def routes_async(path, query_string, get_header, res):
    route = ASYNC_ROUTES.get(path)
    if route is None:
        res.send_status(404)
        res.send("no route " + path)
        return None
    return route(query_string, get_header, res)


async def echo(query_string, get_header, res):
    content_type = get_header("content-type")  # valid: an async def handler keeps the headers until it completes
    body = await res.get_data()
    data = b"" if body is None else body.getvalue()
    res.send_headers((("content-type", content_type or "application/octet-stream"), ("x-length", str(len(data)))))
    res.send(data)


async def stream(query_string, get_header, res):
    count = int(query_string.partition("n=")[2] or "5")
    res.send_headers((("content-type", "text/plain"),))
    for i in range(count):
        sent, ended = await res.send_chunk(f"line {i}\n")
        if not sent or ended:
            return  # the client went away
    res.send()


async def sized(query_string, get_header, res):
    parts = [b"a" * 1000, b"b" * 1000, b"c" * 1000]
    last = None
    for part in parts:
        last = await res.send_chunk(part, 3000)
    assert last == (True, True), last


async def upload(query_string, get_header, res):
    total, pieces = 0, 0
    while True:
        chunk = await res.get_chunk()
        if chunk is None:
            break
        total += len(chunk.getvalue())
        pieces += 1
    res.send(json.dumps({"bytes": total, "chunks": pieces}))


async def fail_async(query_string, get_header, res):
    await asyncio.sleep(0)
    raise RuntimeError("the /fail-async route raises after an await")


def aborted(res, name):
    ABORTS.append({"name": name, "aborted": res.aborted})


async def late_header(res, get_header):
    try:
        get_header("host")
        res.send("still valid")
    except ssgi.HeadersExpired:
        res.send("expired")


ASYNC_ROUTES = {"/echo": echo, "/stream": stream, "/sized": sized, "/upload": upload, "/fail-async": fail_async}


def websocket(type, server_address, remote_address, method, path, query_string, get_header, ws):
    if path == "/reject":
        ws.reject(int(query_string.partition("status=")[2] or "403"), "go away", [("x-reason", "test")])
        return
    if path == "/raise":
        raise RuntimeError("the upgrade handler raises")
    if path != "/chat":
        ws.reject(404)
        return
    ws.on_receive(broadcast)
    ws.on_close(closed, query_string)
    CHAT.add(ws)
    ws.accept()


def broadcast(ws, message):
    if message == "fail":
        raise RuntimeError("on_receive raises")
    for other in list(CHAT):
        other.send(message)


async def closed(ws, code, reason, name):
    CHAT.discard(ws)
    CLOSES.append({"name": name, "code": code, "reason": reason, "status": ws.status})


class App(ssgi.SSGIFramework):
    def get_supported(self, supported_interfaces):
        OFFERED.clear()
        OFFERED.update(supported_interfaces)
        return {"http": ("ssgi", http), "websockets": ("ssgi", websocket)}


class Unoffered:
    def get_supported(self, supported_interfaces):
        return {"http": ("uwsgi", http), "websockets": None}


def wsgi_hello(environ, start_response):
    start_response("200 OK", [("content-type", "text/plain")])
    return [b"hello from wsgi " + ".".join(map(str, environ["wsgi.version"])).encode()]


class Mixed:
    """HTTP through the server's wsgi interface, WebSockets through ssgi: the seed's mixing."""

    def get_supported(self, supported_interfaces):
        return {"http": ("wsgi", wsgi_hello), "websockets": ("ssgi", websocket)}


app = App()
unoffered = Unoffered()
mixed = Mixed()
