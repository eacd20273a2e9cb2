"""TLS echo server with asyncio: start_server(ssl=context) does the
handshake for each client; a client whose handshake fails never reaches
the handler, and asyncio logs it and goes on."""
import asyncio
import os
import ssl


async def echo(reader, writer):
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.environ["CERT_FILE"], os.environ["KEY_FILE"])
    server = await asyncio.start_server(echo, "127.0.0.1", int(os.environ["PORT"]), ssl=context)
    print("TLS echo server on 127.0.0.1:%s" % os.environ["PORT"])
    async with server:
        await server.serve_forever()


asyncio.run(main())
