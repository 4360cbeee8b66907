"""A Starlette 0.26 application (Debian's python3-starlette) served by ActorSsgi as ASGI."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route


async def hello(request):
    return PlainTextResponse("Hello, World!")


async def echo(request):
    body = await request.body()
    return PlainTextResponse(body, headers={"x-length": str(len(body))})


async def stream(request):
    count = int(request.query_params.get("n", "5"))

    async def generate():
        for i in range(count):
            yield f"line {i}\n"

    return StreamingResponse(generate(), media_type="text/plain")


async def info(request):
    return JSONResponse({
        "method": request.method,
        "path": request.url.path,
        "query": dict(request.query_params),
        "header": request.headers.get("x-custom"),
        "client": request.client.host,
    })


async def fail(request):
    raise RuntimeError("this route fails on purpose")


app = Starlette(routes=[
    Route("/", hello),
    Route("/echo", echo, methods=["POST"]),
    Route("/stream", stream),
    Route("/info", info),
    Route("/fail", fail),
])
