"""Presence per server process: which process holds each phone, and when each was last alive.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_node",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_node")),
    )
    op.create_table(
        "live_connection",
        sa.Column("node_id", sa.String(length=80), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["live_node.id"],
            name=op.f("fk_live_connection_node_id_live_node"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_live_connection_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("node_id", "sid", name=op.f("pk_live_connection")),
    )
    with op.batch_alter_table("live_connection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_live_connection_participant_id"), ["participant_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("live_connection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_connection_participant_id"))

    op.drop_table("live_connection")
    op.drop_table("live_node")
