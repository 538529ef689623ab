# haqbot: slim Python, Tesseract's language data for Kazakh, Russian and English (digits; the
# engine is the library inside the tesserocr wheel), the libraries OpenCV loads, run as a
# non-root user. The tree comes in whole (less .dockerignore): code and content files
# (elections/, petitions/, incidents/, locales/) are read from beside bot.py.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    # Tesseract's own threads slow it down on small machines; parallelism comes from workers.
    OMP_THREAD_LIMIT=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz libgl1 libglib2.0-0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 haqbot

WORKDIR /app
# The locked versions, every file checked against its hash; a layer of its own that changes only
# with the lock. The code then runs from /app as it does from a checkout.
COPY requirements.lock /app/
RUN pip install --require-hashes -r requirements.lock
COPY . /app
RUN mkdir -p /app/data && chown haqbot:haqbot /app/data && chmod 0700 /app/data

USER haqbot
# The SQLite file of the embedded default lives here; mount a volume to keep it.
VOLUME ["/app/data"]
# 8080: the webhook (webhook mode); 8081: the emulator's web chat (no token).
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "bot.py", "healthcheck", "--http"]
ENTRYPOINT ["python", "bot.py"]
CMD ["run"]
