"""The Celery application.

Without ``REDIS_URL`` the settings make every task run eagerly in-process, so the zero-set-up
default needs no broker; with it, tasks go through Redis to ``celery worker`` and ``celery beat``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvpp.settings")

app = Celery("dvpp")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app's tasks.py (dvpp.tasks, sessions.tasks, outcomes.tasks, …), its tasks
# named after the app.
app.autodiscover_tasks()
