from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "playground.editor"
    label = "editor"
    default_auto_field = "django.db.models.BigAutoField"
