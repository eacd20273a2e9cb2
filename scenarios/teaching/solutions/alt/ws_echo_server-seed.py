"""The seed course's websockets echo server, as the course writes it: a
handler with (websocket, path), websockets.serve, and the event loop run by
hand. Only the port comes from PORT."""
import asyncio
import os

import websockets


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(message)


start_server = websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"]))
asyncio.get_event_loop().run_until_complete(start_server)
asyncio.get_event_loop().run_forever()
