"""Closing the meeting: the plan's terms, the referrer's agreement, reviews and amendments.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("contingency", sa.Text(), nullable=False),
        sa.Column("monitor", sa.String(length=120), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "keep", "revise", "step_down", "end", name="reviewdecision", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("decision_why", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("edited_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_plan_terms_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_terms")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_plan_terms_meeting_id")),
    )
    op.create_table(
        "agreement_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("plan_revision", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_agreement_response_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_agreement_response_participant_id_participant"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_response")),
    )
    with op.batch_alter_table("agreement_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_response_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("history_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=False, server_default=""))

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_revision", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("review_of_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_meeting_review_of_id"), ["review_of_id"], unique=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_meeting_review_of_id_meeting"),
            "meeting",
            ["review_of_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "progress",
                sa.Enum(
                    "done",
                    "in_progress",
                    "not_started",
                    "stuck",
                    name="actionprogress",
                    native_enum=False,
                    length=16,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("progress_note", sa.Text(), nullable=False, server_default=""))
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_action_carried_from_id_plan_action"),
            "plan_action",
            ["carried_from_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_plan_action_carried_from_id_plan_action"), type_="foreignkey")
        batch_op.drop_column("progress_note")
        batch_op.drop_column("progress")
        batch_op.drop_column("carried_from_id")

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meeting_review_of_id_meeting"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_meeting_review_of_id"))
        batch_op.drop_column("review_of_id")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("plan_revision")

    with op.batch_alter_table("history_entry", schema=None) as batch_op:
        batch_op.drop_column("detail")

    with op.batch_alter_table("agreement_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_response_meeting_id"))

    op.drop_table("agreement_response")
    op.drop_table("plan_terms")
