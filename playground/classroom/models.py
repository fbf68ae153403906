"""Classrooms, their students and assignments, comments on runs, and the instance's limits."""
import secrets

from django.conf import settings
from django.db import models

# Join codes avoid letters that read alike on a projector (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class Role(models.TextChoices):
    ANONYMOUS = "anonymous"
    STUDENT = "student"
    TEACHER = "teacher"


class QuotaFields(models.Model):
    """The limits a run is checked against (playground/classroom/quotas.py). Null: no limit here."""

    max_concurrent_runs = models.PositiveIntegerField(null=True, blank=True,
                                                      help_text="runs queued or training at once, per person")
    max_steps = models.PositiveIntegerField(null=True, blank=True, help_text="epochs × batches per epoch")
    max_params = models.PositiveIntegerField(null=True, blank=True, help_text="trainable parameters")
    max_samples = models.PositiveIntegerField(null=True, blank=True, help_text="points in the dataset")
    gpu_allowed = models.BooleanField(null=True, blank=True)

    QUOTA_NAMES = ("max_concurrent_runs", "max_steps", "max_params", "max_samples", "gpu_allowed")

    class Meta:
        abstract = True

    def quota_dict(self):
        return {name: getattr(self, name) for name in self.QUOTA_NAMES}


class InstanceLimits(QuotaFields):
    """The admin's instance-wide limits, one row per role (admins themselves have none)."""

    role = models.CharField(max_length=16, choices=Role.choices, unique=True)

    def __str__(self):
        return f"limits for {self.role}"


class Classroom(QuotaFields):
    """A teacher's class. Its quota fields are the teacher's limits for its students: they may only
    tighten the instance's student limits (checked where they are set)."""

    name = models.CharField(max_length=100)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught")
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    spotlight_run = models.ForeignKey("runs.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student__username"]
        constraints = [models.UniqueConstraint(fields=["classroom", "student"], name="unique_membership")]


class Assignment(models.Model):
    """A preset (a full spec) with instructions, an optional due date and a target; `locked` and
    `hidden` name controls (classroom/controls.py) the student may not change."""

    class Comparison(models.TextChoices):
        AT_LEAST = ">="
        AT_MOST = "<="

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True, default="")
    preset = models.JSONField()
    due_at = models.DateTimeField(null=True, blank=True)
    target_metric = models.CharField(max_length=32, default="test_accuracy")
    target_comparison = models.CharField(max_length=2, choices=Comparison.choices, default=Comparison.AT_LEAST)
    target_threshold = models.FloatField(null=True, blank=True)
    target_max_params = models.PositiveIntegerField(null=True, blank=True)
    locked = models.JSONField(default=list, blank=True)
    hidden = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Comment(models.Model):
    run = models.ForeignKey("runs.Run", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class LoginFailure(models.Model):
    """A failed login, for rate limiting: in the database so every web process counts the same."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
