"""pop3_reader in the modern style: email.message_from_bytes with
policy.default decodes the headers itself (str(msg["Subject"])), and
get_body(("plain",)).get_content() gives the text decoded."""
import email
import os
import poplib
from email import policy

pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, _ = pop.stat()
resp, lines, octets = pop.retr(count)
msg = email.message_from_bytes(b"\r\n".join(lines), policy=policy.default)
print("From:", msg["From"])
print("To:", msg["To"])
print("Subject:", msg["Subject"])
print()
print(msg.get_body(preferencelist=("plain",)).get_content())
pop.quit()
