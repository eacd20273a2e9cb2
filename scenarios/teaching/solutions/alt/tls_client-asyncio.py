"""TLS client with asyncio: open_connection(ssl=context) makes the TLS
session, verifying the certificate against CA_FILE and the name
SERVER_NAME; the handshake fails before anything is sent when the
certificate is not right."""
import asyncio
import os
import ssl
import sys


async def main():
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=os.environ["CA_FILE"])
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                os.environ["SERVER_HOST"],
                int(os.environ["SERVER_PORT"]),
                ssl=context,
                server_hostname=os.environ["SERVER_NAME"],
            ),
            timeout=10,
        )
    except ssl.SSLCertVerificationError as e:
        print("证书验证失败 (certificate verify failed):", e.verify_message)
        return 1
    writer.write("hello\n".encode("utf-8"))
    await writer.drain()
    data = await asyncio.wait_for(reader.readline(), timeout=10)
    print("服务器回复:", data.decode("utf-8").strip())
    writer.close()
    try:
        await writer.wait_closed()
    except (ssl.SSLError, ConnectionError):
        pass  # the server may close without a TLS close_notify
    return 0


sys.exit(asyncio.run(main()))
