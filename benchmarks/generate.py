"""Deterministic synthetic estates and stack configs at any number of accounts (140, 500, 1,000, 2,000 …).

The shape is the demo's (stacks/estate.demo.yaml), scaled: Security and Infrastructure OUs, Workloads
with Dev/Staging/Prod/Shared (+ an empty Decommissioning), acquired companies with Dev and Prod,
Sandbox, Suspended (every account SUSPENDED) and one legacy account under the root. At 140 accounts
the counts per OU are exactly the demo's: 11 teams, 22 Dev, 11 Staging, 22 Prod, 10 Shared, 35
acquired, 20 sandbox, 8 suspended.

Teams ≈ accounts / 13, in business units of at most 11 teams: Workloads/<env>/<BU> holds the BU's
accounts (each team owns 2 Dev, 1 Staging and 2 Prod accounts). Every team is granted DeveloperAccess
on its BU's Dev and Staging and ReadOnlyAuditor on its BU's Prod; per BU one team also reads Shared,
one develops on Shared with an exclusion, and three teams own an acquired company (Dev and Prod).
One compliance team reads Workloads/Prod and Acquired org-wide, and the demo's three org-wide grants
(platform admin on `*` minus Security, security auditors on `*`, billing on the management account)
are kept. Grants stay within a BU, so assignments grow linearly with accounts (~6 per account, as
in the demo) instead of teams × accounts: the benchmark measures how our machinery scales, not a
fan-out that no organization of 2,000 accounts would write.

Every group is synced by SCIM except the last team's (its assignments are deferred, as in the demo).
The permission sets, Okta, Identity Center and guardrail sections are copied from the demo stack.
Same seed and size → byte-identical files.
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_STACK = REPO_ROOT / "stacks" / "Pulumi.demo.yaml"
DEFAULT_SEED = 7
SIZES = (140, 500, 1000, 2000)
TEAMS_PER_BU = 11
COPIED_SECTIONS = ("identityCenter", "abacChains", "okta", "permissionSets", "guardrails")
# Short words: `aws-<word>-NN-readonly-rule` stays far below Okta's 50-character rule name limit.
TEAM_WORDS = (
    "payments",
    "firmware",
    "telemetry",
    "clinical",
    "factory",
    "quality",
    "compliance",
    "supply",
    "mobile",
    "data",
    "portal",
)
COMPANY_WORDS = ("Medisyn", "Orthovia", "CardioPulse")


@dataclass(frozen=True)
class Generated:
    """One synthetic stack: its name, the stack file's document and the estate's."""

    stack: str
    accounts: int
    config: dict[str, Any]
    estate: dict[str, Any]


@dataclass(frozen=True)
class Layout:
    """How many accounts each part of the organization holds (management included in `total`)."""

    total: int
    teams: int
    business_units: int
    infrastructure: int
    shared: int
    acquired: int
    suspended: int
    sandbox: int

    @staticmethod
    def for_accounts(total: int) -> Layout:
        def share(per_140: int) -> int:
            return round(total * per_140 / 140)

        teams = max(1, round(total / 13))
        units = math.ceil(teams / TEAMS_PER_BU)
        fixed = 1 + 1 + 4  # management, the legacy account under the root, Security
        infrastructure, shared, acquired, suspended = share(6), share(10), share(35), share(8)
        sandbox = total - fixed - infrastructure - 5 * teams - shared - acquired - suspended
        if sandbox < 0:
            raise ValueError(f"{total} accounts are too few for the estate's shape (at least ~60)")
        return Layout(total, teams, units, infrastructure, shared, acquired, suspended, sandbox)


def _split(count: int, parts: int) -> list[int]:
    """`count` spread over `parts` as evenly as possible, larger parts first."""
    base, extra = divmod(count, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


class _Ids:
    """Unique, well-formed AWS and identity-store ids drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def _unique(self, make: Any) -> str:
        while True:
            value = str(make())
            if value not in self.seen:
                self.seen.add(value)
                return value

    def hex(self, digits: int) -> str:
        return self._unique(lambda: f"{self.rng.getrandbits(4 * digits):0{digits}x}")

    def account(self) -> str:
        return self._unique(lambda: str(self.rng.randrange(100_000_000_000, 1_000_000_000_000)))

    def group(self, store: str) -> str:
        return self._unique(
            lambda: "{}-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}".format(
                store,
                *(self.rng.getrandbits(bits) for bits in (32, 16, 16, 16, 48)),
            )
        )


def _demo_config() -> dict[str, Any]:
    document = yaml.safe_load(DEMO_STACK.read_text())
    config: dict[str, Any] = document["config"]
    return config


