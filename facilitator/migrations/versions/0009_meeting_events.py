"""The meeting's event log, and people let in during private time waiting for the family.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_event_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_event")),
        sa.UniqueConstraint("meeting_id", "version", "position", name=op.f("uq_meeting_event_meeting_id")),
    )
    with op.batch_alter_table("meeting_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_event_meeting_id"), ["meeting_id"], unique=False)
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("waits_for_family", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("waits_for_family")
    with op.batch_alter_table("meeting_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_event_meeting_id"))
    op.drop_table("meeting_event")
