"""BUG: the download is made in text mode: retrlines() (ASCII mode) hands
each line over without its ending, and the program writes it back with
"\n" to a file opened with "w". The server's lines end with CR LF and its
last line has none: the copy has LF ends and a newline at the end, so it
is not the server's file byte for byte. Download with retrbinary() into a
file opened with "wb".
"""
import os
from ftplib import FTP

ftp = FTP()
ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
ftp.login()
ftp.cwd("pub")
with open("lines.txt", "w") as f:
    ftp.retrlines("RETR lines.txt", lambda line: f.write(line + "\n"))
ftp.quit()
