#!/usr/bin/python3
"""WebSocket checks against a running ActorSsgi demo, with an independent client: Debian's python3-websockets
(10.4, its legacy asyncio API) and hand-written frames over a plain socket for what no client library sends.

    /usr/bin/python3 ws_checks.py http://127.0.0.1:PORT

Prints one PASS/FAIL line per check and exits non-zero if any failed. Needs `apt-get install -y python3-websockets`.
"""

import asyncio
import base64
import os
import struct
import sys
import traceback
import urllib.parse

try:
    import websockets
    from websockets.exceptions import ConnectionClosed, InvalidStatusCode
except ImportError:  # the xunit test looks for this line
    print("FAIL import websockets: /usr/bin/python3 has no websockets module; run: apt-get install -y python3-websockets")
    sys.exit(3)

TIMEOUT = 10
MAX_MESSAGE = 1024 * 1024
RESULTS = []


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


async def run_check(name, check):
    try:
        await asyncio.wait_for(check(), TIMEOUT * 2)
    except CheckFailed as error:
        RESULTS.append(False)
        print(f"FAIL {name}: {error}", flush=True)
    except Exception as error:  # noqa: BLE001 - any error is a failed check, with its trace
        RESULTS.append(False)
        print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
        traceback.print_exc(file=sys.stdout)
    else:
        RESULTS.append(True)
        print(f"PASS {name}", flush=True)


def connect(path, **kwargs):
    # max_size=None: the limits under test are the server's, not this client's.
    return websockets.connect(WS + path, open_timeout=TIMEOUT, close_timeout=TIMEOUT, max_size=None, **kwargs)


async def recv(ws):
    return await asyncio.wait_for(ws.recv(), TIMEOUT)


async def closed_code(ws):
    """Waits for the server's close and returns its code (1006 when the connection dropped without one)."""
    try:
        while True:
            await recv(ws)
    except ConnectionClosed:
        pass
    await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
    return ws.close_code


# --- checks with the websockets library -------------------------------------------------------------------------


async def echo_text():
    async with connect("/ws/echo") as ws:
        await ws.send("héllo ✓")
        reply = await recv(ws)
        expect(reply == "héllo ✓" and isinstance(reply, str), f"got {reply!r}")


async def echo_binary():
    payload = bytes(range(256)) + b"\xff\xfe"
    async with connect("/ws/echo") as ws:
        await ws.send(payload)
        reply = await recv(ws)
        expect(isinstance(reply, bytes), f"a binary message came back as {type(reply).__name__}")
        expect(reply == payload, f"got {len(reply)} bytes, not the {len(payload)} sent")


async def subprotocol_first_offered():
    async with connect("/ws/echo", subprotocols=["chat.v2", "chat.v1"]) as ws:
        expect(ws.subprotocol == "chat.v2", f"negotiated {ws.subprotocol!r}, expected 'chat.v2'")


async def subprotocol_none_offered():
    async with connect("/ws/echo") as ws:
        expect(ws.subprotocol is None, f"negotiated {ws.subprotocol!r} with none offered")
        expect("Sec-WebSocket-Protocol" not in ws.response_headers, "a Sec-WebSocket-Protocol header came back")


async def reject_status_and_header():
    try:
        async with connect("/ws/reject"):
            raise CheckFailed("the upgrade was accepted")
    except InvalidStatusCode as error:
        expect(error.status_code == 403, f"status {error.status_code}")
        expect(error.headers.get("x-reject-reason") == "probe", f"headers {dict(error.headers)}")


async def reject_body():
    # websockets 10.4's InvalidStatusCode has no body: read the rejection by hand.
    status, headers, body = await raw_handshake("/ws/reject", read_body=True)
    expect(status == 403, f"status {status}")
    expect(headers.get("x-reject-reason") == "probe", f"headers {headers}")
    expect(body == b"forbidden", f"body {body!r}")


async def server_close_code():
    async with connect("/ws/close?code=4001") as ws:
        code = await closed_code(ws)
        expect(code == 4001, f"close code {code}")
        expect(ws.close_reason == "closed by /ws/close", f"close reason {ws.close_reason!r}")


async def client_close_answered():
    async with connect("/ws/echo") as ws:
        await ws.close(code=4002, reason="bye")
        expect(ws.close_code == 4002, f"the server answered with {ws.close_code}")


async def fragmented_text():
    async with connect("/ws/echo") as ws:
        fragments = ["frag-1 ", "frag-2 ", "é✓ ", "x" * 10000]
        await ws.send(fragments)  # a list is sent as one fragmented message
        reply = await recv(ws)
        expect(reply == "".join(fragments), f"got {len(reply)} characters back: {reply[:40]!r}")


async def fragmented_binary():
    async with connect("/ws/echo") as ws:
        fragments = [b"\x00" * 5000, b"\x01" * 5000, b"\xff"]
        await ws.send(fragments)
        reply = await recv(ws)
        expect(reply == b"".join(fragments), f"got {len(reply)} bytes back")


