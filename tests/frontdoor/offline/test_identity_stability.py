"""Identity stability of the real program, over generated estates and configs (hypothesis).

Reordering any list or mapping in the config changes nothing; adding one team, grant or account
adds only the resources that belong to it and leaves every other resource, its name and its inputs,
as it was. Each example runs the real program under the offline engine on a small estate.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import identity_lines

REPO = Path(__file__).resolve().parents[3]
MANAGEMENT = "100000000001"
TEAM_POOL = ["payments", "mobile", "quality", "telemetry", "devices"]
OUS = {
    "Workloads/Dev": "ou-ab12-00000001",
    "Workloads/Prod": "ou-ab12-00000002",
    "Sandbox": "ou-ab12-00000003",
}
BASE_CONFIG: dict[str, Any] = {
    "organization": {"managementAccountId": MANAGEMENT, "identityCenterAccountId": "100000000002"},
    "identityCenter": {"accessControlAttributes": {"team": "${path:enterprise.division}"}},
    "abacChains": {"team": {"scimAttribute": "division"}},
    "okta": {
        "orgName": "acme",
        "acsUrl": "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x",
        "entityId": "https://us-east-1.signin.aws.amazon.com/platform/saml/d-906712ab34",
        "abacAttributes": {"team": "user.team"},
        "provisioningEnabled": True,
        # The app user lacks the SCIM attribute the ABAC chain pushes (the estate's appUserSchema).
        "createAppUserProperties": ["division"],
    },
    "guardrails": {"scps": {"deny-iam-users": {"attachTo": ["Root"]}}},
}


def permission_sets() -> dict[str, Any]:
    from frontdoor.domain.model.catalogue import reference_permission_set_values

    return reference_permission_set_values()


def estate(accounts_per_ou: dict[str, int], teams: list[str]) -> Estate:
    def accounts(path: str, count: int) -> list[dict[str, str]]:
        base = 200000000000 + 1000 * list(OUS).index(path)
        return [{"id": str(base + i), "name": f"{path.replace('/', '-').lower()}-{i}"} for i in range(count)]

    workloads = {
        "id": "ou-ab12-00000010",
        "name": "Workloads",
        "children": [
            {
                "id": OUS["Workloads/Dev"],
                "name": "Dev",
                "accounts": accounts("Workloads/Dev", accounts_per_ou["Workloads/Dev"]),
            },
            {
                "id": OUS["Workloads/Prod"],
                "name": "Prod",
                "accounts": accounts("Workloads/Prod", accounts_per_ou["Workloads/Prod"]),
            },
        ],
    }
    sandbox = {
        "id": OUS["Sandbox"],
        "name": "Sandbox",
        "accounts": accounts("Sandbox", accounts_per_ou["Sandbox"]),
    }
    groups = [f"aws-{t}-{tier}" for t in TEAM_POOL for tier in ("dev", "readonly")] + ["aws-platform-admin"]
    synced = {g: f"906712ab34-{i:08x}-0000-0000-0000-000000000000" for i, g in enumerate(sorted(groups))}
    return Estate.model_validate(
        {
            "organization": {
                "id": "o-abcdefghij",
                "rootId": "r-ab12",
                "managementAccount": {"id": MANAGEMENT, "name": "mgmt"},
                "featureSet": "ALL",
                # Stage a done (the facts are required: absent is unknown).
                "awsServiceAccessPrincipals": ["sso.amazonaws.com"],
                "delegatedAdministrators": {
                    "sso.amazonaws.com": [BASE_CONFIG["organization"]["identityCenterAccountId"]]
                },
                "enabledPolicyTypes": ["SERVICE_CONTROL_POLICY"],
            },
            "identityCenter": {
                "instanceArn": "arn:aws:sso:::instance/ssoins-0000000000000001",
                "identityStoreId": "d-906712ab34",
            },
            # The delegated administrator of Identity Center, at the root.
            "accounts": [{"id": BASE_CONFIG["organization"]["identityCenterAccountId"], "name": "identity"}],
            "ous": [workloads, sandbox],
            "syncedGroups": synced,
            "oktaProfileAttributes": [],  # none beyond Okta's base attributes: the stack creates `team`
            # The app-user schema as the demo estate holds it: the stack creates the ABAC properties.
            "okta": {
                "appUserSchema": {
                    "base": ["userName", "givenName", "familyName", "email", "displayName"],
                    "custom": {},
                },
                "userSchema": {"custom": {}},
            },
            # The deploy role the providers assume exists (docs/first-run.md step 0).
            "managementAccount": {"iamRoles": {"frontdoor-deploy": True}},
            # A deployed stack (a failing precondition would stop it rather than stage it), before Group
            # Push (okta.provisioningEnabled is off here, so the state holds no push mapping).
            "deployed": {"resources": 100, "beyondStageA": True},
        }
    )


def config(teams: dict[str, Any]) -> dict[str, Any]:
    values = copy.deepcopy(BASE_CONFIG)
    values["permissionSets"] = permission_sets()
    values["teams"] = teams
    values["orgGrants"] = {
        "aws-platform-admin": {"members": 'user.team == "platform"', "permissionSet": "PlatformAdmin"}
    }
    return {f"frontdoor:{k}": v for k, v in values.items()}


def run(teams: dict[str, Any], the_estate: Estate) -> ProgramRun:
    return run_program(REPO, stack="prop", config=config(teams), estate=the_estate)


def inputs_by_urn(result: ProgramRun) -> dict[str, Any]:
    return {r.urn: (r.type, dict(r.inputs)) for r in result.resources}


team_grants = st.fixed_dictionaries(
    {
        "DeveloperAccess": st.lists(
            st.sampled_from(["Workloads/Dev", "Sandbox"]), min_size=1, max_size=2, unique=True
        ),
        "ReadOnlyAuditor": st.lists(
            st.sampled_from(["Workloads/Prod", "Workloads"]), min_size=1, max_size=2, unique=True
        ),
    }
)
teams_strategy = st.dictionaries(st.sampled_from(TEAM_POOL[:4]), team_grants, min_size=1, max_size=3)
sizes = st.fixed_dictionaries({path: st.integers(min_value=1, max_value=4) for path in OUS})
# Each example runs the real program a few times: few examples, and no shrinking (a failure prints
# its example, which reproduces directly).
SETTINGS = settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


def team_spec(team: str, grants: dict[str, list[str]]) -> dict[str, Any]:
    return {"members": f'user.team == "{team}"', "grants": grants}


@SETTINGS
@given(teams=teams_strategy, counts=sizes, seed=st.integers(0, 2**16))
def test_reordering_the_config_changes_nothing(
    teams: dict[str, Any], counts: dict[str, int], seed: int
) -> None:
    the_estate = estate(counts, list(teams))
    specs = {t: team_spec(t, g) for t, g in teams.items()}
    shuffler = random.Random(seed)
    shuffled_items = list(specs.items())
    shuffler.shuffle(shuffled_items)
    reordered = {}
    for team, spec in shuffled_items:
        grants = list(spec["grants"].items())
        shuffler.shuffle(grants)
        reordered[team] = {
            "members": spec["members"],
            "grants": {k: shuffler.sample(v, len(v)) for k, v in grants},
        }
    before, after = run(specs, the_estate), run(reordered, the_estate)
    assert identity_lines(before.resources) == identity_lines(after.resources)
    assert inputs_by_urn(before) == inputs_by_urn(after)


def _belongs_to(urn: str, team: str) -> bool:
    return f"TeamAccess::{team}" in urn or f"::aws-{team}-" in urn or "AppAssignment" in urn


@SETTINGS
@given(teams=teams_strategy, counts=sizes)
def test_adding_a_team_touches_only_that_team(teams: dict[str, Any], counts: dict[str, int]) -> None:
    the_estate = estate(counts, list(teams))
    specs = {t: team_spec(t, g) for t, g in teams.items()}
    newcomer = TEAM_POOL[4]
    before = inputs_by_urn(run(specs, the_estate))
    after = inputs_by_urn(
        run({**specs, newcomer: team_spec(newcomer, {"DeveloperAccess": ["Workloads/Dev"]})}, the_estate)
    )
    assert set(before) <= set(after)
    assert all(_belongs_to(urn, newcomer) for urn in set(after) - set(before))
    changed = [
        urn for urn in before if before[urn] != after[urn] and not before[urn][0].startswith("frontdoor:")
    ]
    # Only the app-assignment rule of the newcomer's bucket gains the new group ids.
    assert all("AppAssignment" in urn and "okta:group/rule:Rule" in urn for urn in changed)


@SETTINGS
@given(teams=teams_strategy, counts=sizes)
def test_adding_a_grant_or_an_account_adds_only_its_assignments(
    teams: dict[str, Any], counts: dict[str, int]
) -> None:
    specs = {t: team_spec(t, g) for t, g in teams.items()}
    the_estate = estate(counts, list(teams))
    before = inputs_by_urn(run(specs, the_estate))
    grown = estate({**counts, "Workloads/Dev": counts["Workloads/Dev"] + 1}, list(teams))
    new_account = str(200000000000 + counts["Workloads/Dev"])
    after = inputs_by_urn(run(specs, grown))
    assert set(before) <= set(after)
    for urn in set(after) - set(before):
        assert urn.endswith(f"/{new_account}") and "accountAssignment:AccountAssignment" in urn
    # Components carry the grant as inputs (accountIds); no physical resource changes.
    assert [
        urn for urn in before if before[urn] != after[urn] and not before[urn][0].startswith("frontdoor:")
    ] == []
    team = sorted(teams)[0]
    wider = {
        **specs,
        team: team_spec(
            team,
            {
                **teams[team],
                "DeveloperAccess": sorted({*teams[team]["DeveloperAccess"], "Workloads/Dev", "Sandbox"}),
            },
        ),
    }
    after_grant = inputs_by_urn(run(wider, the_estate))
    assert set(before) <= set(after_grant)
    assert all(f"aws-{team}-dev/DeveloperAccess/" in urn for urn in set(after_grant) - set(before))
