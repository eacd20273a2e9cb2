"""BUG: the answer is built with an f-string: a binary message (bytes)
comes back as the text frame "b'\x00\xff...'", and every text message
comes back as itself, so only text works.
GRADING: the text checks pass; "binary messages echoed as binary" fails;
about 3/4 remain.
HINT: send back the message object you received, unchanged: bytes stay a
binary frame, str a text frame.
"""
import asyncio
import os

import websockets


async def echo(websocket, path=None):
    async for message in websocket:
        await websocket.send(f"{message}")


async def main():
    async with websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"])):
        await asyncio.Future()


asyncio.run(main())
