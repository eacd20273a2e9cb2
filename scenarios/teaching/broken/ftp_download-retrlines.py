"""BUG: retrlines() downloads in ASCII mode and hands each line to the
callback WITHOUT its line ending, so f.write glues all lines into one.
Download with retrbinary() into a file opened with "wb".
"""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()  # anonymous
ftp.cwd("pub")
filename = "lines.txt"
with open(filename, "w") as f:
    ftp.retrlines("RETR {0}".format(filename), f.write)
ftp.quit()
print("downloaded", filename, os.path.getsize(filename), "bytes")
