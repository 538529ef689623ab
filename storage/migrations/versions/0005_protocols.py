"""protocols

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "protocols",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("election", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("recognition", sa.JSON(), nullable=True),
        sa.Column("typed", sa.JSON(), nullable=False),
        sa.Column("hard_failures", sa.JSON(), nullable=False),
        sa.Column("soft_failures", sa.JSON(), nullable=False),
        sa.Column("reason_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["precinct_id"], ["precincts.id"], name=op.f("fk_protocols_precinct_id_precincts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocols")),
        sa.UniqueConstraint(
            "election", "level", "precinct_id", "version", name="uq_protocols_version"
        ),
    )


def downgrade() -> None:
    op.drop_table("protocols")
