"""The Python half of ActorSsgi's Python-ssgi gateway: the ssgi module's classes backed by .NET calls.

Everything here runs on the one event-loop thread (actorssgi_asgi.Loop). Calls into .NET (self._call.X) release
the GIL and never wait on the network: they post to the request's or session's actor and return. Results come back
through EventLoopThread.Post and resolve futures here.
"""

import asyncio
import inspect
import io
import traceback

import ssgi


def error_text(exc):
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()


def resolve(future, value):
    if not future.done():
        future.set_result(value)


def resolve_body(future, data):
    if not future.done():
        future.set_result(None if data is None else io.BytesIO(data))


def resolve_chunk(future, sent, ended):
    if not future.done():
        future.set_result((sent, ended))


def fail(future, message):
    if not future.done():
        future.set_exception(RuntimeError(message))


def _flat(headers):
    if headers is None:
        return ""
    if isinstance(headers, dict):
        headers = headers.items()
    parts = []
    for name, value in headers:
        parts.append(str(name))
        parts.append(str(value))
    return "\0".join(parts)


_EXPIRED = ("The request headers are no longer available: SSGI headers are valid only until the handler returns "
            "(an async def handler: until it completes) or calls run_async (and, for WebSockets, until accept or "
            "reject). Read them before.")


class _Entry:
    """What HTTP and WebSocket objects share: the entry's call, run_async, header validity, the one failure."""

    __slots__ = ()

    def _start(self, handler, values):
        (kind, server, remote, method, path, query) = values
        try:
            result = handler(kind, server, remote, method, path, query, self._get_header, self)
        except Exception as exc:  # noqa: BLE001 - the app's failure is the request's failure
            self._headers = False
            self._fail(exc)
            return
        if inspect.isawaitable(result):
            # The seed: "if this function is a coroutine, data will be preserved, run_async is automatic".
            asyncio.ensure_future(result).add_done_callback(self._entry_done)
            return
        self._headers = False
        self._release()

    def _entry_done(self, task):
        self._headers = False
        self._task_done(task)

    def _task_done(self, task):
        if task.cancelled():
            self._fail(asyncio.CancelledError("the handler's task was cancelled"))
        elif task.exception() is not None:
            self._fail(task.exception())
        else:
            self._release()

    def _release(self):
        self._pending -= 1
        if self._pending == 0 and not self._finished:
            self._finished = True
            self._call.Finish(None)

    def _fail(self, exc):
        if self._finished:
            self._call.LogError(error_text(exc))
            return
        self._finished = True
        self._call.Finish(error_text(exc))

    def _get_header(self, name=None):
        if not self._headers:
            raise ssgi.HeadersExpired(_EXPIRED)
        if name is None:
            flat = self._call.Headers()
            if not flat:
                return {}
            parts = flat.split("\0")
            return dict(zip(parts[0::2], parts[1::2]))
        return self._call.GetHeader(str(name))

    def run_async(self, handler, *arguments):
        self._headers = False
        self._pending += 1
        asyncio.get_running_loop().call_soon(self._run, handler, arguments)

    def _run(self, handler, arguments):
        try:
            result = handler(*arguments) if callable(handler) else handler
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        if inspect.isawaitable(result):
            asyncio.ensure_future(result).add_done_callback(self._task_done)
        else:
            self._release()

    def _callback(self, handler, arguments, done):
        """Runs an event callback; ``done(error_or_None)`` reports when it (and its awaitable) has finished."""
        try:
            result = handler(self, *arguments)
        except Exception as exc:  # noqa: BLE001
            done(error_text(exc))
            return
        if not inspect.isawaitable(result):
            done(None)
            return

        def finished(task):
            if task.cancelled():
                done("the callback's task was cancelled")
            else:
                exc = task.exception()
                done(None if exc is None else error_text(exc))

        asyncio.ensure_future(result).add_done_callback(finished)


