"""The Celery application.

Without ``REDIS_URL`` the settings make every task run eagerly in-process, so the zero-set-up
default needs no broker; with it, tasks go through Redis to ``celery worker`` and ``celery beat``.

Every task runs inside :func:`dvpp.origin.origin` named after it (``task:<name>``), so a change
a service makes in a scheduled task is recorded in the audit log as made by that task.
"""

import os

from celery import Celery, Task

from .origin import origin

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvpp.settings")


class AuditedTask(Task):
    def __call__(self, *args, **kwargs):
        with origin(f"task:{self.name}"):
            return super().__call__(*args, **kwargs)


app = Celery("dvpp", task_cls=AuditedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app's tasks.py (dvpp.tasks, sessions.tasks, outcomes.tasks, …), its tasks
# named after the app.
app.autodiscover_tasks()
