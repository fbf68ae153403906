"""ASGI entry point: HTTP through Django, websockets through Channels."""
import asyncio
import os
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()  # before importing consumers: it sets Django up

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from playground.runs.dispatch import recover_embedded_runs  # noqa: E402
from playground.runs.notify import remember_server_loop  # noqa: E402
from playground.classroom.routing import websocket_urlpatterns as class_routes  # noqa: E402
from playground.runs.routing import websocket_urlpatterns as run_routes  # noqa: E402

router = ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(run_routes + class_routes))),
})
_started = False


async def application(scope, receive, send):
    """Remembers the server's event loop (the embedded mode's training threads send onto it) and,
    on the first connection, recovers runs an earlier embedded process left behind."""
    global _started
    if not _started:
        _started = True
        remember_server_loop(asyncio.get_running_loop())
        threading.Thread(target=recover_embedded_runs, name="recover-runs", daemon=True).start()
    await router(scope, receive, send)
