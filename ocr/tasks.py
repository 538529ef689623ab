"""Recognition off the event loop, as a taskiq task. The embedded default is an in-memory broker
whose thread pool is as large as the machine has cores (Tesseract and ONNX Runtime release the
GIL); with `ocr.broker = "redis"` the bot only queues the task and `python bot.py worker`
processes (the same code) run it. A timeout gives an empty result: the observer types instead.

Messages carry the images base64-encoded and the form by (election, level), so a worker on
another machine needs only the repository, not the bot's memory."""

from __future__ import annotations

import base64
import logging
import os
from functools import lru_cache
from typing import Any

from taskiq import AsyncBroker, InMemoryBroker
from taskiq.exceptions import TaskiqResultTimeoutError

from ocr.result import PageProblem, ProtocolForm, RecognizedLine, RecognizedProtocol, protocol_form

log = logging.getLogger(__name__)

TASK_NAME = "haqbot.ocr.recognize"


@lru_cache(maxsize=1)
def _elections() -> dict[str, Any]:
    from services.elections import load_elections
    from settings import PROJECT_ROOT

    return load_elections(PROJECT_ROOT / "elections")


def recognize_task(images: list[str], election: str, level: str) -> dict[str, Any]:
    from ocr.recognition import recognize_sync  # OpenCV and ONNX Runtime load here, on first use

    form = protocol_form(_elections()[election], level)
    result = recognize_sync([base64.b64decode(image) for image in images], form)
    crops = {line.key: base64.b64encode(line.crop).decode() for line in result.lines if line.crop}
    return {"result": result.model_dump(), "crops": crops}


class _Queue:
    broker: AsyncBroker | None = None
    task: Any = None
    timeout: float = 60.0
    started: bool = False


def configure(
    broker: str = "memory", redis_url: str | None = None, workers: int = 0, timeout: float = 60.0
) -> AsyncBroker:
    """Builds the broker once per process; the bot and `bot.py worker` call it alike."""
    if broker == "redis":
        from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend

        if not redis_url:
            raise ValueError("ocr.broker = redis needs redis.url")
        built: AsyncBroker = ListQueueBroker(
            redis_url, queue_name="haqbot-ocr"
        ).with_result_backend(RedisAsyncResultBackend(redis_url, result_ex_time=3600))
    else:
        built = InMemoryBroker(sync_tasks_pool_size=workers or os.cpu_count() or 1)
    _Queue.broker = built
    _Queue.task = built.register_task(recognize_task, task_name=TASK_NAME)
    _Queue.timeout = timeout
    _Queue.started = False
    return built


async def start() -> None:
    if _Queue.broker is None:
        configure()
    if not _Queue.started:
        await _Queue.broker.startup()  # type: ignore[union-attr]
        _Queue.started = True


async def stop() -> None:
    if _Queue.broker is not None and _Queue.started:
        await _Queue.broker.shutdown()
        _Queue.started = False


def _empty(form: ProtocolForm, problem: str) -> RecognizedProtocol:
    return RecognizedProtocol(
        lines=tuple(RecognizedLine(key=line.key, line=line.line) for line in form.lines),
        engine="none",
        problems=(PageProblem(page=None, code=problem),),
    )


async def run_recognition(images: list[bytes], form: ProtocolForm) -> RecognizedProtocol:
    await start()
    encoded = [base64.b64encode(image).decode() for image in images]
    try:
        handle = await _Queue.task.kiq(encoded, form.election, form.level)
        outcome = await handle.wait_result(timeout=_Queue.timeout)
    except (TimeoutError, TaskiqResultTimeoutError):
        log.warning("OCR took over %ss; the observer types the figures", _Queue.timeout)
        return _empty(form, "timeout")
    except Exception:  # the queue itself failed (Redis down): typing still works
        log.exception("OCR queue failed")
        return _empty(form, "failed")
    if outcome.is_err:
        log.error("OCR task failed: %s", outcome.error)
        return _empty(form, "failed")
    payload = outcome.return_value
    crops = {key: base64.b64decode(value) for key, value in payload["crops"].items()}
    result = RecognizedProtocol.model_validate(payload["result"])
    lines = tuple(line.model_copy(update={"crop": crops.get(line.key)}) for line in result.lines)
    return result.model_copy(update={"lines": lines})


async def run_worker(workers: int) -> None:
    """`python bot.py worker`: takes recognition tasks from Redis until stopped."""
    from taskiq.api import run_receiver_task

    if _Queue.broker is None:
        raise RuntimeError("configure() the Redis broker first")
    await _Queue.broker.startup()
    log.info("OCR worker: %s thread(s), waiting for tasks", workers)
    try:
        # A worker takes only the tasks it has threads for: taskiq's default (100 at once) let
        # the first worker to start take the whole queue while the others stood idle.
        await run_receiver_task(
            _Queue.broker,
            sync_workers=workers,
            max_async_tasks=workers,
            max_prefetch=0,
            run_startup=False,
        )
    finally:
        await _Queue.broker.shutdown()
