"""ftp_download with FTP as a context manager (it sends QUIT when the block
ends) and retrbinary with a callback of its own that collects the blocks;
the file is written once at the end."""
import os
from ftplib import FTP

chunks = []


def got(block):
    chunks.append(block)


with FTP() as ftp:
    ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=10)
    ftp.login("anonymous", "student@example.test")
    ftp.cwd("/pub")
    ftp.retrbinary("RETR lines.txt", got, blocksize=1024)

with open("lines.txt", "wb") as f:
    f.write(b"".join(chunks))
print("downloaded", sum(len(c) for c in chunks), "bytes")
