"""BUG: the handler receives one message, answers it and returns: the
websockets library then closes the connection, so the second message on
it is never echoed.
GRADING: the first text message is echoed; the binary message (sent next
on the same connection) and later ones are not; the second client's first
message is echoed; about 2/4 remain.
HINT: loop over the messages: `async for message in websocket:` keeps the
connection open until the client closes it.
"""
import asyncio
import os

import websockets


async def echo(websocket, path=None):
    message = await websocket.recv()
    await websocket.send(message)


async def main():
    async with websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"])):
        await asyncio.Future()


asyncio.run(main())
