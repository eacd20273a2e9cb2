"""nntp_reader the seed course's way (002): xhdr('from', 'last-last') for
each header, nntplib.decode_header to decode it, and body(last) for the
text. nntplib is in Python up to 3.12 only."""
import nntplib
import os

n = nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]))
rsp, ct, fst, lst, grp = n.group(os.environ["NNTP_GROUP"])
rng = "%s-%s" % (lst, lst)
rsp, frm = n.xhdr("from", rng)
rsp, sub = n.xhdr("subject", rng)
rsp, dat = n.xhdr("date", rng)
print("From: %s" % nntplib.decode_header(frm[0][1]))
print("Subject: %s" % nntplib.decode_header(sub[0][1]))
print("Date: %s" % dat[0][1])
print()
rsp, info = n.body(str(lst))
count = 0
for line in info.lines:
    print(line.decode("utf-8"))
    count += 1
    if count == 5:
        break
n.quit()
