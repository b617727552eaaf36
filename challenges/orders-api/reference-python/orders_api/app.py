"""The FastAPI application: routes, error handling, and the database set up at start-up."""
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from . import orders, problems, products
from .db import create_pool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens this worker's pool (waiting up to 45 s for its connections) and closes it at exit."""
    pool = create_pool(os.environ["DATABASE_URL"])
    await pool.open(wait=True, timeout=45)
    try:
        app.state.pool = pool
        yield
    finally:
        await pool.close()


logging.basicConfig(level=logging.INFO)
logging.getLogger("psycopg.pool").setLevel(logging.WARNING)

service = APIRouter()


@service.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


ROUTERS = (service, products.router, orders.router)

# No interactive docs: the contract's paths are the only ones.
app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
problems.install(app, [route for router in ROUTERS for route in router.routes])
for router in ROUTERS:
    app.include_router(router)
