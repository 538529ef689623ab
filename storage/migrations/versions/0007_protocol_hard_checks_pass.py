"""protocols.hard_checks_pass

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("protocols") as batch:
        batch.add_column(
            sa.Column("hard_checks_pass", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("protocols") as batch:
        batch.drop_column("hard_checks_pass")
