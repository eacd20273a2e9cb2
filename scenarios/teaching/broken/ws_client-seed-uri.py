"""BUG: the seed course's client as it is: the URI is the course's
ws://localhost:8765, not SERVER_URL, so it never reaches netrun's server:
it is refused (exit 1) or, worse, talks to whatever else listens on 8765
on that machine (it did while this was written) and exits 0.
GRADING: netrun's server gets no connection and no "hello", and the reply
is not printed: 0/4, or 1/4 for the exit status when something else
answered on 8765.
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