class HttpResponse(_Entry, ssgi.SSGIHttpResponse):
    # _status / _head: what send_status / send_headers set since the last send, handed to .NET with the next send
    # (-1 / "" when nothing is buffered); the server buffers them until the body starts anyway.
    __slots__ = ("_call", "_headers", "_pending", "_finished", "_aborted_handler", "_extensions", "_status", "_head")

    def __init__(self, call, extensions):
        self._call = call
        self._status = -1
        self._head = ""
        self._headers = True
        self._pending = 1
        self._finished = False
        self._aborted_handler = None
        self._extensions = extensions

    @property
    def aborted(self):
        return self._call.Aborted

    @property
    def extensions(self):
        return self._extensions

    def _take_head(self):
        head = (self._status, self._head)
        self._status, self._head = -1, ""
        return head

    def send(self, payload=None, has_more=False):
        has_more = bool(has_more)
        status, head = self._take_head()
        if payload is None:
            self._call.SendEnd(status, head, has_more)
        elif isinstance(payload, str):
            self._call.SendText(status, head, payload, has_more)
        else:
            self._call.SendBytes(status, head, payload, has_more)

    def send_chunk(self, chunk, total_size=False):
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        size = -1 if total_size is None or total_size is False else int(total_size)
        future = asyncio.get_running_loop().create_future()
        status, head = self._take_head()
        self._call.SendChunk(status, head, chunk, size, future)
        return future

    def send_status(self, status_code=200):
        code = 200 if status_code is None else int(status_code)
        if not 100 <= code <= 599:
            raise ValueError(f"an HTTP status code is 100-599, not {code}")
        self._status = code

    def send_headers(self, headers):
        flat = _flat(headers)
        if flat:
            self._head = flat if not self._head else self._head + "\0" + flat

    def get_data(self):
        future = asyncio.get_running_loop().create_future()
        self._call.GetData(future)
        return future

    def get_chunk(self):
        future = asyncio.get_running_loop().create_future()
        self._call.GetChunk(future)
        return future

    def on_aborted(self, handler, *arguments):
        first = self._aborted_handler is None
        self._aborted_handler = (handler, arguments)
        if first:
            self._call.WatchAborted()

    def _fire_aborted(self):
        handler, arguments = self._aborted_handler

        def done(error):
            if error is not None:
                self._call.LogError(error)

        self._callback(handler, arguments, done)


class WebSocket(_Entry, ssgi.SSGIWebSocket):
    __slots__ = ("_call", "_headers", "_pending", "_finished", "_receive", "_close", "_extensions")

    def __init__(self, call, extensions):
        self._call = call
        self._headers = True
        self._pending = 1
        self._finished = False
        self._receive = None
        self._close = None
        self._extensions = extensions

    @property
    def status(self):
        return self._call.Status

    @property
    def extensions(self):
        return self._extensions

    def accept(self, protocol=None):
        self._headers = False
        future = asyncio.get_running_loop().create_future()
        self._call.Accept(protocol, future)
        return future

    def reject(self, status_code=403, payload=None, headers=None):
        self._headers = False
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        future = asyncio.get_running_loop().create_future()
        self._call.Reject(403 if status_code is None else int(status_code), payload, _flat(headers), future)
        return future

    def send(self, payload):
        future = asyncio.get_running_loop().create_future()
        if isinstance(payload, str):
            self._call.SendText(payload, future)
        else:
            self._call.SendBytes(payload, future)
        return future

    def close(self, code=1000, reason=None):
        self._call.Close(1000 if code is None else int(code), reason)

    def on_receive(self, handler, *arguments):
        self._receive = (handler, arguments)

    def on_close(self, handler, *arguments):
        self._close = (handler, arguments)

    def _message(self, data):
        if self._receive is None:
            self._call.MessageDone(None)  # the seed: a message with no on_receive registered is dropped
            return
        handler, arguments = self._receive
        self._callback(handler, (data,) + arguments, self._call.MessageDone)

    def _closed(self, code, reason):
        if self._close is None:
            self._call.CloseDone(None)
            return
        handler, arguments = self._close
        self._callback(handler, (code, reason) + arguments, self._call.CloseDone)


def start_http(handler, call, values, extensions):
    """Called on the loop thread for each HTTP request."""
    res = HttpResponse(call, extensions)
    call.Bind(res)
    res._start(handler, values)


def start_websocket(handler, call, values, extensions):
    """Called on the loop thread for each upgrade."""
    ws = WebSocket(call, extensions)
    call.Bind(ws)
    ws._start(handler, values)


def get_supported(framework, offered):
    """Asks the framework; returns ((http_name, http_handler) or None, (ws_name, ws_handler) or None)."""
    answer = framework.get_supported(dict(offered))
    if not isinstance(answer, dict):
        raise TypeError(f"get_supported must return a dict, not {type(answer).__name__}")
    unknown = set(answer) - {"http", "websockets"}
    if unknown:
        raise TypeError(f"get_supported returned unknown keys {sorted(unknown)}; the keys are 'http' and 'websockets'")
    result = []
    for key in ("http", "websockets"):
        binding = answer.get(key)
        if binding is None:
            result.append(None)
            continue
        if not isinstance(binding, tuple) or len(binding) != 2 or not isinstance(binding[0], str):
            raise TypeError(f"get_supported()[{key!r}] must be None or a tuple (interface_name, handler)")
        if not callable(binding[1]):
            raise TypeError(f"get_supported()[{key!r}]: the {binding[0]} handler is not callable")
        result.append(binding)
    return tuple(result)
