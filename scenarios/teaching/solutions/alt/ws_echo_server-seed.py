"""The seed course's websockets echo server, as the course writes it: a
handler with (websocket, path), websockets.serve, and the event loop run by
hand. Only the port comes from PORT. This is websockets' legacy API
(Debian 12 ships 10.4): from websockets 14 on, the handler gets one
argument, and from Python 3.14 on asyncio.get_event_loop() no longer makes
a loop; the reference solution works with both."""
import asyncio
import os

import websockets


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(message)


start_server = websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"]))
asyncio.get_event_loop().run_until_complete(start_server)
asyncio.get_event_loop().run_forever()
