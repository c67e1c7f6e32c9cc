"""Role × state × action policies: each flow declares its own table beside its flow and registers it here.

A person's *local roles* on one object (a submission, a nomination) meet the object's *state*, and the
flow's table says which actions follow. Whatever a table does not list is denied: an unknown state,
action or role grants nothing, and a person without roles may do nothing.
"""

import inspect
from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured

RolesResolver = Callable[[object, object], Iterable[str]]


class PolicyConflict(ImproperlyConfigured):
    """Two different tables claim the same name or the same kind of object."""


class Policy:
    """One flow's table: ``matrix[state][action]`` is the set of roles allowed, nothing else is.

    ``roles_for(user, obj)`` names the local roles a signed-in, active person holds on ``obj``; the
    policy asks it only for such people, so that anonymous and deactivated accounts never hold a role.
    """

    def __init__(
        self,
        name: str,
        *,
        states: Iterable[str],
        roles: Iterable[str],
        actions: Iterable[str],
        matrix: Mapping[str, Mapping[str, Iterable[str]]],
        roles_for: RolesResolver,
        model: str | type | None = None,
        state_attribute: str = "state",
    ):
        self.name = name
        self.states = tuple(str(state) for state in states)
        self.roles = tuple(str(role) for role in roles)
        self.actions = tuple(str(action) for action in actions)
        # "app_label.ModelName" (or the class): a policy is declared before its models are loaded.
        self.model_label = model if isinstance(model, str) or model is None else model._meta.label
        self.state_attribute = state_attribute
        self._roles_for = roles_for
        # A resolver may take ``among``: the roles worth asking about (some cost a query each).
        self._asks_among = "among" in inspect.signature(roles_for).parameters
        self.matrix = self._validated(matrix)

    def _validated(self, matrix) -> dict[str, dict[str, frozenset]]:
        states, roles, actions = set(self.states), set(self.roles), set(self.actions)
        table = {}
        for state, granted in matrix.items():
            if state not in states:
                raise ImproperlyConfigured(f"Policy {self.name!r}: unknown state {state!r}")
            row = {}
            for action, allowed_roles in granted.items():
                if action not in actions:
                    raise ImproperlyConfigured(f"Policy {self.name!r}: unknown action {action!r} in {state!r}")
                allowed_roles = frozenset(allowed_roles)
                unknown = allowed_roles - roles
                if unknown:
                    raise ImproperlyConfigured(
                        f"Policy {self.name!r}: unknown role(s) {sorted(unknown)} for {action!r} in {state!r}"
                    )
                row[action] = allowed_roles
            table[state] = row
        return table

    def __repr__(self) -> str:
        return f"<Policy {self.name}>"

    # --- the table -------------------------------------------------------------------------------
    def roles_allowed(self, state: str, action: str) -> frozenset:
        return self.matrix.get(state, {}).get(action, frozenset())

    def states_where(self, role: str, action: str) -> list[str]:
        """The states in which ``role`` may do ``action``: used to filter lists in the database."""
        return [state for state, actions in self.matrix.items() if role in actions.get(action, ())]

    # --- a person and an object ------------------------------------------------------------------
    def state_of(self, obj) -> str:
        return getattr(obj, self.state_attribute)

    def roles_for(self, user, obj, among=None) -> frozenset:
        """The local roles ``user`` holds on ``obj`` (only those ``among`` when given)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return frozenset()
        if among is not None and self._asks_among:
            return frozenset(self._roles_for(user, obj, among=among))
        return frozenset(self._roles_for(user, obj))

    def allowed(self, user, obj, action: str) -> bool:
        granted = self.roles_allowed(self.state_of(obj), action)
        return bool(granted) and bool(self.roles_for(user, obj, among=granted) & granted)

    def allowed_actions(self, user, obj) -> set[str]:
        roles = self.roles_for(user, obj)
        return {action for action, granted in self.matrix.get(self.state_of(obj), {}).items() if roles & granted}


_policies: dict[str, Policy] = {}


def register_policy(policy: Policy) -> Policy:
    """Make ``policy`` known under its name (and its model); registering the same policy again is harmless."""
    existing = _policies.get(policy.name)
    if existing is not None and existing is not policy:
        raise PolicyConflict(f"A policy named {policy.name!r} is already registered")
    if policy.model_label is not None:
        for other in _policies.values():
            if other is not policy and other.model_label == policy.model_label:
                raise PolicyConflict(f"{policy.model_label} already follows the policy {other.name!r}")
    _policies[policy.name] = policy
    return policy


def unregister_policy(name: str) -> None:
    _policies.pop(name, None)


def get_policy(name: str) -> Policy:
    try:
        return _policies[name]
    except KeyError:
        raise LookupError(f"No policy named {name!r}") from None


def policy_for(obj) -> Policy:
    """The policy that governs objects of ``obj``'s model."""
    label = obj._meta.label
    for policy in _policies.values():
        if policy.model_label == label:
            return policy
    raise LookupError(f"No policy governs {type(obj).__name__}")


def registered_policies() -> list[Policy]:
    return list(_policies.values())
