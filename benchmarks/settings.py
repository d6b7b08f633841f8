"""The product's settings as production runs them, plus the one URL every page is compared to.

Only the address book differs from ``dvpp.settings``: ``benchmarks.urls`` adds the trivial view
(signed in, one indexed query, a tiny template), the floor of this stack. E-mail goes nowhere,
as the benchmark data's addresses are synthetic.
"""

from dvpp.settings import *  # noqa: F403
from dvpp.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "templates"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
