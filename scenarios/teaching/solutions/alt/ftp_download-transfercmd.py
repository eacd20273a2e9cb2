"""ftp_download at a lower level: TYPE I by hand, then transfercmd opens
the data connection and the program reads the socket itself until the
server closes it; voidresp reads the 226. The path is given whole
(pub/lines.txt) instead of cwd, and the file is named from it."""
import os
import posixpath
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()
ftp.voidcmd("TYPE I")
remote = "pub/lines.txt"
conn = ftp.transfercmd("RETR " + remote)
with open(posixpath.basename(remote), "wb") as out:
    while True:
        data = conn.recv(8192)
        if not data:
            break
        out.write(data)
conn.close()
ftp.voidresp()
ftp.quit()
