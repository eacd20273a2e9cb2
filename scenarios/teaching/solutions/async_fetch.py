"""Fetch every URL in URLS (separated by spaces) at the same time, one
thread each, and print "STATUS URL" for each, in the order given."""
import os
import threading
import urllib.error
import urllib.request

urls = os.environ["URLS"].split()
statuses = [None] * len(urls)


def fetch_url(i, url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            statuses[i] = response.status
    except urllib.error.HTTPError as e:  # 404, 500...: still an answer
        statuses[i] = e.code


threads = [threading.Thread(target=fetch_url, args=(i, url)) for i, url in enumerate(urls)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for url, status in zip(urls, statuses):
    print(status, url)
