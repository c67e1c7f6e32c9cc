"""One authority for who sees what: pages, their revisions, documents and images, on every path.

The review matrix (``workflows.permissions``) says what a person may do to a *submission*; this
module carries it to everything a submission shows: the record page in the Wagtail admin (edit view,
previews, revisions, history, listings, search, choosers, reports, the admin API), its revisions and
its attachments (admin documents and ``/documents/`` serving). Wagtail's own group permissions still
apply on top: the authority only ever takes away.

A page is governed by its translation family's open submission, else by its latest one: a record's
aliases and translations show the same content, so they answer the same. Without a submission the
page's countries decide for national editors (confined to their country); structural pages without
a country (home, sections, indexes) they may find in listings but not open.
"""

from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PagePermissionTester, Revision
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.uploads.mentions import named_documents, revisions_naming
from workflows.permissions import (
    OPEN_STATES,
    State,
    allowed,
    is_secretariat_editor,
    national_editor_country_id,
)
from workflows.permissions import Action as SubmissionAction


class Access(models.TextChoices):
    """What one may do with a page, a revision or a document (besides the matrix's own actions)."""

    READ = "read", _("Read its current content, drafts, revisions and restricted files")
    LIST = "list", _("Find it in the admin's listings, search, choosers and reports")
    OPEN_IN_ADMIN = "open_in_admin", _("Open it in the admin (edit view, previews, revisions, history)")
    CHANGE = "change", _("Change it in the admin (save, revert, publish, unpublish, move, delete, lock)")


