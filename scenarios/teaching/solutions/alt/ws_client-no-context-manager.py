"""websockets client without "async with": await connect() gives the
connection, which the program closes itself in finally. Prints the reply
with a label, the way websockets' own tutorial does ("<<< ...")."""
import asyncio
import os

import websockets


async def main():
    websocket = await websockets.connect(os.environ["SERVER_URL"])
    try:
        await websocket.send("hello")
        greeting = await websocket.recv()
        print(f"<<< {greeting}")
    finally:
        await websocket.close()


if __name__ == "__main__":
    asyncio.run(main())
