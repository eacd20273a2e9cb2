"""BUG: urlopen() raises urllib.error.HTTPError for the URL that answers
404, and nothing catches it: asyncio.gather() passes the exception on,
the program ends with a traceback and prints nothing. The fetches ran at
the same time, and every URL was fetched.
GRADING: exit status and "STATUS URL" lines fail (the order check is
skipped without the lines): 3/6.
HINT: catch urllib.error.HTTPError and print its code: except
urllib.error.HTTPError as e: status = e.code.
"""
import asyncio
import os
import urllib.request


def get_status(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status


async def main():
    urls = os.environ["URLS"].split()
    statuses = await asyncio.gather(*(asyncio.to_thread(get_status, u) for u in urls))
    for url, status in zip(urls, statuses):
        print(status, url)


asyncio.run(main())
