"""Modules that each domain app may provide, found by name in the order of INSTALLED_APPS.

* ``<app>.defaults`` with ``install(organisation)``: the lookups a new organisation starts with.
* ``<app>.demo`` with ``seed(context)``: synthetic demo data (see :mod:`dvpp.demo`).
"""

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def app_modules(submodule: str) -> Iterator[ModuleType]:
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.{submodule}"
        if app_config.name != "dvpp" and importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)
