"""Websocket /ws/runs/<id>/: a snapshot of the history, then the run's live messages; controls back.

The live messages are relayed as the publisher made them: it refuses any type not declared in
models_core/messages.py, so nothing is filtered here. What this consumer sends itself, `snapshot`
and `error`, are the declaration's DIRECT types (sent to one client, never stored).
"""
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from models_core.controls import validate_control

from . import service
from .models import FINAL_STATUSES, Run, RunStatus
from .notify import group_name
from .snapshot import build_snapshot
from .visitors import acting_role, may_act, may_use, visible_run

CLOSE_FORBIDDEN = 4403  # anonymous visitor on an instance that requires an account
CLOSE_NOT_FOUND = 4404  # unknown run, or another visitor's (indistinguishable on purpose)


class RunConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.run_id = self.scope["url_route"]["kwargs"]["run_id"]
        self.group = None
        self.may_act = False
        user = self.scope.get("user")
        session = self.scope.get("session")
        if user is None or not may_use(user):
            return await self._refuse(CLOSE_FORBIDDEN)
        session_key = session.session_key if session else None
        run = await database_sync_to_async(visible_run)(self.run_id, user, session_key)
        if run is None:
            return await self._refuse(CLOSE_NOT_FOUND)
        # A classmate watching a shared run may look, not steer: checked once here, used per control.
        self.may_act = await database_sync_to_async(may_act)(run, user, session_key)
        self.role = acting_role(run, user)  # "stopped by the teacher" when it is the teacher who stops it
        # Join the group before reading the snapshot: whatever is persisted after the read arrives live.
        self.group = group_name(run.id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        snapshot = await database_sync_to_async(build_snapshot)(run.id)
        self.last_seq = snapshot["seq"]
        await self.send_json(snapshot)

    async def _refuse(self, code):
        # Accept first so the client sees our close code, not a bare handshake failure.
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def run_events(self, event):
        for message in event["messages"]:
            if message["seq"] > self.last_seq:  # already in the snapshot otherwise
                self.last_seq = message["seq"]
                await self.send_json(message)

    async def receive_json(self, content, **kwargs):
        errors = await database_sync_to_async(self._handle_control)(content)
        if errors:
            await self._send_error(errors)

    async def _send_error(self, errors):
        """To this client only: an `error` (its fields are declared in models_core/messages.py)."""
        await self.send_json({"type": "error", "run": self.run_id, "errors": errors})

    def _handle_control(self, content):
        if not isinstance(content, dict):
            return [{"path": "", "node": None, "message": "a control message is a JSON object with an 'action'"}]
        if not self.may_act:
            return [{"path": "action", "node": None, "message": "this run was shared with you to look at: only its owner or teacher can control it"}]
        run = Run.objects.get(id=self.run_id)
        errors = [e.as_dict() for e in validate_control(content, run.spec)]
        if errors:
            return errors
        if run.status in FINAL_STATUSES:
            return [{"path": "action", "node": None, "message": f"this run has already {run.status}: start a new one"}]
        if content["action"] == "set_weight" and run.status != RunStatus.PAUSED:
            return [{"path": "action", "node": content.get("node"), "message": "pause the run before editing a weight"}]
        if content["action"] == "stop":
            content = {**content, "reason": content.get("reason") or f"stopped by the {self.role}"}
        service.send_control(run, content)
        return []

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # malformed JSON from the client
            await self._send_error([{"path": "", "node": None, "message": "control messages must be JSON"}])
