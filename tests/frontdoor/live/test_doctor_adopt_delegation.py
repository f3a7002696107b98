"""doctor's delegated-administrator check when the stack adopts a registration (no server needed)."""

from __future__ import annotations

from frontdoor.live.doctor import NOTE, TODO, DoctorInputs, identity_center_checks
from frontdoor.live.organization import LiveOrganization


def _organization(delegated: dict[str, frozenset[str]]) -> LiveOrganization:
    return LiveOrganization(
        id="o-a1b2c3d4e5",
        feature_set="ALL",
        management_account_id="111111111111",
        root_id="r-ab12",
        policy_types={},
        accounts={},
        ous={},
        parent_of_account={},
        trusted_services=frozenset(),
        delegated_admins=delegated,
    )


def _inputs(*, adopts: bool) -> DoctorInputs:
    return DoctorInputs(
        identity_center_account_id="222222222222",
        region="eu-west-1",
        group_prefix="aws-",
        pushed_groups=frozenset(),
        catalogue=frozenset(),
        manages_delegation=True,
        creates_oidc_provider=False,
        adopts_delegation=adopts,
    )


def _delegation_check(adopts: bool):  # type: ignore[no-untyped-def]
    checks = identity_center_checks(_inputs(adopts=adopts), _organization({}), None)
    return next(c for c in checks if c.name == "delegated administrator")


def test_nothing_registered_and_not_adopting_the_first_apply_registers_it() -> None:
    assert _delegation_check(adopts=False).status == NOTE


def test_nothing_registered_but_adopting_is_a_todo_not_a_promise() -> None:
    """Pulumi reads an imported resource first: importing a registration that does not exist fails the
    apply, so doctor must not say "the first apply registers it"."""
    check = _delegation_check(adopts=True)
    assert check.status == TODO
    assert "adoptDelegatedAdministrator" in check.fix
