"""The course's websockets echo server on 127.0.0.1:PORT: every message,
text or binary, is sent back as it came. websockets runs one coroutine per
client, so several clients are served at once."""
import asyncio
import os

import websockets


async def echo(websocket, path=None):
    async for message in websocket:  # str for text, bytes for binary
        await websocket.send(message)


async def main():
    async with websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"])):
        print("WebSocket echo server on ws://127.0.0.1:%s" % os.environ["PORT"])
        await asyncio.Future()  # run forever


asyncio.run(main())
