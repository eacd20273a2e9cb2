"""async_fetch with concurrent.futures: executor.map runs the fetches in a
thread pool and gives the results back in the order of the URLs."""
import http.client
import os
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit


def status(url):
    u = urlsplit(url)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = cls(u.hostname, u.port, timeout=30)
    conn.request("GET", (u.path or "/") + ("?" + u.query if u.query else ""))
    code = conn.getresponse().status
    conn.close()
    return code


urls = os.environ["URLS"].split()
with ThreadPoolExecutor(max_workers=len(urls) or 1) as pool:
    for url, code in zip(urls, pool.map(status, urls)):
        print(code, url)
