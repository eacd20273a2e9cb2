"""BUG: it makes the folder but never goes into it: the file is stored,
renamed and listed in the login folder, and FTP_DIR stays empty.
GRADING: "the folder exists" passes; ".bak in the folder with the right
SHA-256", "the old name gone from the folder" pass or fail by accident
(the old name is indeed not there), and the printed listing is the login
folder's; about 2/6 remain.
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
