"""BUG: the program asks for lines.txt without changing to pub first: the
file is not in the top folder, the server answers 550 and ftplib raises
error_perm (an empty lines.txt is left behind).
"""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()
with open("lines.txt", "wb") as f:
    ftp.retrbinary("RETR lines.txt", f.write)
ftp.quit()