_GOVERNING = "_access_governing_submission"
_COUNTRIES = "_access_country_ids"


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def uses_admin(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


# --- pages --------------------------------------------------------------------------------------


def governing_submission(page):
    """The open submission of the page's translation family, else its latest submission, else None."""
    if page.pk is None:
        return None
    cached = page.__dict__.get(_GOVERNING, ...)
    if cached is ... and LISTING_ANNOTATION in page.__dict__:
        cached = submission_from_json(page.__dict__[LISTING_ANNOTATION])
        page.__dict__[_GOVERNING] = cached
    if cached is ...:
        from workflows.review.models import Submission

        family = Submission.objects.filter(page__translation_key=page.translation_key)
        cached = family.filter(state__in=OPEN_STATES).order_by("-pk").first() or family.order_by("-pk").first()
        page.__dict__[_GOVERNING] = cached
    return cached


LISTING_ANNOTATION = "access_governing"
COUNTRY_ANNOTATION = "access_in_country"


def submission_json():
    """A submission's fields as one JSON value, for a listing to read in a subquery (one per row)."""
    from django.db.models.functions import JSONObject

    return JSONObject(
        id="pk",
        page_id="page_id",
        state="state",
        submitter_id="submitter_id",
        acting_for_country_id="acting_for_country_id",
        round="round",
    )


def submission_from_json(data):
    """The submission as a listing read it with ``submission_json`` (enough for the matrix; never saved)."""
    if not data:
        return None
    from workflows.review.models import Submission

    return Submission(
        pk=data["id"],
        page_id=data["page_id"],
        state=data["state"],
        submitter_id=data["submitter_id"],
        acting_for_country_id=data["acting_for_country_id"],
        round=data["round"],
    )


def annotate_for_listing(pages, user):
    """What the authority asks of each listed page, in the listing's own query: flat however long."""
    from django.db.models import Case, IntegerField, Subquery, Value, When

    from workflows.review.models import Submission

    governing = (
        Submission.objects.filter(page__translation_key=OuterRef("translation_key"))
        .annotate(
            is_open=Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("is_open", "-pk")
        .values(data=submission_json())[:1]
    )
    pages = pages.annotate(**{LISTING_ANNOTATION: Subquery(governing)})
    country_id = national_editor_country_id(user) if _active(user) else None
    if country_id is not None:
        in_country = Q(pk__in=[])
        for model in country_bound_models():
            through = model.countries.through.objects
            in_country |= Q(pk__in=through.filter(country_id=country_id).values(_owner_column(model)))
        pages = pages.annotate(**{COUNTRY_ANNOTATION: Case(When(in_country, then=Value(True)), default=Value(False))})
    return pages


def country_bound_models() -> list[type[Page]]:
    """The concrete page models that declare a ``countries`` classification (records, events, networks)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and any(field.name == "countries" and field.model is model for field in model._meta.many_to_many)
    ]


def _declaring_model(specific_class):
    if specific_class is None:
        return None
    return next((model for model in country_bound_models() if issubclass(specific_class, model)), None)


def page_country_ids(page) -> set | None:
    """The page's countries; None when its type has no country (a structural page)."""
    cached = page.__dict__.get(_COUNTRIES, ...)
    if cached is ...:
        model = _declaring_model(page.specific_class)
        if model is None:
            cached = None
        else:
            through = model.countries.through.objects
            cached = set(through.filter(**{_owner_column(model): page.pk}).values_list("country_id", flat=True))
        page.__dict__[_COUNTRIES] = cached
    return cached


def _owner_column(model) -> str:
    through = model.countries.through
    for field in through._meta.fields:
        if field.is_relation and field.related_model is not None and issubclass(model, field.related_model):
            return field.attname
    raise LookupError(model)


def _reach_without_submission(user, page, action) -> bool:
    """Pages no submission governs: editors of the secretariat everything, national editors their country."""
    if user.is_superuser or is_secretariat_editor(user):
        return True
    country_id = national_editor_country_id(user)
    if country_id is None:
        return True  # staff without an editor role: Wagtail's group permissions decide alone
    if COUNTRY_ANNOTATION in page.__dict__ and not page.__dict__[COUNTRY_ANNOTATION]:
        return action == Access.LIST and _declaring_model(page.specific_class) is None
    if page.__dict__.get(COUNTRY_ANNOTATION):
        return True
    countries = page_country_ids(page)
    if countries is None:
        return action == Access.LIST
    return country_id in countries


def may_page(user, action: str, page) -> bool:
    if not _active(user):
        return False
    submission = governing_submission(page)
    if action == Access.READ:
        if submission is not None:
            return allowed(user, submission, SubmissionAction.VIEW) or allowed(
                user, submission, SubmissionAction.OPEN_IN_ADMIN
            )
        return uses_admin(user) and _reach_without_submission(user, page, Access.OPEN_IN_ADMIN)
    if not uses_admin(user):
        return False
    if submission is not None:
        if not allowed(user, submission, SubmissionAction.OPEN_IN_ADMIN):
            return False
        # What the flow owns changes through the flow only (see ``workflows.review.locks``).
        return action != Access.CHANGE or submission.state not in OPEN_STATES
    return _reach_without_submission(user, page, action)


def admin_pages_filter(user, action: str = Access.OPEN_IN_ADMIN) -> Q:
    """A ``Page`` filter that matches ``may_page`` for the admin actions, for listings and reports.

    An ``id IN (subquery)``: the search backends accept only field lookups in a searched queryset."""
    return Q(pk__in=Page.objects.filter(_admin_pages_query(user, action)).values("pk"))


def _admin_pages_query(user, action) -> Q:
    from workflows.review.models import Submission

    if not uses_admin(user):
        return Q(pk__in=[])
    family = Submission.objects.filter(page__translation_key=OuterRef("translation_key"))
    governed = Exists(family)
    # Opened by this user only through the matrix: never a draft, never one's own submission.
    excluded = Exists(family.filter(Q(state=State.DRAFT) | Q(submitter=user)))
    if action == Access.CHANGE:
        excluded = Exists(family.filter(Q(state__in=OPEN_STATES) | Q(submitter=user)))
    if user.is_superuser or is_secretariat_editor(user):
        return ~Q(excluded)
    country_id = national_editor_country_id(user)
    if country_id is None:
        return ~Q(governed)  # staff without an editor role hold no role on any submission
    own_country = Exists(
        family.filter(acting_for_country_id=country_id).exclude(state=State.DRAFT).exclude(submitter=user)
    )
    in_country = Q(pk__in=[])
    for model in country_bound_models():
        through = model.countries.through.objects
        in_country |= Q(pk__in=through.filter(country_id=country_id).values(_owner_column(model)))
    unclassified = ~Q(content_type__in=_classified_content_types())
    query = (Q(governed) & Q(own_country) & ~Q(excluded)) | (~Q(governed) & in_country)
    if action == Access.LIST:
        query |= ~Q(governed) & unclassified
    return query


def _classified_content_types():
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    bases = tuple(country_bound_models())
    classified = [model for model in apps.get_models() if bases and issubclass(model, bases)]
    return list(ContentType.objects.get_for_models(*classified, for_concrete_models=False).values())


# --- revisions and documents --------------------------------------------------------------------


def may_revision(user, action: str, revision) -> bool:
    obj = revision.content_object
    if isinstance(obj, Page):
        return may_page(user, action, obj)
    return False


def restricted_collection_id():
    from wagtail.models import Collection

    from workflows.review.documents import RESTRICTED_COLLECTION_NAME

    return Collection.objects.filter(name=RESTRICTED_COLLECTION_NAME, depth=2).values_list("pk", flat=True).first()


def document_pages(document_ids) -> dict[int, set[int]]:
    """Record pages that attach each document, in their saved state or in any revision."""
    from content_types.records.models import RecordAttachment

    ids = list(document_ids)
    pages: dict[int, set[int]] = {pk: set() for pk in ids}
    for document_id, page_id in RecordAttachment.objects.filter(document_id__in=ids).values_list(
        "document_id", "page_id"
    ):
        pages[document_id].add(page_id)
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        revisions = revisions_naming(Revision.page_revisions.all(), chunk)
        for object_id, attachments in revisions.values_list("object_id", "content__attachments"):
            for document_id in named_documents(attachments):
                if document_id in pages:
                    pages[document_id].add(int(object_id))
    return pages


def restricted_document_ids(document_ids=None) -> set[int]:
    """Documents served to the people who may read their records only: files of the review collection
    and files attached to a record that is not live."""
    from wagtail.documents import get_document_model

    Document = get_document_model()
    documents = Document.objects.all() if document_ids is None else Document.objects.filter(pk__in=document_ids)
    collection_id = restricted_collection_id()
    restricted = set(documents.filter(collection_id=collection_id).values_list("pk", flat=True))
    from content_types.records.models import RecordAttachment

    restricted |= set(
        documents.filter(pk__in=RecordAttachment.objects.filter(page__live=False).values("document_id")).values_list(
            "pk", flat=True
        )
    )
    return restricted


def may_document(user, action: str, document) -> bool:
    if document.pk not in restricted_document_ids([document.pk]):
        return action == Access.READ or uses_admin(user)
    return _may_restricted_documents(user, action, [document.pk])[document.pk]


def _may_restricted_documents(user, action, document_ids) -> dict[int, bool]:
    from wagtail.documents import get_document_model

    answers = dict.fromkeys(document_ids, False)
    if not _active(user):
        return answers
    page_action = Access.CHANGE if action == Access.CHANGE else Access.READ
    uploaders = dict(get_document_model().objects.filter(pk__in=document_ids).values_list("pk", "uploaded_by_user_id"))
    pages_by_document = document_pages(document_ids)
    all_pages = Page.objects.in_bulk({pk for pks in pages_by_document.values() for pk in pks})
    verdicts: dict[int, bool] = {}
    for document_id, page_ids in pages_by_document.items():
        pages = [all_pages[pk] for pk in page_ids if pk in all_pages]
        if not pages:
            # A file staged for a form that failed: its uploader's only.
            answers[document_id] = uploaders.get(document_id) == user.pk
            continue
        for page in pages:
            if page.pk not in verdicts:
                verdicts[page.pk] = may_page(user, page_action, page)
        answers[document_id] = all(verdicts[page.pk] for page in pages)
    return answers


def hidden_document_ids(user, action: str = Access.READ) -> set[int]:
    restricted = restricted_document_ids()
    if not restricted:
        return set()
    answers = _may_restricted_documents(user, action, sorted(restricted))
    return {pk for pk, ok in answers.items() if not ok}


# --- images -------------------------------------------------------------------------------------


def image_pages(image_ids) -> dict[int, set[int]]:
    """Pages that use each image (Wagtail's reference index: fields, rich text and stream blocks)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    ids = list(image_ids)
    pages: dict[int, set[int]] = {pk: set() for pk in ids}
    if not ids:
        return pages
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
        to_object_id__in=[str(pk) for pk in ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_object_id", "object_id")
    for image_id, page_id in references:
        pages[int(image_id)].add(int(page_id))
    return pages


def restricted_image_ids(image_ids=None) -> set[int]:
    """Images shown to the people who may read their pages only: images of the review collection, and
    images used by pages none of which is live. An image a live page shows is public, as is any other
    image editors put in a public collection."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    Image = get_image_model()
    images = Image.objects.all() if image_ids is None else Image.objects.filter(pk__in=image_ids)
    collection_id = restricted_collection_id()
    restricted = set(images.filter(collection_id=collection_id).values_list("pk", flat=True))
    uses = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Image),
        base_content_type=ContentType.objects.get_for_model(Page),
    )
    if image_ids is not None:
        uses = uses.filter(to_object_id__in=[str(pk) for pk in image_ids])
    page_key = Cast("pk", output_field=CharField())
    live_pages = Page.objects.filter(live=True).annotate(key=page_key).values("key")
    draft_pages = Page.objects.filter(live=False).annotate(key=page_key).values("key")
    on_live = set(uses.filter(object_id__in=live_pages).values_list("to_object_id", flat=True))
    on_draft = set(uses.filter(object_id__in=draft_pages).values_list("to_object_id", flat=True))
    only_on_drafts = {int(pk) for pk in on_draft - on_live}
    if only_on_drafts:
        restricted |= set(images.filter(pk__in=only_on_drafts).values_list("pk", flat=True))
    return restricted


