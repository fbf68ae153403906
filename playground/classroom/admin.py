from django.contrib import admin

from .models import Assignment, Classroom, Comment, InstanceLimits, LoginFailure, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("student",)


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "teacher", "join_code", "created_at")
    search_fields = ("name", "join_code", "teacher__username")
    inlines = [MembershipInline]
    raw_id_fields = ("spotlight_run",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "classroom", "target_metric", "target_comparison", "target_threshold", "due_at")
    list_filter = ("classroom",)


@admin.register(InstanceLimits)
class InstanceLimitsAdmin(admin.ModelAdmin):
    list_display = ("role", "max_concurrent_runs", "max_steps", "max_params", "max_samples", "gpu_allowed")


admin.site.register(Comment)
admin.site.register(LoginFailure)
