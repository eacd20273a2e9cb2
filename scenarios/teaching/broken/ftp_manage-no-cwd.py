"""BUG: it makes the folder but never goes into it: the file is stored,
renamed and listed in the login folder, and FTP_DIR stays empty.
GRADING: exit status and "the folder exists" pass; ".bak in the folder
with the right SHA-256", "renamed, the old name gone" (the folder is
empty) and the printed listing (the login folder's) fail: 2/6.
HINT: after mkd(FTP_DIR), cwd(FTP_DIR) (or use FTP_DIR/NAME as the remote
name) before storbinary.
"""
import os
from ftplib import FTP

local = os.environ["UPLOAD"]
name = os.path.basename(local)
ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=30)
ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
ftp.mkd(os.environ["FTP_DIR"])
with open(local, "rb") as f:
    ftp.storbinary("STOR " + name, f)
ftp.rename(name, name + ".bak")
for entry in ftp.nlst():
    print(entry)
ftp.quit()
