from django.contrib import admin

from .models import Run, RunControl, RunEvent, WorkerHeartbeat


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "queue", "owner", "assignment", "shared", "created_at", "finished_at", "worker")
    list_filter = ("status", "queue", "shared")
    search_fields = ("id", "reason", "worker")
    readonly_fields = ("created_at", "started_at", "finished_at", "heartbeat_at", "last_seq")


admin.site.register(RunEvent)
admin.site.register(RunControl)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "queues", "concurrency", "last_seen")
