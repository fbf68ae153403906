from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "playground.classroom"
    label = "classroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Plug the classroom into the runs app, which imports nothing of it: the rules and quotas a
        new run must pass, the fair scheduler, and the Celery worker's heartbeat (connected on import)."""
        from playground.runs import hooks

        from . import rules, scheduler, workers  # noqa: F401 (workers: its Celery signals)

        hooks.register(admit=rules.admit_run, next_run=scheduler.next_run, queue_position=scheduler.queue_position)
