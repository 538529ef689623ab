"""protocols.figures as JSONB on PostgreSQL (JSON elsewhere)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FIGURES = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("protocols") as batch:
        batch.alter_column(
            "figures", type_=FIGURES, existing_type=sa.JSON(), postgresql_using="figures::jsonb"
        )


def downgrade() -> None:
    with op.batch_alter_table("protocols") as batch:
        batch.alter_column(
            "figures", type_=sa.JSON(), existing_type=FIGURES, postgresql_using="figures::json"
        )
