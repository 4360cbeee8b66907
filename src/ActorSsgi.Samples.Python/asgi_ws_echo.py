"""A plain ASGI WebSocket echo (no framework), for comparing servers: text back as text, bytes back as bytes.

    uvicorn --app-dir src/ActorSsgi.Samples.Python asgi_ws_echo:app
"""


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if "state" in scope:
                    scope["state"]["started_by"] = "lifespan"
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"WebSocket only"})
        return
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    if scope["path"] == "/state":
        # What lifespan startup put in its state, as every scope gets a copy of it.
        await send({"type": "websocket.send", "text": scope.get("state", {}).get("started_by", "")})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message["bytes"]})