def generate(accounts: int, seed: int = DEFAULT_SEED) -> Generated:
    """The stack and estate documents for `accounts` accounts (the management account included)."""
    layout = Layout.for_accounts(accounts)
    rng = random.Random(f"frontdoor-bench:{seed}:{accounts}")
    ids = _Ids(rng)
    root4 = ids.hex(4)
    store = ids.hex(10)
    company = "acme-bench"

    def account(name: str, state: str = "ACTIVE") -> dict[str, Any]:
        return {"id": ids.account(), "name": name, "state": state, "email": f"aws+{name}@{company}.example"}

    def ou(name: str, members: list[dict[str, Any]], children: list[dict[str, Any]] | None = None) -> Any:
        return {
            "id": f"ou-{root4}-{ids.hex(8)}",
            "name": name,
            "accounts": members,
            "children": children or [],
        }

    management = account(f"{company}-management")
    security = [account(n) for n in ("log-archive", "security-tooling", "audit", "identity-center-admin")]
    identity_center_account = security[3]["id"]
    infrastructure = [account(f"infra-{i + 1:03d}") for i in range(layout.infrastructure)]

    units = [f"BU{u + 1:02d}" for u in range(layout.business_units)]
    team_counts = _split(layout.teams, layout.business_units)
    teams_by_unit: list[list[str]] = [
        [f"{TEAM_WORDS[i % len(TEAM_WORDS)]}-{u + 1:02d}" for i in range(count)]
        for u, count in enumerate(team_counts)
    ]
    env_accounts: dict[str, list[list[dict[str, Any]]]] = {"Dev": [], "Staging": [], "Prod": [], "Shared": []}
    shared_counts = _split(layout.shared, layout.business_units)
    for unit, unit_teams in enumerate(teams_by_unit):
        env_accounts["Dev"].append([account(f"{t}-dev{i}") for t in unit_teams for i in (1, 2)])
        env_accounts["Staging"].append([account(f"{t}-stg1") for t in unit_teams])
        env_accounts["Prod"].append([account(f"{t}-prod{i}") for t in unit_teams for i in (1, 2)])
        env_accounts["Shared"].append(
            [account(f"{units[unit].lower()}-shared-{i + 1:02d}") for i in range(shared_counts[unit])]
        )
    workloads = ou(
        "Workloads",
        [],
        [
            *(
                ou(env, [], [ou(units[u], env_accounts[env][u]) for u in range(layout.business_units)])
                for env in ("Dev", "Staging", "Prod", "Shared")
            ),
            ou("Decommissioning", []),
        ],
    )

    companies = [
        f"{COMPANY_WORDS[c % len(COMPANY_WORDS)]}{c // len(COMPANY_WORDS) + 1:02d}"
        for c in range(3 * layout.business_units)
    ]
    acquired_children = []
    for name, size in zip(companies, _split(layout.acquired, len(companies)), strict=True):
        dev_count = size * 45 // 100
        slug = name.lower()
        acquired_children.append(
            ou(
                name,
                [],
                [
                    ou("Dev", [account(f"{slug}-dev-{i + 1:02d}") for i in range(dev_count)]),
                    ou("Prod", [account(f"{slug}-prod-{i + 1:02d}") for i in range(size - dev_count)]),
                ],
            )
        )
    sandbox = [account(f"sandbox-{i + 1:04d}") for i in range(layout.sandbox)]
    suspended = [account(f"closed-{i + 1:04d}", "SUSPENDED") for i in range(layout.suspended)]
    legacy = account("legacy-root-billing")

    # --- the stack config ---------------------------------------------------------------------------
    demo = _demo_config()
    all_teams = [t for unit_teams in teams_by_unit for t in unit_teams]
    deferred_team = all_teams[-1]
    compliance_team = next((t for t in all_teams if t.startswith("compliance-")), all_teams[0])
    teams: dict[str, Any] = {}
    for unit, unit_teams in enumerate(teams_by_unit):
        bu = units[unit]
        owned = {unit_teams[min(3 + c, len(unit_teams) - 1)]: companies[3 * unit + c] for c in range(3)}
        for index, team in enumerate(unit_teams):
            grants: dict[str, Any]
            if team == compliance_team:
                grants = {"ReadOnlyAuditor": ["Workloads/Prod", "Acquired"]}
            else:
                dev: list[str] = [f"Workloads/Dev/{bu}", f"Workloads/Staging/{bu}"]
                readonly: list[str] = [f"Workloads/Prod/{bu}"]
                if index == 0:
                    readonly.append(f"Workloads/Shared/{bu}")
                if team in owned:
                    dev.append(f"Acquired/{owned[team]}/Dev")
                    readonly.append(f"Acquired/{owned[team]}/Prod")
                shared = env_accounts["Shared"][unit]
                developer: Any = dev
                if index == 1 and shared:
                    developer = {"targets": [*dev, f"Workloads/Shared/{bu}"], "exclude": [shared[-1]["id"]]}
                grants = {"DeveloperAccess": developer, "ReadOnlyAuditor": readonly}
            teams[team] = {"members": f'user.team == "{team}"', "grants": grants}
    org_grants = {
        "aws-platform-admin": {
            "members": 'user.team == "platform" AND user.title == "Platform Engineer"',
            "permissionSet": "PlatformAdmin",
            "targets": ["*"],
            "exclude": ["Security"],
        },
        "aws-security-auditors": {
            "members": 'user.department == "Security" OR user.department == "Internal Audit"',
            "permissionSet": "ReadOnlyAuditor",
            "targets": ["*"],
        },
        "aws-billing-readonly": {
            "members": 'user.department == "Finance"',
            "permissionSet": "BillingViewer",
            "targets": [management["id"]],
            "includeManagementAccount": True,
        },
    }
    prefix = demo["frontdoor:okta"].get("pushGroupPrefix", "aws-")
    tiers = {name: ps["tier"] for name, ps in demo["frontdoor:permissionSets"].items()}
    pushed = sorted(
        {f"{prefix}{team}-{tiers[ps]}" for team, spec in teams.items() for ps in spec["grants"]}
        | set(org_grants)
    )
    synced = {name: ids.group(store) for name in pushed if not name.startswith(f"{prefix}{deferred_team}-")}

    stack = f"bench{accounts}"
    config: dict[str, Any] = {
        "aws:region": demo.get("aws:region", "us-east-1"),
        "okta:orgName": demo.get("okta:orgName", "acme-medical"),
        "okta:baseUrl": demo.get("okta:baseUrl", "okta.com"),
        "frontdoor:organization": {
            "managementAccountId": management["id"],
            "identityCenterAccountId": identity_center_account,
            "region": "us-east-1",
            "managementRoleArn": f"arn:aws:iam::{management['id']}:role/frontdoor-deploy",
            "identityCenterRoleArn": f"arn:aws:iam::{identity_center_account}:role/frontdoor-deploy",
        },
        **{f"frontdoor:{key}": demo[f"frontdoor:{key}"] for key in COPIED_SECTIONS[:4]},
        "frontdoor:teams": teams,
        "frontdoor:orgGrants": org_grants,
        "frontdoor:guardrails": demo["frontdoor:guardrails"],
    }
    estate: dict[str, Any] = {
        "organization": {"id": f"o-{ids.hex(10)}", "rootId": f"r-{root4}", "managementAccount": management},
        "identityCenter": {
            "instanceArn": f"arn:aws:sso:::instance/ssoins-{ids.hex(16)}",
            "identityStoreId": f"d-{store}",
            "region": "us-east-1",
        },
        "accounts": [legacy],
        "ous": [
            ou("Security", security),
            ou("Infrastructure", infrastructure),
            workloads,
            ou("Sandbox", sandbox),
            ou("Acquired", [], acquired_children),
            ou("Suspended", suspended),
        ],
        "syncedGroups": synced,
    }
    return Generated(stack, accounts, {"config": config}, estate)


def count_accounts(estate: dict[str, Any]) -> int:
    """Every account in an estate document, the management account included."""

    def in_ous(ous: list[dict[str, Any]]) -> int:
        return sum(len(o["accounts"]) + in_ous(o["children"]) for o in ous)

    return 1 + len(estate["accounts"]) + in_ous(estate["ous"])


def _dump(document: dict[str, Any], header: str) -> str:
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, width=110, allow_unicode=True)
    return header + body


def write(generated: Generated, directory: Path) -> tuple[Path, Path]:
    """Write `Pulumi.<stack>.yaml` and `estate.<stack>.yaml` into `directory`; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    config_file = directory / f"Pulumi.{generated.stack}.yaml"
    estate_file = directory / f"estate.{generated.stack}.yaml"
    header = f"# Generated by benchmarks/generate.py: {generated.accounts} accounts. Do not edit.\n"
    config_file.write_text(_dump(generated.config, header))
    estate_file.write_text(_dump(generated.estate, header))
    return config_file, estate_file


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated account counts")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help="directory for the generated files")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        config_file, estate_file = write(generate(size, args.seed), args.out)
        print(f"{size:>5} accounts: {config_file} {estate_file}")


if __name__ == "__main__":
    main()
