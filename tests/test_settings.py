"""Configuration: file values, environment overrides, and refusals that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import ConfigError, load_settings


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "haqbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_config_is_valid_and_documented_defaults_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings()
    assert settings.channel.chat == "@haqtime"
    assert settings.database.url.startswith("sqlite+aiosqlite:///")
    assert settings.telegram.token is None and settings.uses_emulator
    assert settings.i18n.default_locale == "ru"


def test_values_come_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(
        tmp_path,
        '[channel]\nchat = "@haq_test"\n[coordinators]\nids = [1, 2]\n[election]\npolls_close = '
        '"21:30:00"\n',
    )
    monkeypatch.setenv("HAQBOT_CONFIG", str(config))
    settings = load_settings()
    assert settings.channel.chat == "@haq_test"
    assert settings.coordinators.ids == [1, 2]
    assert settings.is_coordinator(2) and not settings.is_coordinator(3)
    assert settings.election.polls_close.hour == 21


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path, '[channel]\nchat = "@from_file"\n')
    monkeypatch.setenv("HAQBOT_CONFIG", str(config))
    monkeypatch.setenv("HAQBOT_CHANNEL__CHAT", "@from_env")
    monkeypatch.setenv("HAQBOT_TELEGRAM__TOKEN", "123456:ABC-def_1")
    monkeypatch.setenv("HAQBOT_TELEGRAM__API_BASE", "http://127.0.0.1:9000/")
    monkeypatch.setenv("HAQBOT_DATABASE__URL", "postgresql+asyncpg://haqbot@127.0.0.1/haqbot")
    monkeypatch.setenv("HAQBOT_COORDINATORS__IDS", "[7, 8]")
    settings = load_settings()
    assert settings.channel.chat == "@from_env"
    assert settings.telegram.token is not None
    assert settings.telegram.token.get_secret_value() == "123456:ABC-def_1"
    assert "ABC" not in repr(settings.telegram), "the token must not show up in logs"
    assert not settings.uses_emulator
    assert settings.telegram.api_base == "http://127.0.0.1:9000"
    assert settings.database.url.startswith("postgresql+asyncpg://")
    assert settings.coordinators.ids == [7, 8]


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("HAQBOT_DATABASE__URL", "mysql://x", "database.url"),
        ("HAQBOT_TELEGRAM__TOKEN", "not-a-token", "telegram.token"),
        ("HAQBOT_TELEGRAM__API_BASE", "ftp://x", "telegram.api_base"),
        ("HAQBOT_EMULATOR__PORT", "99999", "emulator.port"),
        ("HAQBOT_I18N__DEFAULT_LOCALE", "en", "i18n.default_locale"),
        ("HAQBOT_TELEGRAM__MODE", "webhook", "telegram"),
    ],
)
def test_invalid_value_is_refused_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert named in str(error.value)
    assert "HAQBOT_" in str(error.value), "the message says how to set it"


def test_unknown_key_in_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAQBOT_CONFIG", str(write_config(tmp_path, '[channel]\nchatt = "@typo"\n')))
    with pytest.raises(ConfigError, match=r"channel\.chatt"):
        load_settings()


def test_broken_toml_is_refused_with_the_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAQBOT_CONFIG", str(write_config(tmp_path, "[channel\nchat = 1\n")))
    with pytest.raises(ConfigError, match=r"haqbot\.toml"):
        load_settings()


def test_secret_in_a_repository_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import PROJECT_ROOT

    inside = PROJECT_ROOT / "test-output" / "secret-config.toml"
    inside.parent.mkdir(exist_ok=True)
    inside.write_text('[telegram]\ntoken = "123:abc"\n', encoding="utf-8")
    try:
        monkeypatch.setenv("HAQBOT_CONFIG", str(inside))
        with pytest.raises(ConfigError, match=r"telegram\.token: secrets must not be written"):
            load_settings()
    finally:
        inside.unlink()


def test_secret_in_a_file_outside_the_repository_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "HAQBOT_CONFIG", str(write_config(tmp_path, '[telegram]\ntoken = "123:abc"\n'))
    )
    assert load_settings().telegram.token is not None


def test_cli_check_config_reports_the_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot

    monkeypatch.setenv("HAQBOT_DATABASE__URL", "oracle://nope")
    assert bot.main(["check-config"]) == 1
    error = capsys.readouterr().err
    assert "database.url" in error and error.count("\n") <= 3, "one clear message, not a traceback"


@pytest.mark.parametrize(
    ("section", "url"),
    [
        ("database", "postgresql+asyncpg://haqbot:hunter2@db:5432/haqbot"),
        ("redis", "redis://:hunter2@redis:6379/0"),
    ],
)
def test_a_password_in_a_repository_file_is_refused(
    section: str, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import PROJECT_ROOT

    inside = PROJECT_ROOT / "test-output" / f"password-{section}.toml"
    inside.parent.mkdir(exist_ok=True)
    inside.write_text(f'[{section}]\nurl = "{url}"\n', encoding="utf-8")
    try:
        monkeypatch.setenv("HAQBOT_CONFIG", str(inside))
        with pytest.raises(ConfigError, match=f"{section}.url: a password must not be written"):
            load_settings()
    finally:
        inside.unlink()


def test_check_config_masks_passwords(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot

    monkeypatch.setenv(
        "HAQBOT_DATABASE__URL", "postgresql+asyncpg://haqbot:hunter2@127.0.0.1:5432/haqbot"
    )
    monkeypatch.setenv("HAQBOT_REDIS__URL", "redis://:s3cr3t@127.0.0.1:6379/0")
    assert bot.main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out and "s3cr3t" not in out
    assert (
        "postgresql+asyncpg://haqbot:***@127.0.0.1:5432/haqbot" in out
        and "redis://:***@127.0.0.1:6379/0" in out
    )
