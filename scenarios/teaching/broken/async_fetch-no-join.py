"""BUG: the threads are started but never joined: the main thread prints
the results at once, before any answer came, so every status is None.
GRADING: fast, but "STATUS URL lines" fail (they read "None URL"); about
0/5 remain (the speed check counts only with the right output).
HINT: wait for the threads with t.join() (for each thread) before printing
what they found.
"""
import os
import threading
import urllib.request

urls = os.environ["URLS"].split()
results = {}


def fetch_url(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        results[url] = response.status


for url in urls:
    threading.Thread(target=fetch_url, args=(url,)).start()
for url in urls:
    print(results.get(url), url)
