"""BUG: the steps are in the wrong order: rename() runs before the upload,
so the server has no file of that name yet and answers 550 to RNFR;
ftplib raises error_perm and the program ends before it uploads anything.
GRADING: only "the folder FTP_DIR was made" passes: 1/6.
HINT: rename() comes after storbinary(): the file must be on the server
before it can be renamed.
"""
import os
from ftplib import FTP

name = os.path.basename(os.environ["UPLOAD"])
ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]))
ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
ftp.mkd(os.environ["FTP_DIR"])
ftp.cwd(os.environ["FTP_DIR"])
ftp.rename(name, name + ".bak")
with open(os.environ["UPLOAD"], "rb") as f:
    ftp.storbinary("STOR " + name, f)
for entry in ftp.nlst():
    print(entry)
ftp.quit()
