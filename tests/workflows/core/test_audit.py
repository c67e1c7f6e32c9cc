"""The core's abstract audit entry, and the review's entry built on it without a change to its table."""

import pytest

from workflows.core.audit import SYSTEM, AuditEntryBase
from workflows.permissions import Role, State
from workflows.review.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_review_entry_keeps_its_table_and_columns():
    assert issubclass(AuditEntry, AuditEntryBase) and AuditEntryBase._meta.abstract
    assert AuditEntry._meta.db_table == "review_auditentry"
    columns = {field.column for field in AuditEntry._meta.concrete_fields}
    assert columns == {
        "id",
        "submission_id",
        "actor_id",
        "actor_role",
        "assignment_id",
        "action",
        "from_state",
        "to_state",
        "round",
        "comment",
        "created_at",
    }  # no "details": the review says it in its comment
    base_fields = {field.name for field in AuditEntryBase._meta.fields}
    assert {
        "actor",
        "actor_role",
        "action",
        "from_state",
        "to_state",
        "comment",
        "details",
        "created_at",
    } == base_fields


def test_move_changes_the_state_and_writes_its_row_together(people, draft):
    before = draft.updated_at
    entry = AuditEntry.move(
        draft, State.SCREENING, people.submitter, AuditEntry.Action.SUBMITTED, comment="Ready", entry_fields={}
    )
    draft.refresh_from_db()
    assert draft.state == State.SCREENING and draft.updated_at > before
    assert (entry.from_state, entry.to_state, entry.actor, entry.comment) == (
        State.DRAFT,
        State.SCREENING,
        people.submitter,
        "Ready",
    )
    assert entry.actor_role == Role.SUBMITTER  # the role it holds on the submission, asked after the move
    assert entry.round == draft.round


def test_a_step_nobody_took_is_the_portals(draft):
    entry = AuditEntry.record(draft, None, AuditEntry.Action.REVIEWS_COMPLETE)
    assert entry.actor_role == SYSTEM and entry.actor is None
