"""A pushed record goes the workspace's way: a draft, then submitted to the editors' screening.

The same services as the workspace's "save and submit" (``create_draft`` then ``submit``), in one
transaction with the client's idempotency key: either all of it happens, or none of it.
"""

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from workflows.review import services as review
from workflows.review.models import Submission
from workflows.review.record_forms import text_to_html

from .models import IdempotencyKey, PushedRecord

IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)


def request_hash(data) -> str:
    """The same JSON document, whatever the order of its keys or its spacing, hashes the same."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def claim_key(client, key: str, digest: str) -> tuple[IdempotencyKey, bool]:
    """The key's row, locked by its insertion until the transaction ends; ``True`` when it is new.

    A second request with the same key waits on the unique index until the first one commits (and
    then replays its answer) or rolls back (and then goes ahead itself).
    """
    stale = timezone.now() - IDEMPOTENCY_WINDOW
    IdempotencyKey.objects.filter(client=client, key=key, created_at__lt=stale).delete()
    return IdempotencyKey.objects.get_or_create(client=client, key=key, defaults={"request_hash": digest})


def push(client, form, body_text: str) -> Submission:
    """Create the record draft from the validated ``form`` and submit it for screening."""
    user = client.acting_user
    page = form.save_to_instance()
    if body_text.strip():
        page.body = [("paragraph", RichText(text_to_html(body_text)))]
    with transaction.atomic():
        submission = review.create_draft(page, form.parent, user)
        country = client.country
        submission.acting_for_country = country
        submission.acting_for_organisation = client.organisation_name
        submission.save(update_fields=["acting_for_country", "acting_for_organisation", "updated_at"])
        PushedRecord.objects.create(client=client, submission=submission)
        review.submit(submission.pk, user)
    return Submission.objects.select_related("page").get(pk=submission.pk)


def expire_idempotency_keys(now=None) -> int:
    """Forget the answers older than the replay window; returns how many were removed."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_WINDOW
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
