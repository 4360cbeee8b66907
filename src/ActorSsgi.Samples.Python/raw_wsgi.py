"""Plain WSGI callables for the PEP 3333 rules Flask does not exercise (write(), close(), exc_info)."""

closed = []


class Body:
    """An iterable body whose close() the server must call."""

    def __init__(self, name, parts):
        self.name = name
        self.parts = parts

    def __iter__(self):
        return iter(self.parts)

    def close(self):
        closed.append(self.name)


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")
        return [b"then ", b"returned"]
    if path == "/close":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body(environ["QUERY_STRING"], [b"a", b"b", b"c"])
    if path == "/closed":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [",".join(closed).encode()]
    if path == "/exc-info":
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("late failure")
        except ValueError:
            import sys
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"replaced"]
    if path == "/path":
        return_value = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
        return [return_value.encode("utf-8")]
    if path == "/raise":
        raise KeyError("raised before start_response")
    if path == "/raise-mid-body":
        start_response("200 OK", [("Content-Type", "text/plain")])

        def body():
            yield b"first block "
            # The server takes the next block only once the first was flushed, so the status is on the wire
            # before the failure.
            yield b"second block "
            raise RuntimeError("raised after the body started")

        return body()
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]
