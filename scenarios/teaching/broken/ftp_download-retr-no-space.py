"""BUG (seed course): 'RETR{0}'.format(name) has no space after RETR, so
the server gets "RETRlines.txt", answers 500 (unknown command) and ftplib
raises error_perm; lines.txt is left empty.
"""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()  # anonymous
ftp.cwd("pub")
filename = "lines.txt"
with open(filename, "wb") as f:
    ftp.retrbinary("RETR{0}".format(filename), f.write)
ftp.quit()
print("downloaded", filename, os.path.getsize(filename), "bytes")
