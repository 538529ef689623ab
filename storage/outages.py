"""Which failures mean "a service the bot needs is away for now" (the database, Redis), as
opposed to a bug: the user is asked to try again, and the bot goes on without a restart."""

from __future__ import annotations

import asyncio
import errno
import socket

# errno values of a peer that is not there (or went away mid-conversation).
_AWAY = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EPIPE,
    errno.ETIMEDOUT,
    errno.ENETUNREACH,
    errno.EHOSTUNREACH,
}


def _unavailable_types() -> tuple[type[BaseException], ...]:
    import asyncpg
    import redis.exceptions
    from sqlalchemy import exc

    return (
        ConnectionError,  # refused, reset, aborted, broken pipe
        socket.gaierror,  # the host name does not resolve (a container not up yet)
        TimeoutError,
        asyncio.TimeoutError,
        exc.OperationalError,
        exc.InterfaceError,
        exc.TimeoutError,  # no pooled connection came free
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,  # "connection is closed"
        asyncpg.exceptions.ConnectionDoesNotExistError,
        asyncpg.exceptions.CannotConnectNowError,  # the server is starting or shutting down
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        redis.exceptions.BusyLoadingError,
    )


def unavailable_service(error: BaseException) -> str | None:
    """ "database" or "redis" when the error, or one it was raised from, says that service could
    not be reached; None for anything else (a bug stays a bug and is logged as one)."""
    from sqlalchemy import exc

    types = _unavailable_types()
    chain = _chain(error)
    for current in chain:
        if isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return "database"
        if (
            isinstance(current, OSError)
            # asyncio's connect to a name with several addresses: one OSError for all of them
            and (current.errno in _AWAY or str(current).startswith("Multiple exceptions"))
        ) or isinstance(current, types):
            return _service(chain)
    return None


def _chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _service(chain: list[BaseException]) -> str:
    """For the log: Redis when a Redis client raised anything in the chain, else the database."""
    return "redis" if any(type(e).__module__.startswith("redis") for e in chain) else "database"
