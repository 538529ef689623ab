"""Personal data at rest: Fernet encryption, and keyed hashes for equality lookups (one
signature per phone) that reveal nothing without the key."""

from __future__ import annotations

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class PersonalDataError(Exception):
    """Encrypted data that this key cannot read: a wrong or rotated key."""


class PersonalDataCipher:
    def __init__(self, key: str | bytes) -> None:
        raw = key.encode() if isinstance(key, str) else key
        try:
            self._fernet = Fernet(raw)
        except ValueError as error:
            raise ValueError(
                "the encryption key must be a Fernet key (32 url-safe base64 bytes)"
            ) from error
        # A separate key for hashing, so a hash never helps to attack the encryption.
        self._hash_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"haqbot keyed hash v1"
        ).derive(raw)

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken as error:
            raise PersonalDataError("cannot decrypt: wrong encryption key?") from error

    def seal(self, value: str) -> str:
        """Encrypted as text, for personal data that waits in dialog state (JSON)."""
        return self.encrypt(value).decode("ascii")

    def unseal(self, sealed: str) -> str:
        return self.decrypt(sealed.encode("ascii"))

    def keyed_hash(self, value: str) -> str:
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def normalize_phone(phone: str) -> str:
    """Digits with the country code: '+7 (701) 123-45-67' and '87011234567' are one phone."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits
