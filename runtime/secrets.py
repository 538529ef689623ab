"""Where the personal-data key comes from."""

from __future__ import annotations

import logging
import os

from services.personal_data import PersonalDataCipher
from settings import PROJECT_ROOT, ConfigError, Settings

log = logging.getLogger(__name__)
LOCAL_KEY_FILE = PROJECT_ROOT / "data" / "local-encryption.key"


def encryption_key(settings: Settings) -> str:
    """The configured key. Without one, only the local emulator may run, with a key generated
    once into data/ (never committed): real signers' data must not depend on a file we made up."""
    if settings.security.encryption_key is not None:
        return settings.security.encryption_key.get_secret_value()
    if not settings.uses_emulator:
        raise ConfigError(
            "security.encryption_key: required when the bot talks to Telegram; make one with "
            "`python bot.py keygen` and set HAQBOT_SECURITY__ENCRYPTION_KEY"
        )
    if not LOCAL_KEY_FILE.exists():
        LOCAL_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(LOCAL_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(PersonalDataCipher.generate_key())
        log.warning(
            "no encryption key configured: generated %s for the local emulator", LOCAL_KEY_FILE
        )
    return LOCAL_KEY_FILE.read_text().strip()
