"""The seed course's websockets client, as the course writes it, with the
URL from SERVER_URL and the message "hello". asyncio.get_event_loop()
outside a running loop is deprecated (an error from Python 3.14 on);
asyncio.run(), as in the reference solution, is the modern form."""
import asyncio
import os

import websockets


async def hello():
    uri = os.environ["SERVER_URL"]
    async with websockets.connect(uri) as websocket:
        await websocket.send("hello")
        response = await websocket.recv()
        print(response)


asyncio.get_event_loop().run_until_complete(hello())
