"""SMS client in the seed course's way: a form-encoded POST with http.client
to the gateway at SMS_URL (account, password, mobile, content, format=json).
Print the smsid of the JSON answer; when code is not 2, print msg and end
with status 1."""
import http.client
import json
import os
import sys
import urllib.parse

url = urllib.parse.urlsplit(os.environ["SMS_URL"])
path = url.path or "/"
if url.query:
    path += "?" + url.query

params = urllib.parse.urlencode({
    "account": os.environ["SMS_ACCOUNT"],
    "password": os.environ["SMS_PASSWORD"],
    "mobile": os.environ["SMS_MOBILE"],
    "content": os.environ["SMS_TEXT"],
    "format": "json",
})
headers = {"Content-type": "application/x-www-form-urlencoded", "Accept": "text/plain"}

if url.scheme == "https":
    conn = http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=30)
else:
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
conn.request("POST", path, params, headers)
response = conn.getresponse()
answer = json.loads(response.read().decode("utf-8"))
conn.close()

if answer.get("code") != 2:
    print(answer.get("msg"))
    sys.exit(1)
print(answer["smsid"])
