"""websockets echo server whose handler loops on recv() until the client
leaves (ConnectionClosed), instead of "async for"; the server object
from "await websockets.serve(...)" is kept and waited on. Each client
gets its own handler coroutine."""
import asyncio
import os

import websockets


async def echo(websocket, path=None):
    print("client connected:", websocket.remote_address)
    while True:
        try:
            message = await websocket.recv()
        except websockets.ConnectionClosed:
            print("client left:", websocket.remote_address)
            return
        await websocket.send(message)  # str stays text, bytes stay binary


async def main():
    server = await websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"]))
    print("listening on ws://127.0.0.1:%s" % os.environ["PORT"])
    await server.wait_closed()


asyncio.run(main())
