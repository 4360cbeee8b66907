"""Flask 2.2 bench app (WSGI): served by gunicorn-flask and actorssgi-wsgi, unchanged between them.

Routes follow the harness (README "Routes"): /plaintext (and / as its alias) answer "Hello, World!" as
text/plain, /json answers {"message": "Hello, World!"} serialized per request.
"""

from flask import Flask, Response, jsonify

app = Flask(__name__)


@app.get("/")
@app.get("/plaintext")
def plaintext():
    return Response("Hello, World!", mimetype="text/plain")


@app.get("/json")
def json():
    return jsonify(message="Hello, World!")


@app.get("/cpu")
def cpu():
    # A CPU-bound hello: about a millisecond of pure Python per request, so the Python thread (not the server
    # around it) is the ceiling; the --workers 2 row measures how that ceiling scales with processes.
    total = 0
    for i in range(20000):
        total += i * i
    return Response(f"Hello, {total}!", mimetype="text/plain")
