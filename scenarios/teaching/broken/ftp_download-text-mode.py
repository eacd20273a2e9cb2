"""BUG: the file is opened in text mode ("w"); retrbinary() hands bytes to
f.write, which fails with "TypeError: write() argument must be str, not
bytes". Open it with "wb".
"""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()  # anonymous
ftp.cwd("pub")
filename = "lines.txt"
with open(filename, "w") as f:
    ftp.retrbinary("RETR {0}".format(filename), f.write)
ftp.quit()
print("downloaded", filename, os.path.getsize(filename), "bytes")
