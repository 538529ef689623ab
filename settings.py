"""Configuration: `config.toml` (documented there line by line) overridden by `HAQBOT_*` variables.

Secrets (the bot token, the encryption key) are `SecretStr` and are refused when they appear in a
configuration file inside the repository: they come from the environment, or from a file outside
the repository named by `HAQBOT_CONFIG`.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "config.toml"
LOCALES = ("kk", "ru")
Locale = Literal["kk", "ru"]

# Keys that must never be read from a file that lives in the repository.
SECRET_KEYS = (
    ("telegram", "token"),
    ("telegram", "webhook_secret"),
    ("security", "encryption_key"),
)


def known_timezone(value: str) -> str:
    """An IANA time zone name, or a ValueError naming it (election files and config.toml)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (an IANA name such as Asia/Almaty)"
        ) from None
    return value


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and says why."""


class Section(BaseModel):
    # A misspelt key is an error, not a silently ignored line.
    model_config = ConfigDict(extra="forbid")


class TelegramSettings(Section):
    token: SecretStr | None = None
    api_base: str | None = None
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen_host: str = "127.0.0.1"
    webhook_listen_port: int = Field(default=8080, ge=1, le=65535)
    request_retries: int = Field(default=5, ge=0, le=20)
    retry_after_max_seconds: float = Field(default=60.0, gt=0)
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    messages_per_second: float = Field(default=28.0, gt=0, le=1000)

    @field_validator("api_base", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address")
        return value.rstrip("/")

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value() == "":
            return None
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("must look like 123456:ABC... (the token @BotFather gave)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramSettings:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError("webhook mode needs telegram.webhook_url (the public HTTPS address)")
        if self.mode == "webhook" and not (
            self.webhook_secret and self.webhook_secret.get_secret_value()
        ):
            # Without it anyone who reaches the listener can post updates as any user.
            raise ValueError(
                "webhook mode needs telegram.webhook_secret (HAQBOT_TELEGRAM__WEBHOOK_SECRET)"
            )
        return self


class DatabaseSettings(Section):
    url: str = "sqlite+aiosqlite:///data/haqbot.sqlite3"
    migrate_on_start: bool = True
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value


class RedisSettings(Section):
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value


class I18nSettings(Section):
    default_locale: Locale = "ru"


class ChannelSettings(Section):
    chat: str = "@haqtime"
    layout: Literal["bilingual", "per_language"] = "bilingual"
    chat_kk: str | None = None
    chat_ru: str | None = None
    live: bool = True


class CoordinatorSettings(Section):
    ids: list[int] = Field(default_factory=list)
    chat_id: int | None = None


class ElectionSettings(Section):
    active: str = "2023-parliament"
    polls_close: time = time(20, 0)
    timezone: str = "Asia/Almaty"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return known_timezone(value)


class ScheduleSettings(Section):
    tally_minutes: int = Field(default=30, ge=1)
    incidents_minutes: int = Field(default=60, ge=1)
    election_night_tally_minutes: int = Field(default=10, ge=1)
    election_night_hours: int = Field(default=12, ge=0, le=72)
    outbox_seconds: int = Field(default=10, ge=1)
    channel_posts: bool = True


class OcrSettings(Section):
    broker: Literal["memory", "redis"] = "memory"
    workers: int = Field(default=0, ge=0)
    timeout_seconds: float = Field(default=60.0, gt=0)


class EmulatorSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8081, ge=0, le=65535)
    bot_username: str = "haqbot_local_bot"
    rate_limits: bool = True


class SecuritySettings(Section):
    encryption_key: SecretStr | None = None

    @field_validator("encryption_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        import base64
        import binascii

        try:
            raw = base64.urlsafe_b64decode(value.get_secret_value().encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError("must be a Fernet key: run `python bot.py keygen` to make one")
        return value


class PetitionSettings(Section):
    # Folder of petition files (<slug>.toml), relative to the project.
    directory: str = "petitions"
    # Minutes between checks that each live counter equals the true count.
    reconcile_minutes: int = Field(default=10, ge=1)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HAQBOT_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    i18n: I18nSettings = Field(default_factory=I18nSettings)
    channel: ChannelSettings = Field(default_factory=ChannelSettings)
    coordinators: CoordinatorSettings = Field(default_factory=CoordinatorSettings)
    election: ElectionSettings = Field(default_factory=ElectionSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    emulator: EmulatorSettings = Field(default_factory=EmulatorSettings)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    petitions: PetitionSettings = Field(default_factory=PetitionSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = _config_file()
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file),
        )

    @model_validator(mode="after")
    def _ocr_queue(self) -> Settings:
        if self.ocr.broker == "redis" and not self.redis.url:
            raise ValueError('ocr.broker = "redis" needs redis.url')
        return self

    @property
    def uses_emulator(self) -> bool:
        """No token configured: the bot talks to the local emulator instead of Telegram."""
        return self.telegram.token is None

    def is_coordinator(self, telegram_id: int) -> bool:
        return telegram_id in self.coordinators.ids

    def alert_chats(self) -> list[int]:
        """Where coordinators' alerts go: their group chat, or each coordinator privately."""
        chat = self.coordinators.chat_id
        return [chat] if chat else list(self.coordinators.ids)

    def printable_json(self) -> str:
        """The settings as check-config prints them: secrets hidden, passwords in URLs masked."""
        data = json.loads(self.model_dump_json())
        for section in ("database", "redis"):
            data[section]["url"] = masked_url(data[section]["url"])
        return json.dumps(data, indent=2, ensure_ascii=False)


def _config_file() -> Path:
    return Path(os.environ.get("HAQBOT_CONFIG", DEFAULT_CONFIG_FILE)).expanduser().resolve()


def _refuse_secrets_in_repository(config_file: Path) -> None:
    if not config_file.is_file() or not config_file.is_relative_to(PROJECT_ROOT):
        return
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{config_file}: not valid TOML: {error}") from error
    for section, key in SECRET_KEYS:
        if data.get(section, {}).get(key):
            raise ConfigError(
                f"{section}.{key}: secrets must not be written in {config_file.name} inside the "
                f"repository; set HAQBOT_{section.upper()}__{key.upper()} in the environment"
            )
    for section in ("database", "redis"):
        url = data.get(section, {}).get("url")
        if isinstance(url, str) and url_password(url):
            raise ConfigError(
                f"{section}.url: a password must not be written in {config_file.name} inside the "
                f"repository; set HAQBOT_{section.upper()}__URL in the environment"
            )


def url_password(url: str) -> str | None:
    """The password in a database or Redis URL (user:password@host), if any."""
    parsed = urlsplit(url)
    return parsed.password


def masked_url(url: str | None) -> str | None:
    """The URL with its password replaced by ***, for printing and logs."""
    if not url or not url_password(url):
        return url
    parsed = urlsplit(url)
    user = parsed.username or ""
    host = parsed.hostname or ""
    port = f":{parsed.port}" if parsed.port else ""
    return urlunsplit(parsed._replace(netloc=f"{user}:***@{host}{port}"))


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the configuration, or raise ConfigError with one readable line per key."""
    _refuse_secrets_in_repository(_config_file())
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error)) from None
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise ConfigError(f"{_config_file()}: {error}") from None


def describe_validation_error(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"])
        env_name = "HAQBOT_" + "__".join(str(part).upper() for part in problem["loc"])
        lines.append(f"{key}: {problem['msg']} (set in {_config_file().name} or {env_name})")
    return "invalid configuration:\n  " + "\n  ".join(lines)
