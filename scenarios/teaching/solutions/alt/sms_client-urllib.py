"""SMS client with urllib.request: data= makes the request a POST with a
form-encoded body; json.load reads the gateway's answer."""
import json
import os
import sys
import urllib.parse
import urllib.request

data = urllib.parse.urlencode({
    "account": os.environ["SMS_ACCOUNT"],
    "password": os.environ["SMS_PASSWORD"],
    "mobile": os.environ["SMS_MOBILE"],
    "content": os.environ["SMS_TEXT"],
    "format": "json",
}).encode("utf-8")
with urllib.request.urlopen(os.environ["SMS_URL"], data=data, timeout=30) as response:
    answer = json.load(response)
if answer["code"] != 2:
    print(answer["msg"])
    sys.exit(1)
print(answer["smsid"])
