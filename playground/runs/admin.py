from django.contrib import admin

from .models import Run, RunControl, RunEvent


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "queue", "owner", "created_at", "finished_at", "worker")
    list_filter = ("status", "queue")
    search_fields = ("id", "reason", "worker")
    readonly_fields = ("created_at", "started_at", "finished_at", "heartbeat_at", "last_seq")


admin.site.register(RunEvent)
admin.site.register(RunControl)
