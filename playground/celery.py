"""The Celery app. Broker is Redis in the production shape; in the embedded default nothing is sent
to a broker (see runs/dispatch.py), the same task runs on the web process's thread pool."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")

app = Celery("playground")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
