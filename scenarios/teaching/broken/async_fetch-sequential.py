"""BUG: the URLs are fetched one after another: with three URLs that each
take about 1 s, the program takes about 3 s.
GRADING: the output checks pass (the lines are right and in order); the
server never has two of the requests at once, so the speed points are
lost: 4/6.
HINT: start all the requests before waiting for any: one
threading.Thread per URL (then join them all), a ThreadPoolExecutor, or
asyncio.gather.
"""
import os
import urllib.error
import urllib.request

for url in os.environ["URLS"].split():
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            print(response.status, url)
    except urllib.error.HTTPError as e:
        print(e.code, url)
