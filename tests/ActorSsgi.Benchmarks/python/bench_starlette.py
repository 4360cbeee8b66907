"""Starlette 0.26 bench app (ASGI): served by uvicorn-starlette and actorssgi-asgi, unchanged between them.

/plaintext (and /) "Hello, World!" as text/plain, /json {"message": "Hello, World!"}, and the WebSocket
/ws/echo that sends every message back with its type (what the load client's echo mode expects).
"""

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute


async def plaintext(request):
    return PlainTextResponse("Hello, World!")


async def json(request):
    return JSONResponse({"message": "Hello, World!"})


async def ws_echo(websocket):
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("bytes") is not None:
            await websocket.send_bytes(message["bytes"])
        else:
            await websocket.send_text(message["text"])


app = Starlette(routes=[
    Route("/", plaintext),
    Route("/plaintext", plaintext),
    Route("/json", json),
    WebSocketRoute("/ws/echo", ws_echo),
])
