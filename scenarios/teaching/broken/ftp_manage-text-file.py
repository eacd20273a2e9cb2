"""BUG: the file is opened in text mode ("r"): storbinary() reads str
blocks and sendall() refuses them (TypeError: a bytes-like object is
required), after the folder was made; a binary file may also fail to
decode (UnicodeDecodeError).
GRADING: the folder exists, but STOR has already opened the file on the
server, so an empty NAME is left in it (vsftpd: checked); no .bak, nothing
printed, exit status 1; about 1/6 remain.
HINT: open the file to upload with open(path, "rb"): FTP sends bytes.
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
with open(local, "r") as f:
    ftp.storbinary("STOR " + name, f)
ftp.rename(name, name + ".bak")
for entry in ftp.nlst():
    print(entry)
ftp.quit()
