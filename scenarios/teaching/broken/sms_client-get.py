"""BUG: a GET with the parameters in the URL instead of the form-encoded
POST the gateway's API asks for (account, password and the message end up
in the URL, and in every proxy's and server's log).
GRADING: the sandbox gateway answers a GET with HTTP 405 (code 4050,
"use POST with a form"), which urlopen() raises as HTTPError: a traceback
and exit 1 on both runs, no smsid, no message: 0/6, with the hint to POST.
HINT: the SMS API wants a POST with a form body
(Content-Type: application/x-www-form-urlencoded), not a GET with the
parameters in the URL.
"""
import json
import os
import sys
import urllib.parse
import urllib.request

params = urllib.parse.urlencode({
    "account": os.environ["SMS_ACCOUNT"],
    "password": os.environ["SMS_PASSWORD"],
    "mobile": os.environ["SMS_MOBILE"],
    "content": os.environ["SMS_TEXT"],
    "format": "json",
})
url = os.environ["SMS_URL"]
url += ("&" if "?" in url else "?") + params
with urllib.request.urlopen(url, timeout=30) as response:
    answer = json.load(response)
if answer["code"] != 2:
    print(answer["msg"])
    sys.exit(1)
print(answer["smsid"])
