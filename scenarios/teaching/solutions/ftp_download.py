"""FTP download: log in anonymously, change to pub, and download lines.txt
in binary mode into the current directory."""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()  # anonymous
ftp.cwd("pub")
filename = "lines.txt"
with open(filename, "wb") as f:
    ftp.retrbinary("RETR {0}".format(filename), f.write)
ftp.quit()
print("downloaded", filename, os.path.getsize(filename), "bytes")
