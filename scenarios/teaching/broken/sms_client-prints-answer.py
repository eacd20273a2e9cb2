"""BUG: the seed course's send_sms() as it is: it prints the raw answer
(b'{"code":2,"msg":"...","smsid":"..."}') and never looks at code, so a
refused message still exits 0.
GRADING: the message reaches the gateway (netrun finds its smsid in the
printed answer, and its checks pass), but "the smsid on a line of its own"
fails and the wrong-password run exits 0 (the msg is in the answer it
prints, which counts): 4/6.
HINT: parse the answer with json.loads, print answer["smsid"], and when
answer["code"] is not 2 print answer["msg"] and sys.exit(1).
"""
import http.client
import os
import urllib.parse

url = urllib.parse.urlsplit(os.environ["SMS_URL"])


def send_sms(text, mobile):
    params = urllib.parse.urlencode(
        {'account': os.environ["SMS_ACCOUNT"], 'password': os.environ["SMS_PASSWORD"],
         'content': text, 'mobile': mobile, 'format': 'json'})
    headers = {"Content-type": "application/x-www-form-urlencoded", "Accept": "text/plain"}
    conn = http.client.HTTPConnection(url.hostname, port=url.port or 80, timeout=30)
    conn.request("POST", url.path + ("?" + url.query if url.query else ""), params, headers)
    response = conn.getresponse()
    response_str = response.read()
    conn.close()
    return response_str


if __name__ == '__main__':
    print(send_sms(os.environ["SMS_TEXT"], os.environ["SMS_MOBILE"]))
