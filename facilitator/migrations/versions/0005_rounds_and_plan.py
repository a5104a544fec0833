"""Rounds (feelings, kinds, talking piece, display, scores) and the family's plan.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("edited_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_outcome_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
        sa.UniqueConstraint("meeting_id", "client_id", name=op.f("uq_outcome_meeting_id")),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_score_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_score_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stage.id"], name=op.f("fk_score_stage_id_stage"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
        sa.UniqueConstraint("stage_id", "participant_id", name=op.f("uq_score_stage_id")),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "plan_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("who_participant_id", sa.Integer(), nullable=True),
        sa.Column("who_text", sa.String(length=120), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("by_when", sa.String(length=120), nullable=False),
        sa.Column("how_we_know", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("proposed", "agreed", name="actionstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("edited_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_plan_action_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["contribution.id"],
            name=op.f("fk_plan_action_offer_id_contribution"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_plan_action_outcome_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["participant.id"],
            name=op.f("fk_plan_action_proposed_by_id_participant"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["who_participant_id"],
            ["participant.id"],
            name=op.f("fk_plan_action_who_participant_id_participant"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
        sa.UniqueConstraint("meeting_id", "client_id", name=op.f("uq_plan_action_meeting_id")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_plan_action_offer_id")),
    )
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_action_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_action_outcome_id"), ["outcome_id"], unique=False)

    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "answer",
                    "worry",
                    "working_well",
                    "bottom_line",
                    "offer",
                    "reason",
                    name="contributionkind",
                    native_enum=False,
                    length=16,
                ),
                nullable=False,
                server_default="answer",
            )
        )
        batch_op.add_column(sa.Column("feeling", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contribution_recorded_by_id_chair"),
            "chair",
            ["recorded_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("stage", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "display",
                sa.Enum("named", "unnamed", "names_only", name="rounddisplay", native_enum=False, length=16),
                nullable=False,
                server_default="named",
            )
        )
        batch_op.add_column(
            sa.Column("talking_piece", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("turn_participant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_stage_turn_participant_id_participant"),
            "participant",
            ["turn_participant_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("stage", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_stage_turn_participant_id_participant"), type_="foreignkey")
        batch_op.drop_column("revealed_at")
        batch_op.drop_column("turn_participant_id")
        batch_op.drop_column("talking_piece")
        batch_op.drop_column("display")

    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contribution_recorded_by_id_chair"), type_="foreignkey")
        batch_op.drop_column("recorded_by_id")
        batch_op.drop_column("feeling")
        batch_op.drop_column("kind")

    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_action_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_plan_action_meeting_id"))

    op.drop_table("plan_action")
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_stage_id"))
        batch_op.drop_index(batch_op.f("ix_score_participant_id"))
        batch_op.drop_index(batch_op.f("ix_score_meeting_id"))

    op.drop_table("score")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_meeting_id"))

    op.drop_table("outcome")
