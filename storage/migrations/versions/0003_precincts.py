"""precinct directory

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "precincts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("district_kk", sa.String(length=200), nullable=False),
        sa.Column("district_ru", sa.String(length=200), nullable=False),
        sa.Column("address_kk", sa.String(length=500), nullable=False),
        sa.Column("address_ru", sa.String(length=500), nullable=False),
        sa.Column("voters_on_list", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precincts")),
        sa.UniqueConstraint("region", "number", name="uq_precincts_region_number"),
    )


def downgrade() -> None:
    op.drop_table("precincts")
