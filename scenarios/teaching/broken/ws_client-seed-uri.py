"""BUG: the seed course's client as it is: the URI is the course's
ws://localhost:8765, not SERVER_URL, so it connects to nothing (connection
refused, exit 1) and sends its own text.
GRADING: netrun's server gets no connection: 0/4.
HINT: connect to the URL you are given: os.environ["SERVER_URL"], and
send "hello".
"""
import asyncio

import websockets


async def hello():
    uri = "ws://localhost:8765"
    async with websockets.connect(uri) as websocket:
        await websocket.send("Hello, WebSocket!")
        response = await websocket.recv()
        print(response)


asyncio.get_event_loop().run_until_complete(hello())
