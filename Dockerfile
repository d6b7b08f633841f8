# Build stage: the wheel (every app, template, static file and the compiled catalogue).
FROM python:3.12-slim AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /dist .

# The image: the wheel installed with the pinned dependencies, and nothing of the checkout but
# manage.py (which only points Django at dvpp.settings).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=dvpp.settings \
    STATIC_ROOT=/app/staticfiles

RUN useradd --create-home --uid 1000 dvpp

WORKDIR /app
COPY requirements/constraints.txt requirements/constraints.txt
COPY --from=build /dist/ /tmp/dist/
RUN pip install -c requirements/constraints.txt /tmp/dist/dvpp-*.whl \
    && rm -rf /tmp/dist
COPY manage.py ./
RUN SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=Xn1HqKx5o6HhQ6c0H9dGgVQn7pxR4u9pQ2M3c7l8ZkE= DEBUG=0 \
       python manage.py collectstatic --noinput

# Handouts are written here (a volume in docker-compose.yml), by the unprivileged user.
RUN mkdir -p /app/media && chown dvpp:dvpp /app/media

USER dvpp
EXPOSE 8000
CMD ["gunicorn", "dvpp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
