"""observers, their precincts, invite codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invite_codes",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_invite_codes")),
    )
    op.create_table(
        "observers",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("name_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("phone_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("invite_code", sa.String(length=16), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("telegram_id", name=op.f("pk_observers")),
    )
    op.create_table(
        "observer_precincts",
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["telegram_id"],
            ["observers.telegram_id"],
            name=op.f("fk_observer_precincts_telegram_id_observers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["precinct_id"],
            ["precincts.id"],
            name=op.f("fk_observer_precincts_precinct_id_precincts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("telegram_id", "precinct_id", name=op.f("pk_observer_precincts")),
    )


def downgrade() -> None:
    op.drop_table("observer_precincts")
    op.drop_table("observers")
    op.drop_table("invite_codes")
