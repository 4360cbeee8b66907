"""RSGI bench app (Granian's RSGI specification), for actorssgi-rsgi: the same routes as bench_starlette.py.

Written without a framework, as RSGI apps usually are: the HTTP protocol object's response_str answers in one
call; the WebSocket protocol's accept() gives a transport whose receive() yields messages with kind 0 (close),
1 (bytes) or 2 (string), per granian.rsgi.WebsocketMessageType (compared as ints: granian is not installed here).
"""

import json as _json

PLAIN = [("content-type", "text/plain; charset=utf-8")]
JSON = [("content-type", "application/json")]

_CLOSE, _BYTES, _STRING = 0, 1, 2


class BenchApp:
    async def __rsgi__(self, scope, protocol):
        if scope.proto == "ws":
            await self._echo(protocol)
            return
        path = scope.path
        if path in ("/", "/plaintext"):
            protocol.response_str(200, PLAIN, "Hello, World!")
        elif path == "/json":
            protocol.response_str(200, JSON, _json.dumps({"message": "Hello, World!"}))
        else:
            protocol.response_str(404, PLAIN, "Not Found")

    @staticmethod
    async def _echo(protocol):
        transport = await protocol.accept()
        while True:
            message = await transport.receive()
            if message.kind == _CLOSE:
                break
            if message.kind == _BYTES:
                await transport.send_bytes(message.data)
            else:
                await transport.send_str(message.data)
        protocol.close()


app = BenchApp()
