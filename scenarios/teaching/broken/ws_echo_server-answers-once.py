"""BUG: the handler receives one message, answers it and returns: the
websockets library then closes the connection, so the second message on
it is never echoed.
GRADING: the first message of each connection is echoed, whatever comes
second on a connection is not (the connection is closed); with the
scenario sending text then binary on one connection and one message on a
second: about 2/4 remain.
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
