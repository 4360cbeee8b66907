"""A Flask 2.2 application (Debian's python3-flask) served by ActorSsgi as WSGI; the tests drive it over HTTP."""

from flask import Flask, Response, jsonify, request, stream_with_context

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"


@app.get("/query")
def query():
    return jsonify(args=request.args.to_dict(flat=False), query_string=request.query_string.decode("latin-1"))


@app.post("/json")
def echo_json():
    payload = request.get_json()
    return jsonify(received=payload, count=len(payload.get("items", [])))


@app.post("/upload")
def upload():
    # Read wsgi.input in pieces, as a streaming consumer would.
    total, stream = 0, request.stream
    while True:
        block = stream.read(65536)
        if not block:
            break
        total += len(block)
    return jsonify(bytes=total)


@app.get("/stream")
def stream():
    count = int(request.args.get("n", "5"))

    def generate():
        for i in range(count):
            yield f"line {i}\n"

    return Response(stream_with_context(generate()), mimetype="text/plain")


@app.get("/headers")
def headers():
    resp = Response("ok", status=201)
    resp.headers["X-Echo"] = request.headers.get("X-Custom", "missing")
    resp.set_cookie("a", "1")
    resp.set_cookie("b", "2")
    return resp


@app.get("/status/<int:code>")
def status(code):
    return Response(f"status {code}", status=code)


@app.get("/environ")
def environ():
    env = request.environ
    keys = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT",
            "SERVER_PROTOCOL", "wsgi.url_scheme", "wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once"]
    result = {key: env.get(key) for key in keys}
    result["wsgi.version"] = list(env["wsgi.version"])
    result["has_input"] = hasattr(env["wsgi.input"], "read")
    result["has_errors"] = hasattr(env["wsgi.errors"], "write")
    return jsonify(result)


@app.get("/fail")
def fail():
    raise RuntimeError("this route fails on purpose")
