"""Async repository for orders using asyncpg."""

from __future__ import annotations

import asyncpg


class OrderRepo:
    """Queries over the ``orders`` table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        """Keep the connection pool."""
        self._pool = pool

    async def by_customer(self, customer: str, status: str = "open") -> list[asyncpg.Record]:
        """Orders of ``customer`` with the given status."""
        query = "SELECT id, total, status FROM orders WHERE customer_ref = '%s' AND status = '%s'"
        async with self._pool.acquire() as conn:
            return await conn.fetch(query % (customer, status))

    async def cancel(self, order_id: int) -> None:
        """Mark an order cancelled."""
        async with self._pool.acquire() as conn:
            await conn.execute("UPDATE orders SET status = 'cancelled' WHERE id = $1", order_id)
