"""BUG: it never looks at code: on a wrong password it prints the smsid
the gateway sends anyway (or nothing) and exits 0.
GRADING: the good run gets full marks on the message; "a wrong password
prints msg" and "exits 1" fail (it prints "0" and exits 0): 4/6.
HINT: the gateway answers 200 even on an error: check answer["code"] == 2;
otherwise print answer["msg"] and exit with sys.exit(1).
"""
import json
import os
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
print(answer.get("smsid"))
