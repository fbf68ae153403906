from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "playground.editor"
    label = "editor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from playground.runs import hooks

        from .weights import save_run_weights

        hooks.register(keep_weights=save_run_weights)  # a finished run's weights, for its exports
