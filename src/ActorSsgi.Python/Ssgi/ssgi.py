"""SSGI 1.0 for Python: the seed's API (docs/ssgi-1.0.md, docs/python.md), as abstract classes to type against.

ActorSsgi's objects (``res`` for HTTP, ``res`` for WebSockets) are instances of these classes, so
``isinstance(res, ssgi.SSGIWebSocket)`` tells the two apart. A framework is any object with ``get_supported``;
subclassing ``SSGIFramework`` is optional.

    import ssgi

    def handler(type, server_address, remote_address, method, path, query_string, get_header, res):
        res.send_headers([("content-type", "text/plain")])
        res.send("Hello, World!")

    class App(ssgi.SSGIFramework):
        def get_supported(self, supported_interfaces):
            return {"http": ("ssgi", handler), "websockets": None}
"""

import abc
from io import BytesIO
from typing import Any, Awaitable, Callable, Dict, Iterable, Optional, Tuple, Union

#: The interface name and the version this module describes.
NAME = "ssgi"
VERSION = "1.0"

#: The ``type`` argument of ``ssgi(...)``.
HTTP = "http"
WEBSOCKET = "websocket"

#: ``SSGIWebSocket.status``, with the seed's numbers ("0 pending upgrade, 1 rejected, 2 closed, 3 accepted").
PENDING = 0
REJECTED = 1
CLOSED = 2
ACCEPTED = 3

#: What the future of ``SSGIWebSocket.send`` resolves to.
SENT = 0
BACKPRESSURE = 1
DROPPED = 2

Payload = Union[str, bytes, bytearray, memoryview]
BytesPayload = Union[bytes, bytearray, memoryview]
Headers = Iterable[Tuple[str, str]]
#: ``get_header(name)`` returns the value (or ``None``); ``get_header()`` returns all headers as a dict.
GetHeader = Callable[..., Union[Optional[str], Dict[str, str]]]


class HeadersExpired(RuntimeError):
    """``get_header`` was called after the headers stopped being valid (see ``ssgi()`` below)."""


class SSGIHttpResponse(abc.ABC):
    """One HTTP response (the seed's ``SSGIHttpResponse``)."""

    @property
    @abc.abstractmethod
    def aborted(self) -> bool:
        """``True`` once the connection was aborted before the response ended."""

    @property
    @abc.abstractmethod
    def extensions(self) -> Optional[dict]:
        """Server extensions for this request (``"http.protocol"``, ``"http.scheme"``)."""

    @abc.abstractmethod
    def send(self, payload: Union[Payload, None] = None, has_more: Optional[bool] = False) -> None:
        """Writes ``payload`` (``str`` as UTF-8); without ``has_more`` the response ends. ``None``: no body."""

    @abc.abstractmethod
    def send_chunk(self, chunk: Payload, total_size: int = False) -> Awaitable[Tuple[bool, bool]]:
        """Writes one chunk with backpressure; resolves to ``(sent, ended)``. With ``total_size`` the response
        carries that Content-Length and ends when it is met; without it the body is chunked and ``send()`` ends it."""

    @abc.abstractmethod
    def send_status(self, status_code: Optional[int] = 200) -> None:
        """Sets the status code (the last call before the body wins)."""

    @abc.abstractmethod
    def send_headers(self, headers: Headers) -> None:
        """Adds response headers; a repeated name adds another value."""

    @abc.abstractmethod
    def run_async(self, handler: Union[Awaitable, Callable], *arguments) -> None:
        """Runs ``handler(*arguments)`` (or awaits an awaitable) on the event loop after the current call; the
        response stays open until it finishes. The request headers expire at this call."""

    @abc.abstractmethod
    def get_data(self) -> Awaitable[Optional[BytesIO]]:
        """The whole request body as ``BytesIO``, or ``None`` when there is none (or the request was aborted)."""

    @abc.abstractmethod
    def get_chunk(self) -> Awaitable[Optional[BytesIO]]:
        """The next piece of the request body as ``BytesIO`` (the server picks the size), ``None`` at the end."""

    @abc.abstractmethod
    def on_aborted(self, handler: Union[Awaitable, Callable], *arguments) -> None:
        """``handler(res, *arguments)`` runs once if the response is aborted; registering keeps the response open."""


class SSGIWebSocket(abc.ABC):
    """One WebSocket session (the seed's ``SSGIWebSocket``)."""

    @property
    @abc.abstractmethod
    def status(self) -> int:
        """``PENDING`` (0), ``REJECTED`` (1), ``CLOSED`` (2) or ``ACCEPTED`` (3)."""

    @property
    @abc.abstractmethod
    def extensions(self) -> Optional[dict]:
        """Server extensions for this session."""

    @abc.abstractmethod
    def accept(self, protocol: Optional[str] = None) -> Awaitable[None]:
        """Accepts the upgrade; ``None`` confirms the first offered ``sec-websocket-protocol``. Headers expire."""

    @abc.abstractmethod
    def reject(self, status_code: Optional[int] = 403, payload: Union[BytesPayload, str, None] = None,
               headers: Optional[Headers] = None) -> Awaitable[None]:
        """Answers the upgrade with a plain HTTP response instead. Headers expire."""

    @abc.abstractmethod
    def send(self, payload: Payload) -> Awaitable[int]:
        """Sends a message (``str``: text, bytes-like: binary); the future (``SENT``, ``BACKPRESSURE`` or
        ``DROPPED``) may be awaited or not."""

    @abc.abstractmethod
    def close(self, code: Optional[int] = 1000, reason: Optional[str] = None) -> None:
        """Starts the closing handshake; ``on_close`` follows."""

    @abc.abstractmethod
    def run_async(self, handler: Union[Awaitable, Callable], *arguments) -> None:
        """Runs ``handler(*arguments)`` (or awaits an awaitable) on the event loop after the current call."""

    @abc.abstractmethod
    def on_receive(self, handler: Union[Awaitable, Callable], *arguments) -> None:
        """``handler(ws, msg, *arguments)`` for each message in order (``str`` or ``bytes``); an awaitable result
        is awaited before the next message."""

    @abc.abstractmethod
    def on_close(self, handler: Union[Awaitable, Callable], *arguments) -> None:
        """``handler(ws, code, reason, *arguments)`` once, when an accepted session ends."""


#: The seed's ``ssgi(type, server_address, remote_address, method, path, query_string, get_header, res)``; sync or
#: ``async def``.
SSGIHandler = Callable[[str, str, str, str, str, str, GetHeader, Union[SSGIHttpResponse, SSGIWebSocket]],
                       Optional[Awaitable[None]]]
Binding = Optional[Tuple[str, Any]]


class SSGIFramework(abc.ABC):
    """The seed's ``SSGIFramework``: tells the server which interface serves each protocol."""

    @abc.abstractmethod
    def get_supported(self, supported_interfaces: Dict[str, str]) -> Dict[str, Binding]:
        """``supported_interfaces`` is what the server offers (``{"ssgi": "1.0", "wsgi": "1.0.1", ...}``); return
        ``{"http": (name, handler) or None, "websockets": (name, handler) or None}``."""
