"""coordinators: precinct results (master record), decisions, official results

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FIGURES_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("protocols") as batch:
        batch.add_column(sa.Column("decided_by", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decision_note_encrypted", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("decided_by", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    results = op.create_table(
        "precinct_results",
        sa.Column("election", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("figures", FIGURES_JSON, nullable=True),
        sa.Column("override", sa.JSON(), nullable=True),
        sa.Column("override_by", sa.BigInteger(), nullable=True),
        sa.Column("override_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override_reason_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["precinct_id"],
            ["precincts.id"],
            name=op.f("fk_precinct_results_precinct_id_precincts"),
        ),
        sa.PrimaryKeyConstraint(
            "election", "level", "precinct_id", name=op.f("pk_precinct_results")
        ),
    )
    op.create_index(
        "ix_precinct_results_status", "precinct_results", ["election", "level", "status"]
    )
    op.create_table(
        "official_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("election", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_imports")),
    )
    op.create_table(
        "official_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("figures", FIGURES_JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["official_imports.id"],
            name=op.f("fk_official_results_import_id_official_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["precinct_id"],
            ["precincts.id"],
            name=op.f("fk_official_results_precinct_id_precincts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_results")),
        sa.UniqueConstraint("import_id", "precinct_id", name="uq_official_results_precinct"),
    )
    _backfill(results)


def _backfill(results: sa.Table) -> None:
    """Master records for protocols stored before this revision, by the rule of
    services.precinct_results (no coordinator overrides existed yet)."""
    protocols = sa.table(
        "protocols",
        sa.column("election"),
        sa.column("level"),
        sa.column("precinct_id"),
        sa.column("observer_id"),
        sa.column("version"),
        sa.column("figures", sa.JSON()),
        sa.column("status"),
        sa.column("hard_checks_pass"),
        sa.column("created_at"),
    )
    rows = (
        op.get_bind().execute(sa.select(protocols).order_by(protocols.c.version)).mappings().all()
    )
    latest: dict[tuple, dict] = {}
    for row in rows:  # ascending versions: the last one per observer wins
        latest[(row["election"], row["level"], row["precinct_id"], row["observer_id"])] = dict(row)
    cases: dict[tuple, list[dict]] = defaultdict(list)
    for (election, level, precinct_id, _), row in latest.items():
        cases[(election, level, precinct_id)].append(row)
    now = datetime.now(UTC)
    inserts = []
    for (election, level, precinct_id), copies in cases.items():
        live = [c for c in copies if c["status"] != "rejected"]
        distinct = {tuple(sorted(c["figures"].items())) for c in live}
        countable = all(c["status"] == "verified" or c["hard_checks_pass"] for c in live)
        status = (
            "rejected"
            if not live
            else "conflict"
            if len(distinct) > 1
            else "counted"
            if countable
            else "flagged"
        )
        inserts.append(
            {
                "election": election,
                "level": level,
                "precinct_id": precinct_id,
                "status": status,
                "figures": live[0]["figures"] if status == "counted" else None,
                "since": now,
                "updated_at": now,
            }
        )
    if inserts:
        op.bulk_insert(results, inserts)


def downgrade() -> None:
    op.drop_table("official_results")
    op.drop_table("official_imports")
    op.drop_index("ix_precinct_results_status", table_name="precinct_results")
    op.drop_table("precinct_results")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("decided_at")
        batch.drop_column("decided_by")
    with op.batch_alter_table("protocols") as batch:
        batch.drop_column("decision_note_encrypted")
        batch.drop_column("decided_at")
        batch.drop_column("decided_by")
