"""A FastAPI 0.92 application (Debian's python3-fastapi) served by ActorSsgi as ASGI, with a lifespan handler."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


# FastAPI 0.92 predates FastAPI(lifespan=...); its startup/shutdown handlers run through the ASGI lifespan protocol.
@app.on_event("startup")
async def startup():
    app.state.greeting = "set by lifespan startup"


@app.on_event("shutdown")
async def shutdown():
    app.state.greeting = None


class Item(BaseModel):
    name: str
    price: float
    tags: list[str] = []


@app.get("/")
async def root():
    return {"greeting": app.state.greeting}


@app.post("/items")
async def create_item(item: Item):
    return {"name": item.name, "price_with_tax": round(item.price * 1.2, 2), "tags": item.tags}


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}
