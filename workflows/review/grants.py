"""Object permissions (django-guardian) that the flow gives and takes back as a submission moves.

Guardian files a grant under the object's own model, so a ``NeedPage`` grant is
``records.change_needpage`` on the specific page, never ``wagtailcore.change_page``.
"""

from guardian.shortcuts import assign_perm, remove_perm


def _specific(page):
    return page.specific if type(page) is not page.specific_class else page


def page_perm(page, verb: str) -> str:
    opts = page.specific_class._meta
    return f"{opts.app_label}.{verb}_{opts.model_name}"


def grant_submitter(submission) -> None:
    """The submitter may see and change its record while it is a draft or in revision."""
    page = _specific(submission.page)
    for verb in ("view", "change"):
        assign_perm(page_perm(page, verb), submission.submitter, page)


def revoke_submitter(submission) -> None:
    page = _specific(submission.page)
    for verb in ("view", "change"):
        remove_perm(page_perm(page, verb), submission.submitter, page)


def grant_reviewer(assignment) -> None:
    """An assigned reviewer may see the record from its assignment until the process ends."""
    page = _specific(assignment.submission.page)
    assign_perm(page_perm(page, "view"), assignment.reviewer, page)


def revoke_reviewers(submission) -> None:
    """The process ended (published, rejected, withdrawn): no reviewer of it sees the record any more."""
    page = _specific(submission.page)
    perm = page_perm(page, "view")
    reviewers = {assignment.reviewer for assignment in submission.assignments.select_related("reviewer")}
    for reviewer in reviewers:
        remove_perm(perm, reviewer, page)


def holds(user, page, verb: str) -> bool:
    """Whether ``user`` holds the per-object grant (global model permissions do not count)."""
    from guardian.core import ObjectPermissionChecker

    page = _specific(page)
    return ObjectPermissionChecker(user).has_perm(page_perm(page, verb).split(".", 1)[1], page)
