"""Agendas, people lists, shared meetings and throttling.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "throttle_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_event")),
    )
    with op.batch_alter_table("throttle_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_throttle_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_throttle_event_key_hash"), ["key_hash"], unique=False)

    op.create_table(
        "meeting_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("chair_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("co_chair", "minute_taker", name="memberrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["chair_id"], ["chair.id"], name=op.f("fk_meeting_member_chair_id_chair"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_member_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_member")),
        sa.UniqueConstraint("meeting_id", "chair_id", name=op.f("uq_meeting_member_meeting_id")),
    )
    with op.batch_alter_table("meeting_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_member_chair_id"), ["chair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_member_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("relation", sa.String(length=80), nullable=False),
        sa.Column(
            "side",
            sa.Enum("family", "professional", name="side", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("is_child", sa.Boolean(), nullable=False),
        sa.Column("is_advocate", sa.Boolean(), nullable=False),
        sa.Column("is_interpreter", sa.Boolean(), nullable=False),
        sa.Column("is_referrer", sa.Boolean(), nullable=False),
        sa.Column("may_stay_in_private_time", sa.Boolean(), nullable=False),
        sa.Column(
            "admission",
            sa.Enum(
                "expected", "lobby", "admitted", "declined", name="admission", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("invite_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_participant_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("invite_token_hash", name=op.f("uq_participant_invite_token_hash")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "welcome",
                "check_in",
                "question_round",
                "information_sharing",
                "offers",
                "private_time",
                "plan",
                "plan_review",
                "scaling",
                "agreement",
                "check_out",
                name="stagekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_stage_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage")),
        sa.UniqueConstraint("meeting_id", "position", name=op.f("uq_stage_meeting_id")),
    )
    with op.batch_alter_table("stage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stage_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("chair", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("format_key", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("venue", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("current_position", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("current_position")
        batch_op.drop_column("venue")
        batch_op.drop_column("format_key")

    with op.batch_alter_table("chair", schema=None) as batch_op:
        batch_op.drop_column("session_version")

    with op.batch_alter_table("stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_meeting_id"))

    op.drop_table("stage")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_meeting_id"))

    op.drop_table("participant")
    with op.batch_alter_table("meeting_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_member_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_member_chair_id"))

    op.drop_table("meeting_member")
    with op.batch_alter_table("throttle_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_throttle_event_key_hash"))
        batch_op.drop_index(batch_op.f("ix_throttle_event_at"))

    op.drop_table("throttle_event")
