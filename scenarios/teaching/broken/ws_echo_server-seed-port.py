"""BUG: the seed course's server as it is, on its fixed port 8765: PORT is
never read, so nothing listens where netrun connects (and two gradings at
once would collide on 8765).
GRADING: the connection is refused: 0/4.
HINT: listen on the port you are given: int(os.environ["PORT"]).
"""
import asyncio

import websockets


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(message)


start_server = websockets.serve(echo, "127.0.0.1", 8765)
asyncio.get_event_loop().run_until_complete(start_server)
asyncio.get_event_loop().run_forever()
