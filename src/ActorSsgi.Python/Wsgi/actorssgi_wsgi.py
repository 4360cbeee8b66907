"""The Python half of ActorSsgi's WSGI gateway (PEP 3333).

The .NET half (WsgiCall) owns the request: it lives in the request's actor, does all network work, and is called
from here for the body (ReadChunk) and the response (Respond, Start, Chunk, End). Each of those calls that waits
(ReadChunk, Chunk) releases the GIL while it waits, so other Python threads run meanwhile.
"""

import sys


class Input:
    """wsgi.input: the request body, pulled from the server piece by piece as the application reads it."""

    __slots__ = ("_call", "_buffer", "_eof")

    def __init__(self, call):
        self._call = call
        self._buffer = bytearray()
        self._eof = False

    def _fill(self):
        if self._eof:
            return False
        chunk = self._call.ReadChunk()  # blocks this thread, GIL released, until the next piece arrives
        if chunk is None:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def _take(self, count):
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buffer))
        while len(self._buffer) < size and self._fill():
            pass
        return self._take(size)

    def readline(self, size=-1):
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                count = end + 1
                break
            if size is not None and 0 <= size <= len(self._buffer):
                count = size
                break
            if not self._fill():
                count = len(self._buffer)
                break
        if size is not None and size >= 0:
            count = min(count, size)
        return self._take(count)

    def readlines(self, hint=-1):
        lines, total = [], 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class Errors:
    """wsgi.errors: a text stream whose lines go to the server's log."""

    def __init__(self, sink):
        self._sink = sink
        self._pending = ""

    def write(self, text):
        self._pending += text
        if "\n" in self._pending:
            lines, _, self._pending = self._pending.rpartition("\n")
            self._sink.Error(lines)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._pending:
            self._sink.Error(self._pending)
            self._pending = ""


class FileWrapper:
    """wsgi.file_wrapper: iterates a file-like object in blocks (PEP 3333's optional platform-specific file handling)."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, "close"):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


def _status_code(status):
    if not isinstance(status, str):
        raise TypeError(f"WSGI status must be a str, not {type(status).__name__}")
    code = status[:3]
    if len(status) < 4 or not code.isdigit() or status[3] != " ":
        raise ValueError(f"WSGI status must be a 3-digit code, a space and a reason phrase, not {status!r}")
    if not "100" <= code <= "599":
        raise ValueError(f"WSGI status code must be 100-599 (RFC 9110's classes), not {code}")
    return int(code)


def _flat_headers(headers):
    # One str for the .NET side ("name\0value\0..."), so the headers cross the boundary in one conversion.
    parts = []
    length = None
    for name, value in headers:
        if type(name) is not str or type(value) is not str:
            raise TypeError(f"WSGI header names and values must be str: {name!r}: {value!r}")
        if name.lower() == "content-length":
            length = int(value)
        parts.append(name)
        parts.append(value)
    return "\0".join(parts), length


def run(app, call, environ_values, header_items, multithread, errors):
    """Calls the application for one request; returns when the response was handed to the server."""
    (method, path, query, server_name, server_port, protocol, scheme, remote_addr, remote_port) = environ_values
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": server_name,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": protocol,
        "REMOTE_ADDR": remote_addr,
        "REMOTE_PORT": remote_port,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": Input(call),
        # The input ends where the body ends (chunked bodies too), so frameworks may read it without a
        # CONTENT_LENGTH (Werkzeug reads nothing from a body without one unless this is set).
        "wsgi.input_terminated": True,
        "wsgi.errors": errors,
        "wsgi.multithread": multithread,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
    }
    for i in range(0, len(header_items), 2):
        name = header_items[i]
        if name == "content-type":
            environ["CONTENT_TYPE"] = header_items[i + 1]
        elif name == "content-length":
            environ["CONTENT_LENGTH"] = header_items[i + 1]
        else:
            environ["HTTP_" + name.upper().replace("-", "_")] = header_items[i + 1]

    # state: [status code, flat headers, content-length from the app, headers sent]
    state = [None, None, None, False]

    def write(data):
        if state[0] is None:
            raise AssertionError("write() called before start_response()")
        if data:
            if not state[3]:
                state[3] = True
                call.Start(state[0], state[1], -1 if state[2] is None else state[2])
            if not call.Chunk(data):
                raise ConnectionAbortedError("the client went away")

    def start_response(status, response_headers, exc_info=None):
        if exc_info is not None:
            try:
                if state[3]:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif state[0] is not None:
            raise AssertionError("start_response() called a second time without exc_info")
        code = _status_code(status)
        flat, length = _flat_headers(response_headers)
        state[0], state[1], state[2] = code, flat, length
        return write

    result = app(environ, start_response)
    try:
        if not state[3] and type(result) in (list, tuple) and len(result) <= 1:
            # The whole body is known: status, headers and body go out in one step, nothing to wait for.
            if state[0] is None:
                raise AssertionError("the application returned without calling start_response()")
            call.Respond(state[0], state[1], result[0] if result else b"")
            return
        for data in result:
            if not data:
                continue
            if state[0] is None:
                raise AssertionError("the application yielded a body before calling start_response()")
            if not state[3] and state[2] is not None and len(data) == state[2]:
                # The application's Content-Length says this block is the whole body (Flask's usual response).
                call.Respond(state[0], state[1], data)
                state[3] = None  # the response is over; anything further is an application error
                continue
            if state[3] is None:
                raise AssertionError("the application yielded more than its Content-Length")
            write(data)
        if state[3] is None:
            return
        if not state[3]:
            if state[0] is None:
                raise AssertionError("the application returned without calling start_response()")
            call.Respond(state[0], state[1], b"")
        else:
            call.End()
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
