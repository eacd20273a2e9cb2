"""FTP management with `with FTP() as ftp`, without cwd: the remote paths
name the folder (DIR/NAME), and nlst(DIR) lists it (names are printed
without the folder part)."""
import os
import posixpath
from ftplib import FTP

folder = os.environ["FTP_DIR"]
name = os.path.basename(os.environ["UPLOAD"])
remote = posixpath.join(folder, name)

with FTP() as ftp:
    ftp.connect(os.environ["FTP_HOST"], int(os.environ["FTP_PORT"]), timeout=30)
    ftp.login(user=os.environ["FTP_USER"], passwd=os.environ["FTP_PASSWORD"])
    ftp.mkd(folder)
    with open(os.environ["UPLOAD"], "rb") as fp:
        ftp.storbinary("STOR %s" % remote, fp, blocksize=64 * 1024)
    ftp.rename(remote, remote + ".bak")
    for entry in ftp.nlst(folder):
        print(posixpath.basename(entry))