async def ping_pong():
    async with connect("/ws/echo") as ws:
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, TIMEOUT)


async def message_too_big():
    async with connect("/ws/echo") as ws:
        await ws.send(b"\x00" * (MAX_MESSAGE + 1))
        code = await closed_code(ws)
        expect(code == 1009, f"close code {code}, expected 1009")


async def chat_fan_out():
    room = "py-" + base64.urlsafe_b64encode(os.urandom(6)).decode()
    async with connect(f"/ws/chat?room={room}") as a, connect(f"/ws/chat?room={room}") as b, \
            connect(f"/ws/chat?room={room}-other") as other:
        await a.send("to the room")
        expect(await recv(a) == "to the room", "the sender did not get its own message")
        expect(await recv(b) == "to the room", "the other member did not get the message")
        await other.send("marker")
        got = await recv(other)
        expect(got == "marker", f"the other room got {got!r} before its own marker")


# --- checks with hand-written frames ------------------------------------------------------------------------------


async def raw_handshake(path, read_body=False):
    """Sends an upgrade request by hand; returns (status, lowercase headers, body or the open streams)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), TIMEOUT)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if read_body:
        body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", "0"))), TIMEOUT)
        writer.close()
        return status, headers, body
    return status, headers, (reader, writer)


def frame(opcode, payload, mask=True, fin=True, rsv=0):
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", first, (0x80 if mask else 0) | length)
    elif length < 65536:
        header = struct.pack("!BBH", first, (0x80 if mask else 0) | 126, length)
    else:
        header = struct.pack("!BBQ", first, (0x80 if mask else 0) | 127, length)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


async def read_frame(reader):
    first, second = await asyncio.wait_for(reader.readexactly(2), TIMEOUT)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    expect(not second & 0x80, "the server masked a frame")
    return first & 0x0F, await asyncio.wait_for(reader.readexactly(length), TIMEOUT)


async def raw_close_code(*frames):
    """Opens /ws/echo by hand, sends the frames, and returns the code of the server's close frame."""
    status, _, (reader, writer) = await raw_handshake("/ws/echo")
    expect(status == 101, f"handshake status {status}")
    try:
        for data in frames:
            writer.write(data)
        await writer.drain()
        while True:
            try:
                opcode, payload = await read_frame(reader)
            except asyncio.IncompleteReadError:
                raise CheckFailed("the connection ended without a close frame") from None
            if opcode == 0x8:
                return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
    finally:
        writer.close()


async def raw_valid_text_echo():
    # The hand-written path itself works: a valid masked text frame is echoed (so the failures below are the frames').
    status, _, (reader, writer) = await raw_handshake("/ws/echo")
    expect(status == 101, f"handshake status {status}")
    try:
        writer.write(frame(0x1, "ok ✓".encode()))
        await writer.drain()
        opcode, payload = await read_frame(reader)
        expect((opcode, payload) == (0x1, "ok ✓".encode()), f"got opcode {opcode} payload {payload!r}")
    finally:
        writer.close()


async def invalid_utf8_text():
    code = await raw_close_code(frame(0x1, b"\xff\xfe"))
    expect(code == 1007, f"close code {code}, expected 1007")


async def invalid_utf8_split_across_fragments():
    # "é" is c3 a9: split over two fragments it is valid; c3 followed by 28 is not.
    code = await raw_close_code(frame(0x1, b"ab\xc3", fin=False), frame(0x0, b"\x28", fin=True))
    expect(code == 1007, f"close code {code}, expected 1007")


async def unmasked_client_frame():
    code = await raw_close_code(frame(0x1, b"no mask", mask=False))
    expect(code == 1002, f"close code {code}, expected 1002")


async def reserved_bit_set():
    code = await raw_close_code(frame(0x1, b"rsv1", rsv=0b100))
    expect(code == 1002, f"close code {code}, expected 1002")


async def unknown_opcode():
    code = await raw_close_code(frame(0x3, b"reserved opcode"))
    expect(code == 1002, f"close code {code}, expected 1002")


async def main():
    checks = [
        echo_text, echo_binary, subprotocol_first_offered, subprotocol_none_offered, reject_status_and_header,
        reject_body, server_close_code, client_close_answered, fragmented_text, fragmented_binary, ping_pong,
        message_too_big, chat_fan_out, raw_valid_text_echo, invalid_utf8_text, invalid_utf8_split_across_fragments,
        unmasked_client_frame, reserved_bit_set, unknown_opcode,
    ]
    for check in checks:
        await run_check(check.__name__, check)
    passed = sum(RESULTS)
    print(f"python ws checks done with websockets {websockets.__version__}: {passed} of {len(RESULTS)} passed")
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    BASE = urllib.parse.urlsplit(sys.argv[1])
    HOST, PORT = BASE.hostname, BASE.port
    WS = f"ws://{HOST}:{PORT}"
    sys.exit(asyncio.run(main()))
