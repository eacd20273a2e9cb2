"""BUG: storlines() for a binary file: ftplib sends it line by line in
ASCII mode (TYPE A) and turns every line end into CRLF, so the stored
file's bytes differ from the local ones (a lone \n becomes \r\n).
GRADING: the folder, the rename and the listing pass; "the .bak file has
the right SHA-256" fails; about 4/6 remain.
HINT: upload binary files with storbinary("STOR " + name, f) from a file
opened with "rb"; storlines is for text files only.
"""
import os
from ftplib import FTP

local = os.environ["UPLOAD"]
name = os.path.basename(local)
ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=30)
ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
ftp.mkd(os.environ["FTP_DIR"])
ftp.cwd(os.environ["FTP_DIR"])
with open(local, "rb") as f:
    ftp.storlines("STOR " + name, f)
ftp.rename(name, name + ".bak")
for entry in ftp.nlst():
    print(entry)
ftp.quit()
