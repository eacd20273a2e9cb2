"""BUG: each thread prints its own line when its answer comes, so the lines
come out in the order the answers finish, not in the order of URLS.
GRADING: the speed check passes; "in the order given" fails (the scenario's
URLs answer after 2 s, 1 s and 1.5 s, so the second comes first, with
half a second between answers): 5/6.
HINT: keep the results (a list indexed like URLS, or executor.map, or
asyncio.gather) and print them in order after all are done.
"""
import os
import threading
import urllib.error
import urllib.request


def fetch_url(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            print(response.status, url)
    except urllib.error.HTTPError as e:
        print(e.code, url)


threads = [threading.Thread(target=fetch_url, args=(u,)) for u in os.environ["URLS"].split()]
for t in threads:
    t.start()
for t in threads:
    t.join()
