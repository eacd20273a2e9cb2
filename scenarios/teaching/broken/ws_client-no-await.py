"""BUG: websocket.send("hello") without await: it only makes a coroutine,
which is never run (RuntimeWarning: coroutine ... was never awaited), so
nothing is sent; then recv() waits for an answer that cannot come, until
the timeout.
GRADING: the connection is made, but netrun's server never gets "hello",
nothing is printed and the exit status is 1 (timeout): about 0-1/4 remain.
HINT: every websockets call that talks to the network is a coroutine:
await websocket.send(...) and await websocket.recv().
"""
import asyncio
import os

import websockets


async def hello():
    async with websockets.connect(os.environ["SERVER_URL"]) as websocket:
        websocket.send("hello")
        response = await asyncio.wait_for(websocket.recv(), timeout=10)
        print(response)


asyncio.run(hello())
