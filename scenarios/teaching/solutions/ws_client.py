"""The course's websockets client: connect to SERVER_URL, send "hello",
print the reply."""
import asyncio
import os

import websockets


async def hello():
    async with websockets.connect(os.environ["SERVER_URL"]) as websocket:
        await websocket.send("hello")
        response = await websocket.recv()
        print(response)


asyncio.run(hello())
