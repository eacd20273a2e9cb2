"""Print the secret in $PW in every encoding of Python's standard library."""
import base64
import binascii
import html
import json
import os
import quopri
import urllib.parse

pw = os.environ["PW"]
b = pw.encode()
print(json.dumps({"password": pw}))
print(json.dumps({"password": pw}, ensure_ascii=False))
print(json.dumps(json.dumps(pw)))
print(html.escape(pw), html.escape(pw, quote=False))
print(urllib.parse.quote(pw), urllib.parse.quote_plus(pw), urllib.parse.urlencode({"pw": pw}))
print(pw)
print(quopri.encodestring((("x" * 60 + pw) * 3).encode()).decode())
for user in ("a", "ab", "abc"):
    print(base64.b64encode(b"\0" + user.encode() + b"\0" + b).decode())
print(base64.encodebytes(b"prefix " * 9 + b).decode())
print(binascii.hexlify(b).decode(), repr(b), repr(pw), ascii(pw))
