"""BUG: asyncio with a blocking call inside the coroutines: urlopen()
holds the event loop until its answer comes, so gather() runs the fetches
one after another, exactly as a plain loop would.
GRADING: the output checks pass (the lines are right and in order); the
server never sees two requests at once: the speed points are lost, 4/6.
HINT: run the blocking call in a thread: await asyncio.to_thread(urlopen,
url), or use threads or a ThreadPoolExecutor.
"""
import asyncio
import os
import urllib.error
import urllib.request


async def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


async def main():
    urls = os.environ["URLS"].split()
    statuses = await asyncio.gather(*(fetch(u) for u in urls))
    for url, status in zip(urls, statuses):
        print(status, url)


asyncio.run(main())
