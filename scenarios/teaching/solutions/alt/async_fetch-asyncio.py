"""async_fetch with asyncio, as in the seed course's gather example: each
blocking urllib call runs in asyncio.to_thread, and gather() keeps the
order of the URLs."""
import asyncio
import os
import urllib.error
import urllib.request


def get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


async def fetch_url(url):
    return await asyncio.to_thread(get_status, url)


async def main():
    urls = os.environ["URLS"].split()
    statuses = await asyncio.gather(*(fetch_url(u) for u in urls))
    for url, status in zip(urls, statuses):
        print(status, url)


asyncio.run(main())
