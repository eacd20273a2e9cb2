# -*- coding: utf-8 -*-
"""FTP 文件管理, in the seed course's style: FTP() then connect(), a
login, mkd() and cwd(), storbinary with a block size, rename(), and
retrlines("NLST"), whose default callback prints each name on its own line."""
import ftplib
import os

HOST = os.environ["FTP_HOST"]
PORT = int(os.environ["FTP_PORT"])
FILE = os.environ["UPLOAD"]


def main():
    try:
        f = ftplib.FTP()
        f.connect(HOST, PORT)
    except (OSError, EOFError) as e:
        print("ERROR: cannot reach %s: %s" % (HOST, e))
        raise SystemExit(1)
    f.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
    f.mkd(os.environ["FTP_DIR"])
    f.cwd(os.environ["FTP_DIR"])
    name = os.path.split(FILE)[1]
    fp = open(FILE, "rb")
    f.storbinary("STOR %s" % name, fp, 1024)
    fp.close()
    f.rename(name, name + ".bak")
    f.retrlines("NLST")
    f.quit()


if __name__ == "__main__":
    main()
