"""Database tables. Alembic migrations in storage/migrations create them; never `create_all`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names so migrations stay identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# JSON everywhere, stored parsed (JSONB) where the database can.
FIGURES_JSON = JSON().with_variant(JSONB(), "postgresql")


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored as UTC (PostgreSQL keeps the zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Base):
    """Everyone who has written to the bot. Holds no personal data: id, language, role only."""

    __tablename__ = "users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # None until the user picks a language; until then it is guessed from Telegram.
    language: Mapped[str | None] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(16), default="member")
    # The /start payload the user arrived with, kept until the journey it names takes it.
    pending_deep_link: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )


class FsmStateRow(Base):
    """Dialog state of one chat (and destiny), so a restart loses nothing."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )


class PetitionSignatureRow(Base):
    """One person's signature of one petition. Kept as withdrawn (personal fields erased) for
    the audit trail; after /forget not even the Telegram id remains."""

    __tablename__ = "petition_signatures"
    __table_args__ = (
        UniqueConstraint("petition_slug", "telegram_id", name="uq_petition_signatures_signer"),
        # NULLs (withdrawn or unverified) never collide, in SQLite and PostgreSQL alike.
        UniqueConstraint("petition_slug", "phone_hash", name="uq_petition_signatures_phone"),
        Index("ix_petition_signatures_status", "petition_slug", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    petition_slug: Mapped[str] = mapped_column(String(32))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    name_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    region: Mapped[str | None] = mapped_column(String(32))
    # Keyed hash of the normalised phone number: enforces one signature per phone, reveals nothing.
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    referred_by: Mapped[str | None] = mapped_column(String(16))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PetitionCounterRow(Base):
    """Live signature count, changed in the same transaction as each signature."""

    __tablename__ = "petition_counters"

    petition_slug: Mapped[str] = mapped_column(String(32), primary_key=True)
    signed_count: Mapped[int] = mapped_column(Integer, default=0)
    reconciled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReferralCodeRow(Base):
    """A signer's own share code; random, so a shared link does not reveal a Telegram id."""

    __tablename__ = "referral_codes"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(16), unique=True)


class AuditLogRow(Base):
    """Who saw or exported personal data, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PrecinctRow(Base):
    """A polling station (precinct commission) of the directory. Numbers repeat across regions."""

    __tablename__ = "precincts"
    __table_args__ = (UniqueConstraint("region", "number", name="uq_precincts_region_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    district_kk: Mapped[str] = mapped_column(String(200))
    district_ru: Mapped[str] = mapped_column(String(200))
    address_kk: Mapped[str] = mapped_column(String(500))
    address_ru: Mapped[str] = mapped_column(String(500))
    voters_on_list: Mapped[int | None] = mapped_column(Integer)


class InviteCodeRow(Base):
    """Single-use, expiring code a coordinator hands to a trusted observer."""

    __tablename__ = "invite_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    region: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ObserverRow(Base):
    """An observer's registration. Name and phone encrypted; the phone is needed in clear by
    coordinators (to call), so it is encrypted rather than only hashed."""

    __tablename__ = "observers"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16))
    name_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    phone_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    invite_code: Mapped[str | None] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(BigInteger)


class ObserverPrecinctRow(Base):
    __tablename__ = "observer_precincts"

    telegram_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("observers.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    precinct_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("precincts.id", ondelete="CASCADE"), primary_key=True
    )


class ProtocolRow(Base):
    """One observer's copy of one precinct's protocol for one level. A later submission for the
    same precinct and level is a new version; earlier versions stay."""

    __tablename__ = "protocols"
    __table_args__ = (
        UniqueConstraint(
            "election", "level", "precinct_id", "version", name="uq_protocols_version"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(32))
    precinct_id: Mapped[int] = mapped_column(Integer, ForeignKey("precincts.id"))
    observer_id: Mapped[int | None] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)
    # {"voters_on_list": 1500, ..., "votes.amanat": 300}. JSONB on PostgreSQL: tallies read 14
    # keys per row, and plain json is re-parsed for each (3x slower at 30,000 protocols).
    figures: Mapped[dict[str, Any]] = mapped_column(FIGURES_JSON)
    # Telegram file ids of the pages, as photo or as file: the evidence.
    photos: Mapped[list[Any]] = mapped_column(JSON)
    # What OCR read, before the observer confirmed or corrected it (None: typed by hand).
    recognition: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Keys the observer typed or changed rather than confirmed.
    typed: Mapped[list[Any]] = mapped_column(JSON)
    hard_failures: Mapped[list[Any]] = mapped_column(JSON)
    # No hard check failed: counted in tallies without waiting for a coordinator.
    hard_checks_pass: Mapped[bool] = mapped_column(Boolean, default=True)
    soft_failures: Mapped[list[Any]] = mapped_column(JSON)
    # Why the observer keeps figures that fail a hard check; free text, so encrypted.
    reason_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # A coordinator's verification or rejection: who, when, and (rejections) why, encrypted.
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)


class PrecinctResultRow(Base):
    """What counts for one precinct and level (NDI Apollo's master record): recomputed from its
    observers' latest versions and the coordinators' decisions whenever either changes, so the
    tallies read one row per precinct and one observer's version never silently replaces
    another observer's differing copy."""

    __tablename__ = "precinct_results"
    __table_args__ = (Index("ix_precinct_results_status", "election", "level", "status"),)

    election: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[str] = mapped_column(String(32), primary_key=True)
    precinct_id: Mapped[int] = mapped_column(Integer, ForeignKey("precincts.id"), primary_key=True)
    # counted; flagged (a copy fails a hard check, unverified); conflict (copies differ);
    # rejected (every copy rejected)
    status: Mapped[str] = mapped_column(String(16))
    # The figures that count (None unless counted).
    figures: Mapped[dict[str, Any] | None] = mapped_column(FIGURES_JSON)
    # A coordinator's figures (a correction, or one observer's copy picked), with who and why.
    override: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    override_by: Mapped[int | None] = mapped_column(BigInteger)
    override_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    override_reason_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    # When the case first needed a coordinator: queues are oldest first.
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )


class OfficialImportRow(Base):
    """One import of the official per-precinct results of a level; the newest one is current,
    earlier ones stay as history."""

    __tablename__ = "official_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    election: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class OfficialResultRow(Base):
    """The official figures of one precinct and level, as one import published them."""

    __tablename__ = "official_results"
    __table_args__ = (
        UniqueConstraint("import_id", "precinct_id", name="uq_official_results_precinct"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("official_imports.id", ondelete="CASCADE")
    )
    precinct_id: Mapped[int] = mapped_column(Integer, ForeignKey("precincts.id"))
    figures: Mapped[dict[str, Any]] = mapped_column(FIGURES_JSON)


class IncidentRow(Base):
    """An observer's report of a violation. Description encrypted: it may name people."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    observer_id: Mapped[int | None] = mapped_column(BigInteger)
    precinct_id: Mapped[int] = mapped_column(Integer, ForeignKey("precincts.id"))
    category: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    description_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    # [{"file_id", "kind", "chat_id", "message_id"}]: the messages themselves, for forwarding.
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # received → verified | rejected
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChannelPostRow(Base):
    """The channel outbox: a post is written here first, then sent; the Telegram message ids are
    stored part by part as they succeed, so a restart resumes instead of losing or repeating."""

    __tablename__ = "channel_posts"
    __table_args__ = (
        # The same content to the same chat is never posted twice.
        UniqueConstraint("chat", "content_hash", name="uq_channel_posts_content"),
        Index("ix_channel_posts_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # tally, live, incidents, milestone
    # Stable name of a post edited in place (live tallies) or posted once (milestones).
    key: Mapped[str | None] = mapped_column(String(160), unique=True)
    chat: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    # A short caption for the chart when the text is too long to be the chart's caption.
    caption: Mapped[str | None] = mapped_column(Text)
    chart: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    # pending → sent; sent → edit_pending → sent (live posts); failed when Telegram refuses it.
    status: Mapped[str] = mapped_column(String(16))
    message_ids: Mapped[list[Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BroadcastRow(Base):
    """A coordinator's message to many observers; its recipients are rows of the message outbox."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    # Who was chosen: {"kind": "all" | "region" | "precincts" | "missing", ...}
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer)
    # Where the coordinator watches the progress (edited as it goes, then the final count).
    progress_chat: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutgoingMessageRow(Base):
    """The message outbox: coordinators' alerts and broadcasts, written in the transaction that
    decided to send them, then sent at a pace Telegram accepts. A crash after the commit loses
    nothing: the row is still pending when the bot comes back."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (
        Index("ix_outgoing_messages_due", "status", "next_attempt_at"),
        Index("ix_outgoing_messages_broadcast", "broadcast_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # alert, broadcast, notice
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Messages copied after the text (an incident's evidence): [{"chat_id", "message_id"}].
    copies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    broadcast_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("broadcasts.id", ondelete="CASCADE")
    )
    # pending → sending → sent | blocked (the user stopped the bot) | failed (Telegram refused it)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LeaseRow(Base):
    """A named lease with an expiry: of several bot processes, the holder runs the scheduler;
    when it dies, the lease expires and another takes over."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RuntimeFlagRow(Base):
    """Switches coordinators flip at run time (the channel's pause), shared by every process."""

    __tablename__ = "runtime_flags"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )
