"""BUG: the threads are started but never joined: the main thread prints
the results at once, before any answer came, so every status is None.
GRADING: the "STATUS URL" lines fail (they read "None URL") and the order
is not judged; the threads still fetch every URL at once before the
interpreter exits, so the exit status and the speed points hold: 4/6.
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
