"""Getting messages from a training thread (or worker process) onto the channel layer.

Embedded: the in-memory layer lives on the ASGI server's event loop, and `async_to_sync` from a
worker thread would run on a fresh loop and deliver late, so the send is scheduled onto the server's
loop. Production: each publisher owns one event loop for its whole run, so channels_redis keeps one
connection pool instead of opening a connection per message.
"""
import asyncio

from channels.layers import get_channel_layer
from django.conf import settings

_server_loop = None


def remember_server_loop(loop):
    global _server_loop
    _server_loop = loop


def group_name(run_id):
    return f"run-{run_id}"


class Notifier:
    def __init__(self):
        self.layer = get_channel_layer()
        self._loop = None

    def send(self, run_id, messages):
        event = {"type": "run.events", "messages": messages}
        coro = self.layer.group_send(group_name(run_id), event)
        if settings.MODE == "embedded" and _server_loop is not None and _server_loop.is_running():
            asyncio.run_coroutine_threadsafe(coro, _server_loop).result(timeout=10)
            return
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(coro)

    def close(self):
        if self._loop is not None:
            self._loop.close()  # channels_redis hooks close() to release this loop's connections
            self._loop = None
