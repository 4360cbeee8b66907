"""A Starlette 0.26 application (Debian's python3-starlette) served by ActorSsgi as ASGI."""

import asyncio

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocketDisconnect


async def hello(request):
    return PlainTextResponse("Hello, World!")


async def echo(request):
    body = await request.body()
    return PlainTextResponse(body, headers={"x-length": str(len(body))})


async def stream(request):
    count = int(request.query_params.get("n", "5"))

    async def generate():
        for i in range(count):
            yield f"line {i}\n"

    return StreamingResponse(generate(), media_type="text/plain")


async def info(request):
    return JSONResponse({
        "method": request.method,
        "path": request.url.path,
        "query": dict(request.query_params),
        "header": request.headers.get("x-custom"),
        "client": request.client.host,
    })


async def fail(request):
    raise RuntimeError("this route fails on purpose")


# The codes of websocket.disconnect messages the WebSocket routes received, in order (reported by /ws/disconnects).
disconnects = []


async def ws_echo(websocket):
    """Echoes text as text and bytes as bytes; "bye" makes the app close with 4000 "bye for now"."""
    offered = websocket.scope["subprotocols"]
    await websocket.accept(subprotocol="echo.v2" if "echo.v2" in offered else None)
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            disconnects.append(message["code"])
            return
        if message.get("text") == "bye":
            await websocket.close(code=4000, reason="bye for now")
            # The client's close answer still arrives as websocket.disconnect.
            disconnects.append((await websocket.receive())["code"])
            return
        if message.get("text") is not None:
            await websocket.send_text(message["text"])
        else:
            await websocket.send_bytes(message["bytes"])


async def ws_scope(websocket):
    """Sends the scope's WebSocket fields as JSON, then waits for the client to leave."""
    scope = websocket.scope
    await websocket.accept()
    await websocket.send_json({
        "type": scope["type"],
        "asgi": scope["asgi"],
        "http_version": scope["http_version"],
        "scheme": scope["scheme"],
        "path": scope["path"],
        "raw_path": scope["raw_path"].decode(),
        "query_string": scope["query_string"].decode(),
        "header": dict(scope["headers"]).get(b"x-custom", b"").decode(),
        "client": scope["client"][0],
        "subprotocols": scope["subprotocols"],
    })
    try:
        await websocket.receive_text()
    except WebSocketDisconnect:
        pass


async def ws_reject(websocket):
    await websocket.close()  # before accept: the client gets HTTP 403


async def ws_burst(websocket):
    """Sends ?n= messages as fast as it can, then closes with 1000 "done"."""
    await websocket.accept()
    for i in range(int(websocket.query_params.get("n", "10"))):
        await websocket.send_text(f"burst {i}")
    await websocket.close(code=1000, reason="done")


async def ws_return(websocket):
    return  # neither accept nor close: the server answers 500


async def ws_fail_early(websocket):
    raise RuntimeError("this WebSocket fails before accepting")


async def ws_fail(websocket):
    await websocket.accept()
    await websocket.receive_text()
    raise RuntimeError("this WebSocket fails on purpose")


# Sessions of /ws/hold waiting for /ws/release, by the id in their query.
holds = {}


async def ws_hold(websocket):
    """Takes no message until /ws/release?id=... is called; then counts binary messages until "end" and sends the count."""
    release = holds.setdefault(websocket.query_params["id"], asyncio.Event())
    await websocket.accept()
    await release.wait()
    count = size = 0
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect" or message.get("text") == "end":
            break
        count += 1
        size += len(message["bytes"])
    await websocket.send_json({"count": count, "bytes": size})


async def ws_release(request):
    holds.setdefault(request.query_params["id"], asyncio.Event()).set()
    return PlainTextResponse("released")


async def ws_disconnects(request):
    return JSONResponse(disconnects)


app = Starlette(routes=[
    Route("/", hello),
    Route("/echo", echo, methods=["POST"]),
    Route("/stream", stream),
    Route("/info", info),
    Route("/fail", fail),
    WebSocketRoute("/ws", ws_echo),
    WebSocketRoute("/ws/scope", ws_scope),
    WebSocketRoute("/ws/reject", ws_reject),
    WebSocketRoute("/ws/fail", ws_fail),
    WebSocketRoute("/ws/burst", ws_burst),
    WebSocketRoute("/ws/return", ws_return),
    WebSocketRoute("/ws/fail-early", ws_fail_early),
    WebSocketRoute("/ws/hold", ws_hold),
    Route("/ws/release", ws_release),
    Route("/ws/disconnects", ws_disconnects),
])
