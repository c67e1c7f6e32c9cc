"""The join flow on the public site: ask to join (members), list and answer requests (coordinators).

Served as routes of the network page (see ``NetworkPage``); every view checks the person's rights on
this network before it looks anything up, and answers 403 otherwise.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .forms import DecisionForm, JoinRequestForm, profile_value
from .models import MembershipStatus, NetworkMembership
from .permissions import can_manage_members, member_profiles


def join_state(request, network, form=None) -> dict:
    """What the network page shows about joining: a sign-in link, the person's memberships and
    requests, and the form (two to three queries for a signed-in person, none for a visitor)."""
    user = request.user
    if not user.is_authenticated:
        return {"join_profiles": [], "join_form": None}
    profiles = member_profiles(user)
    if not profiles:
        return {"join_profiles": [], "join_form": None}
    organisations = [page.pk for page in profiles if profile_value(page).startswith("organisation")]
    experts = [page.pk for page in profiles if profile_value(page).startswith("expert")]
    latest = {}
    rows = network.memberships().exclude(status=MembershipStatus.LEFT).order_by("requested_at", "pk")
    for membership in rows.filter(organisation_id__in=organisations) | rows.filter(expert_id__in=experts):
        if membership.organisation_id:
            latest[f"organisation:{membership.organisation_id}"] = membership
        else:
            latest[f"expert:{membership.expert_id}"] = membership
    states = [(page, latest.get(profile_value(page))) for page in profiles]
    free = [profile_value(page) for page, membership in states if membership is None or not membership.is_open]
    if form is None and free:
        form = JoinRequestForm(network=network, profiles=profiles, user=user)
        form.fields["member"].initial = free[0]
    return {"join_profiles": states, "join_form": form}


def _require_sign_in(request):
    return redirect_to_login(request.get_full_path())


def join_network(request, network):
    """POST: ask to join. Errors re-render the network page with what was typed."""
    if request.method != "POST":
        return redirect(network.url)
    if not request.user.is_authenticated:
        return _require_sign_in(request)
    profiles = member_profiles(request.user)
    if not profiles:
        raise PermissionDenied(_("Only people who manage an organisation or expert record can ask to join."))
    form = JoinRequestForm(request.POST, network=network, profiles=profiles, user=request.user)
    if form.is_valid():
        try:
            membership = form.save()
        except ValidationError as error:
            form.add_error("member", error)
        else:
            messages.success(
                request,
                _("Your request to join as %(member)s has been sent to the coordinator.")
                % {"member": membership.member.title},
            )
            return redirect(network.url)
    response = network.render(request, context_overrides=join_state(request, network, form))
    add_never_cache_headers(response)
    return response


def membership_requests(request, network):
    """The coordinator's page: pending requests to answer and the current members."""
    if not request.user.is_authenticated:
        return _require_sign_in(request)
    if not can_manage_members(request.user, network):
        raise PermissionDenied
    pending = list(
        network.memberships()
        .filter(status=MembershipStatus.PENDING)
        .select_related("organisation", "expert", "requested_by")
        .order_by("requested_at", "pk")
    )
    context = {
        "page": network,
        "pending": pending,
        "members": network.active_members(),
        "decision_form": DecisionForm(initial={"role": "member"}),
    }
    response = TemplateResponse(request, "networks/membership_requests.html", context)
    add_never_cache_headers(response)
    return response


def decide_request(request, network, membership_id):
    """POST: accept or decline one pending request of this network."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _require_sign_in(request)
    if not can_manage_members(request.user, network):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline the request."))
        return redirect(network.route_url("requests"))
    with transaction.atomic():
        membership = (
            NetworkMembership.objects.select_for_update(of=("self",))
            .filter(pk=membership_id, network__translation_key=network.translation_key)
            .select_related("organisation", "expert")
            .first()
        )
        if membership is None:
            raise Http404(_("This network has no such request."))
        if membership.status != MembershipStatus.PENDING:
            messages.info(request, _("This request has already been answered."))
            return redirect(network.route_url("requests"))
        accept = form.cleaned_data["decision"] == "accept"
        membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
        if accept:
            membership.role = form.cleaned_data["role"] or membership.role
            membership.since = timezone.localdate()
        membership.decided_by = request.user
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "role", "since", "decided_by", "decided_at"])
    if accept:
        message = _("%(member)s is now a member of the network (%(role)s).") % {
            "member": membership.member.title,
            "role": membership.get_role_display(),
        }
    else:
        message = _("The request of %(member)s was declined.") % {"member": membership.member.title}
    messages.success(request, message)
    return redirect(network.route_url("requests"))
