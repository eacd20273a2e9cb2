"""BUG: the program never logs in: FTP refuses CWD before USER/PASS with
"530 Please login" and ftplib raises error_perm. ftp.login() with no
arguments logs in anonymously.
"""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.cwd("pub")
with open("lines.txt", "wb") as f:
    ftp.retrbinary("RETR lines.txt", f.write)
ftp.quit()
