"""Websocket /ws/assignments/<id>/: the whole class on one socket, for the teacher's live class view.

It joins the channel-layer group of every active run of the assignment (the groups the runs' own
publishers send to: nothing changes on the worker side), re-checks every second for runs that
started, and forwards only what a mini curve needs: metrics points as [epoch, train_loss, test_loss]
and status changes, each with its run id and seq. One socket per teacher instead of one per student.
"""
import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from playground.runs.models import ACTIVE_STATUSES, FINAL_STATUSES, RunStatus
from playground.runs.notify import group_name

from .access import taught_assignment

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
RESYNC_S = 1.0  # a run shorter than this may finish unseen live; the page still gets it from the API


class ClassConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.groups_joined = set()
        self.resync = None
        user = self.scope.get("user")
        await self.accept()  # first, so the client sees our close code
        if user is None or not user.is_authenticated:
            return await self.close(code=CLOSE_FORBIDDEN)
        self.assignment = await database_sync_to_async(taught_assignment)(user, self.scope["url_route"]["kwargs"]["assignment_id"])
        if self.assignment is None:
            return await self.close(code=CLOSE_NOT_FOUND)
        await self.sync_groups()
        await self.send_json({"type": "subscribed", "runs": sorted(self.groups_joined)})
        self.resync = asyncio.create_task(self._resync_forever())

    def _active_run_ids(self):
        active = [RunStatus.QUEUED, *ACTIVE_STATUSES]
        return {str(i) for i in self.assignment.runs.filter(status__in=active).values_list("id", flat=True)}

    async def sync_groups(self):
        active = await database_sync_to_async(self._active_run_ids)()
        for run_id in active - self.groups_joined:
            await self.channel_layer.group_add(group_name(run_id), self.channel_name)
        self.groups_joined |= active

    async def _resync_forever(self):
        while True:
            await asyncio.sleep(RESYNC_S)
            await self.sync_groups()

    async def disconnect(self, code):
        if self.resync:
            self.resync.cancel()
        for run_id in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group_name(run_id), self.channel_name)

    async def run_events(self, event):
        for m in event["messages"]:
            if m["type"] == "metrics":
                points = [[p.get("epoch"), p.get("train_loss"), p.get("test_loss")] for p in m.get("points", [m])]
                await self.send_json({"type": "metrics", "run": m["run"], "seq": m["seq"], "points": points})
            elif m["type"] == "status":
                await self.send_json({"type": "status", "run": m["run"], "seq": m["seq"], "status": m["status"],
                                      "reason": m.get("reason"), "final": m.get("final")})
                if m["status"] in FINAL_STATUSES and m["run"] in self.groups_joined:
                    self.groups_joined.discard(m["run"])
                    await self.channel_layer.group_discard(group_name(m["run"]), self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass  # the class view only listens
