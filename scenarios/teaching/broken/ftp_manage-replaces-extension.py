"""BUG: the new name replaces the extension instead of adding one:
os.path.splitext(name)[0] + ".bak" turns netrun-logo.png into
netrun-logo.bak, where the assignment asks for netrun-logo.png.bak.
GRADING: the folder and the printed listing pass; ".bak file in FTP_DIR"
and "renamed" fail: 3/6.
HINT: rename it to that name plus .bak: name + ".bak".
"""
import os
from ftplib import FTP

name = os.path.basename(os.environ["UPLOAD"])
ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]))
ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
ftp.mkd(os.environ["FTP_DIR"])
ftp.cwd(os.environ["FTP_DIR"])
with open(os.environ["UPLOAD"], "rb") as f:
    ftp.storbinary("STOR " + name, f)
ftp.rename(name, os.path.splitext(name)[0] + ".bak")
print("\n".join(ftp.nlst()))
ftp.quit()
