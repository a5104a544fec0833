"""Languages: a stage remembers the format stage it came from; a meeting, its room screen's languages.

Revision ID: 0013
Revises: 0012
Create Date: 2027-02-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=80), nullable=True))
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('second_language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('second_language')
        batch_op.drop_column('language')
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.drop_column('template')
