"""Identity is a contract: growing the estate or the config never renames an existing assignment.

For random organizations (nested OUs, suspended accounts) and random team grants, adding accounts,
adding a team or adding a grant leaves every existing assignment's logical name in place (same string,
same natural key), and no two assignments ever share a name (a shared name would be one URN for two
grants: one of them silently lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from frontdoor.domain.config.cross_check import cross_check
from frontdoor.domain.model.catalogue import reference_permission_set_values
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit
from frontdoor.domain.planning.plan import plan_access

ROOT = "r-ab12"
MANAGEMENT = "100000000000"
SETS = tuple(reference_permission_set_values())
TEAMS = ("payments", "mobile", "data", "web", "ml", "ops", "quality")
SEGMENTS = ("Workloads", "Dev", "Prod", "Shared", "Sandbox")
STATES = ("ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE")


@dataclass(frozen=True)
class Estate:
    ou_paths: tuple[str, ...]
    accounts: tuple[tuple[str, str, str], ...]  # (id, ou path or "", state)

    def ou_id(self, path: str) -> str:
        return f"ou-ab12-{self.ou_paths.index(path):08d}"

    def snapshot(self) -> OrgSnapshot:
        ous = tuple(
            OrgUnit(
                self.ou_id(path),
                path.rsplit("/", 1)[-1],
                path,
                self.ou_id(path.rsplit("/", 1)[0]) if "/" in path else ROOT,
            )
            for path in self.ou_paths
        )
        accounts = [Account(MANAGEMENT, "management", "ACTIVE", "")]
        for account_id, path, state in self.accounts:
            chain = (
                tuple(self.ou_id("/".join(path.split("/")[: i + 1])) for i in range(len(path.split("/"))))
                if path
                else ()
            )
            accounts.append(Account(account_id, f"acct-{account_id}", state, path, chain))
        return OrgSnapshot(ROOT, MANAGEMENT, ous, tuple(accounts))

    def targets(self) -> list[str]:
        return ["*", *self.ou_paths, *(self.ou_id(p) for p in self.ou_paths), *(a[0] for a in self.accounts)]


@st.composite
def ou_trees(draw: st.DrawFn) -> tuple[str, ...]:
    paths = draw(st.lists(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3), max_size=6))
    closed = {"/".join(p[: i + 1]) for p in paths for i in range(len(p))}
    return tuple(sorted(closed))


def account_lists(ou_paths: tuple[str, ...], taken: set[int], max_size: int = 10) -> st.SearchStrategy[Any]:
    ids = st.integers(200_000_000_000, 999_999_999_999).filter(lambda n: n not in taken)
    account = st.tuples(ids.map(str), st.sampled_from(("", *ou_paths)), st.sampled_from(STATES))
    return st.lists(account, max_size=max_size, unique_by=lambda a: a[0])


@st.composite
def estates(draw: st.DrawFn) -> Estate:
    ou_paths = draw(ou_trees())
    return Estate(ou_paths, tuple(draw(account_lists(ou_paths, set()))))


def grant_maps(estate: Estate) -> st.SearchStrategy[dict[str, list[str]]]:
    targets = st.lists(st.sampled_from(estate.targets()), min_size=1, max_size=3, unique=True)
    return st.dictionaries(st.sampled_from(SETS), targets, min_size=1, max_size=3)


def config(teams: dict[str, dict[str, list[str]]]) -> StackConfig:
    return StackConfig.model_validate(
        {
            "organization": {"managementAccountId": MANAGEMENT, "identityCenterAccountId": "100000000001"},
            "identityCenter": {"accessControlAttributes": {"team": "${path:enterprise.division}"}},
            "abacChains": {"team": {"scimAttribute": "division"}},
            "okta": {
                "orgName": "example",
                "acsUrl": "https://us-east-1.signin.aws/platform/saml/acs/x",
                "entityId": "https://us-east-1.signin.aws/platform/saml/x",
            },
            "permissionSets": reference_permission_set_values(),
            "teams": {
                name: {"members": f'user.team == "{name}"', "grants": grants}
                for name, grants in teams.items()
            },
        }
    )


def names(teams: dict[str, dict[str, list[str]]], estate: Estate) -> dict[str, tuple[str, str, str]]:
    """Logical name -> natural key, asserting along the way that no two assignments share a name."""
    stack = config(teams)
    assume(not cross_check(stack, "test"))
    plan = plan_access(stack, estate.snapshot(), "test")
    out: dict[str, tuple[str, str, str]] = {}
    for grant in plan.grants:
        for name, account in grant.assignments:
            assert name not in out, f"two assignments share the logical name {name}"
            out[name] = (grant.group, grant.permission_set, account.id)
    return out


def assert_kept(before: dict[str, tuple[str, str, str]], after: dict[str, tuple[str, str, str]]) -> None:
    for name, key in before.items():
        assert after.get(name) == key, f"{name} was renamed or re-pointed"


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_adding_accounts_keeps_every_name(data: st.DataObject) -> None:
    estate = data.draw(estates())
    teams = data.draw(st.dictionaries(st.sampled_from(TEAMS), grant_maps(estate), min_size=1, max_size=3))
    taken = {int(a[0]) for a in estate.accounts}
    extra = data.draw(account_lists(estate.ou_paths, taken, max_size=5))
    grown = Estate(estate.ou_paths, estate.accounts + tuple(extra))
    before = names(teams, estate)
    after = names(teams, grown)
    assert_kept(before, after)
    # Only new ACTIVE accounts bring new names.
    new_ids = {a[0] for a in extra}
    assert all(key[2] in new_ids for name, key in after.items() if name not in before)


@PROPERTY
@given(data=st.data())
def test_adding_a_team_keeps_every_name(data: st.DataObject) -> None:
    estate = data.draw(estates())
    teams = data.draw(
        st.dictionaries(st.sampled_from(TEAMS[:-1]), grant_maps(estate), min_size=1, max_size=3)
    )
    newcomer = data.draw(grant_maps(estate))
    before = names(teams, estate)
    after = names({**teams, TEAMS[-1]: newcomer}, estate)
    assert_kept(before, after)


@PROPERTY
@given(data=st.data())
def test_adding_grants_and_targets_keeps_every_name(data: st.DataObject) -> None:
    estate = data.draw(estates())
    teams = data.draw(st.dictionaries(st.sampled_from(TEAMS), grant_maps(estate), min_size=1, max_size=3))
    team = data.draw(st.sampled_from(sorted(teams)))
    grants = dict(teams[team])
    extra_set = data.draw(st.sampled_from(SETS))
    extra_targets = data.draw(
        st.lists(st.sampled_from(estate.targets()), min_size=1, max_size=2, unique=True)
    )
    grants[extra_set] = sorted(set(grants.get(extra_set, [])) | set(extra_targets))
    before = names(teams, estate)
    after = names({**teams, team: grants}, estate)
    assert_kept(before, after)


@PROPERTY
@given(estate=estates(), data=st.data())
def test_reordering_targets_changes_nothing(estate: Estate, data: st.DataObject) -> None:
    teams = data.draw(st.dictionaries(st.sampled_from(TEAMS), grant_maps(estate), min_size=1, max_size=3))
    shuffled = {
        team: {ps: list(reversed(t)) for ps, t in reversed(grants.items())} for team, grants in teams.items()
    }
    assert names(teams, estate) == names(shuffled, estate)
