"""SMS client with a urllib.request.Request: the method and the
Content-Type written out, the answer decoded by hand, the error printed
and SystemExit(1) raised."""
import json
import os
from urllib import parse, request

fields = {
    "account": os.environ["SMS_ACCOUNT"],
    "password": os.environ["SMS_PASSWORD"],
    "mobile": os.environ["SMS_MOBILE"],
    "content": os.environ["SMS_TEXT"],
    "format": "json",
}
req = request.Request(
    os.environ["SMS_URL"],
    data=parse.urlencode(fields).encode("utf-8"),
    headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    method="POST",
)
with request.urlopen(req, timeout=30) as resp:
    result = json.loads(resp.read().decode("utf-8"))

if str(result.get("code")) != "2":
    print("短信发送失败:", result.get("msg"))
    raise SystemExit(1)
print(result["smsid"])