def _may_restricted_images(user, action, image_ids) -> dict[int, bool]:
    from wagtail.images import get_image_model

    answers = dict.fromkeys(image_ids, False)
    if not _active(user):
        return answers
    page_action = Access.CHANGE if action == Access.CHANGE else Access.READ
    uploaders = dict(get_image_model().objects.filter(pk__in=image_ids).values_list("pk", "uploaded_by_user_id"))
    pages_by_image = image_pages(image_ids)
    all_pages = Page.objects.in_bulk({pk for pks in pages_by_image.values() for pk in pks})
    verdicts: dict[int, bool] = {}
    for image_id, page_ids in pages_by_image.items():
        pages = [all_pages[pk] for pk in page_ids if pk in all_pages and not all_pages[pk].live]
        if not pages:
            # In the review collection and used by no draft: its uploader's only.
            answers[image_id] = uploaders.get(image_id) == user.pk
            continue
        for page in pages:
            if page.pk not in verdicts:
                verdicts[page.pk] = may_page(user, page_action, page)
        answers[image_id] = all(verdicts[page.pk] for page in pages)
    return answers


def hidden_image_ids(user, action: str = Access.READ) -> set[int]:
    restricted = restricted_image_ids()
    if not restricted:
        return set()
    answers = _may_restricted_images(user, action, sorted(restricted))
    return {pk for pk, ok in answers.items() if not ok}


