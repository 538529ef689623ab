# haqbot: slim Python, Debian's Tesseract with Kazakh and Russian, run as a non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    # Tesseract's own threads slow it down on small machines; parallelism comes from workers.
    OMP_THREAD_LIMIT=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 haqbot

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot.py settings.py config.toml alembic.ini ./
COPY handlers handlers
COPY models models
COPY services services
COPY storage storage
COPY runtime runtime
COPY emulator emulator
COPY ocr ocr
COPY locales locales
RUN pip install -e . && mkdir -p /app/data && chown haqbot:haqbot /app/data

USER haqbot
# The SQLite file of the embedded default lives here; mount a volume to keep it.
VOLUME ["/app/data"]
EXPOSE 8080 8081
ENTRYPOINT ["python", "bot.py"]
CMD ["run"]
