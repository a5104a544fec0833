"""Phones: the device a person joined from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_participant_device_token_hash"), ["device_token_hash"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_participant_meeting_id"), ["meeting_id", "device_token_hash"]
        )


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_participant_meeting_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_participant_device_token_hash"))
        batch_op.drop_column("joined_at")
        batch_op.drop_column("device_token_hash")