def may_image(user, action: str, image) -> bool:
    if image.pk not in restricted_image_ids([image.pk]):
        return action == Access.READ or uses_admin(user)
    return _may_restricted_images(user, action, [image.pk])[image.pk]


def may(user, action: str, obj) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a page, a revision, a document, an image or a submission)?"""
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

    from workflows.review.models import Submission

    if isinstance(obj, Submission):
        return allowed(user, obj, action)
    if isinstance(obj, Page):
        return may_page(user, action, obj)
    if isinstance(obj, Revision):
        return may_revision(user, action, obj)
    if isinstance(obj, AbstractDocument):
        return may_document(user, action, obj)
    if isinstance(obj, AbstractImage):
        return may_image(user, action, obj)
    return False


# --- Wagtail's permission machinery, answering through the authority ----------------------------


class AuthorityPagePermissionTester(PagePermissionTester):
    """Wagtail's answer, narrowed by the authority: what one may not open, one may not touch either."""

    def _opens(self) -> bool:
        cached = self.__dict__.get("_opens_cache")
        if cached is None:
            cached = self.page.depth == 1 or may_page(self.user, Access.OPEN_IN_ADMIN, self.page)
            self._opens_cache = cached
        return cached

    def _changes(self) -> bool:
        cached = self.__dict__.get("_changes_cache")
        if cached is None:
            cached = self.page.depth == 1 or may_page(self.user, Access.CHANGE, self.page)
            self._changes_cache = cached
        return cached

    def can_edit(self):
        return self._opens() and super().can_edit()

    def can_publish(self):
        return self._opens() and super().can_publish()

    def can_view_revisions(self):
        return self._opens() and super().can_view_revisions()

    def can_copy(self):
        return self._opens() and super().can_copy()

    def can_add_subpage(self):
        return (self._opens() or self.page.depth == 1) and super().can_add_subpage()

    def can_publish_subpage(self):
        return self._opens() and super().can_publish_subpage()

    def can_reorder_children(self):
        return self._opens() and super().can_reorder_children()

    def can_set_view_restrictions(self):
        return self._changes() and super().can_set_view_restrictions()

    def can_delete(self, ignore_bulk=False):
        return self._changes() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        return self._changes() and super().can_unpublish()

    def can_move(self):
        return self._changes() and super().can_move()

    def can_lock(self):
        return self._changes() and super().can_lock()

    def can_unlock(self):
        return self._changes() and super().can_unlock()

    def can_unschedule(self):
        return self._changes() and super().can_unschedule()

    def can_submit_for_moderation(self):
        return self._changes() and super().can_submit_for_moderation()


