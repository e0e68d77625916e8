"""Async health checker for a list of service endpoints."""

import asyncio

import aiohttp


async def check(session: aiohttp.ClientSession, url: str) -> tuple[str, int]:
    """HTTP status of ``url`` (0 when unreachable)."""
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp:
            return url, resp.status
    except aiohttp.ClientError:
        return url, 0


async def check_all(urls: list[str]) -> dict[str, int]:
    """Check every URL concurrently."""
    connector = aiohttp.TCPConnector(ssl=False, limit=20)
    async with aiohttp.ClientSession(connector=connector) as session:
        results = await asyncio.gather(*(check(session, url) for url in urls))
    return dict(results)


if __name__ == "__main__":
    print(asyncio.run(check_all(["https://api.example.com/health", "https://auth.example.com/health"])))
