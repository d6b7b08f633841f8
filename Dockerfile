FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 1000 dvpp

WORKDIR /app
COPY . .
RUN pip install -c requirements/constraints.txt -e . \
    && SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=Xn1HqKx5o6HhQ6c0H9dGgVQn7pxR4u9pQ2M3c7l8ZkE= DEBUG=0 \
       python manage.py collectstatic --noinput

# Handouts are written here (a volume in docker-compose.yml), by the unprivileged user.
RUN mkdir -p /app/media && chown dvpp:dvpp /app/media

USER dvpp
EXPOSE 8000
CMD ["gunicorn", "dvpp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