def permission_tester(user, page) -> PagePermissionTester:
    return AuthorityPagePermissionTester(user, page)


def _page_action(actions) -> str:
    """Any of ``actions``: opening suffices when one of them is about editing, else only changing does."""
    return Access.OPEN_IN_ADMIN if set(actions) & {"add", "change", "publish"} else Access.CHANGE


class AuthorityPagePermissionPolicy(PagePermissionPolicy):
    """The page policy Wagtail's listings, search, reports, history and admin API ask: narrowed."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        action = _page_action(actions)
        return instance.depth == 1 or may_page(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        action = _page_action(actions)
        return pages.filter(admin_pages_filter(user, action))

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        return pages.filter(admin_pages_filter(user, Access.LIST) | Q(depth=1))


class _AuthorityMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection rules, narrowed by the authority for the files it restricts: a restricted file
    is listed and chosen as its pages are read, and changed as they are changed."""

    # Set by each kind of file: which of the given ids are restricted, which of them the user may act
    # on ({id: bool}), and the ids hidden from the user.
    restricted_ids = staticmethod(lambda ids: set())
    may_restricted = staticmethod(lambda user, action, ids: {})
    hidden_ids = staticmethod(lambda user, action: set())

    @staticmethod
    def _action(actions) -> str:
        return Access.READ if set(actions) <= {"choose"} else Access.CHANGE

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, {action}, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        if instance.pk not in self.restricted_ids([instance.pk]):
            return True
        return self.may_restricted(user, self._action(actions), [instance.pk])[instance.pk]

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, {action})

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        hidden = self.hidden_ids(user, self._action(actions))
        return instances.exclude(pk__in=hidden) if hidden else instances


class AuthorityDocumentPermissionPolicy(_AuthorityMediaPermissionPolicy):
    """Documents of records under review or in draft: listed, chosen and changed as their records."""

    restricted_ids = staticmethod(lambda ids: restricted_document_ids(ids))
    may_restricted = staticmethod(lambda user, action, ids: _may_restricted_documents(user, action, ids))
    hidden_ids = staticmethod(lambda user, action: hidden_document_ids(user, action))


class AuthorityImagePermissionPolicy(_AuthorityMediaPermissionPolicy):
    """Images used only by drafts or in the review collection: listed, chosen and changed as their pages."""

    restricted_ids = staticmethod(lambda ids: restricted_image_ids(ids))
    may_restricted = staticmethod(lambda user, action, ids: _may_restricted_images(user, action, ids))
    hidden_ids = staticmethod(lambda user, action: hidden_image_ids(user, action))
