"""FTP file management with ftplib: log in as FTP_USER, make the folder
FTP_DIR, upload the local file UPLOAD into it in binary mode under its base
name, rename it to NAME.bak, and print the folder's NLST, one name a line."""
import os
from ftplib import FTP

local = os.environ["UPLOAD"]
name = os.path.basename(local)

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=30)
ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
ftp.mkd(os.environ["FTP_DIR"])
ftp.cwd(os.environ["FTP_DIR"])
with open(local, "rb") as f:  # binary: "rb" and storbinary, never storlines
    ftp.storbinary("STOR " + name, f)
ftp.rename(name, name + ".bak")
for entry in ftp.nlst():
    print(entry)
ftp.quit()
