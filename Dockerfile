FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 1000 dvpp

WORKDIR /app
COPY . .
RUN pip install -c requirements/constraints.txt -e . \
    && SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput

USER dvpp
EXPOSE 8000
CMD ["gunicorn", "dvpp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
