"""Seed the local AWS API server (moto in server mode) with an organization and planted IAM users.

Used by the live tests (tests/frontdoor/live/test_posture.py) and `make bench` (benchmarks/posture.py): the
same boto3 calls a person would make in the console, through `AWS_ENDPOINT_URL`. The organization
is Acme Medical's shape: OUs Workloads/{Dev,Staging,Prod}, Security, Sandbox; `accounts` accounts in
all (the management account included). Planted in it (`PLANTED`, the expected migration list):
the break-glass users in the management account at /breakglass/, a user with a break-glass name in a
member account, a user on the break-glass path with another name, a break-glass name at the wrong
path, humans with console passwords and keys in accounts they have no grant for, a contractor's user
in three accounts, machines with keys only, and a user with no credential at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

AUDIT_ROLE = "OrganizationAccountAccessRole"
OUS = ("Workloads/Dev", "Workloads/Staging", "Workloads/Prod", "Security", "Sandbox")
BREAK_GLASS_NAMES = ("breakglass-1", "breakglass-2", "breakglass-3")
BREAK_GLASS_PATH = "/breakglass/"


@dataclass(frozen=True)
class Plant:
    """One IAM user to create: in which account (by name), at which path, with which credentials."""

    account: str  # account name; "management" is the management account
    user: str
    path: str = "/"
    password: bool = False
    keys: int = 0
    mfa: bool = False


# The migration list the scan must find in the 140-account org (classification without a people
# file; with `PEOPLE_CSV`, mkumar is matched to a person and becomes to-migrate).
PLANTED: tuple[tuple[Plant, str], ...] = (
    (Plant("management", "breakglass-1", BREAK_GLASS_PATH, password=True, mfa=True), "break-glass"),
    (Plant("management", "breakglass-2", BREAK_GLASS_PATH, password=True, mfa=True), "break-glass"),
    (Plant("management", "breakglass-3", "/", password=True, mfa=True), "to-migrate"),  # wrong path
    (Plant("management", "legacy-admin", BREAK_GLASS_PATH, password=True), "to-migrate"),  # wrong name
    (Plant("payments-dev1", "breakglass-1", BREAK_GLASS_PATH, password=True), "to-migrate"),  # not mgmt
    (Plant("payments-prod1", "jane.doe", password=True, keys=1), "to-migrate"),
    (Plant("sandbox-03", "john.smith@acme-medical.example", password=True), "to-migrate"),
    (Plant("search-prod1", "contractor-alex", password=True, keys=1), "to-migrate"),
    (Plant("search-staging1", "contractor-alex", password=True, keys=1), "to-migrate"),
    (Plant("search-dev1", "contractor-alex", password=True, keys=2), "to-migrate"),
    (Plant("data-prod1", "mkumar", keys=1), "machine"),
    (Plant("platform-prod1", "ci-deploy", keys=2), "machine"),
    (Plant("platform-staging1", "ci-deploy", keys=1), "machine"),
    (Plant("security-tooling", "backup-sync", keys=1), "machine"),
    (Plant("sandbox-07", "old-intern"), "stale"),
)
PEOPLE_CSV = (
    "login,email,first_name,last_name\n"
    "jane.doe@acme-medical.example,jane.doe@acme-medical.example,Jane,Doe\n"
    "john.smith@acme-medical.example,john.smith@acme-medical.example,John,Smith\n"
    "mkumar@acme-medical.example,mohan.kumar@acme-medical.example,Mohan,Kumar\n"
)


def account_names(count: int) -> Iterator[tuple[str, str]]:
    """(name, OU path) for `count - 1` member accounts: the named ones the plants use, then more."""
    fixed = [
        ("payments-dev1", "Workloads/Dev"),
        ("payments-prod1", "Workloads/Prod"),
        ("search-dev1", "Workloads/Dev"),
        ("search-staging1", "Workloads/Staging"),
        ("search-prod1", "Workloads/Prod"),
        ("data-prod1", "Workloads/Prod"),
        ("platform-staging1", "Workloads/Staging"),
        ("platform-prod1", "Workloads/Prod"),
        ("security-tooling", "Security"),
        ("security-logs", "Security"),
        ("sandbox-03", "Sandbox"),
        ("sandbox-07", "Sandbox"),
    ]
    yield from fixed[: count - 1]
    for n in range(count - 1 - len(fixed)):
        ou = OUS[n % 3]  # the rest are workload accounts
        yield f"workload-{n + 1:04d}", ou


@dataclass
class SeededOrg:
    management_id: str
    root_id: str
    accounts: dict[str, str]  # name -> id (management included, as "management")
    ous: dict[str, str]  # path -> id


def clients(service: str, credentials: dict[str, str] | None = None) -> Any:
    """A client of the local server; one boto3 session for all (a session per account costs ~1 s)."""
    session = boto3.Session()
    if credentials is None:
        return session.client(service)
    return session.client(
        service,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def seed_organization(accounts: int = 140) -> SeededOrg:
    organizations = clients("organizations")
    organizations.create_organization(FeatureSet="ALL")
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    root = organizations.list_roots()["Roots"][0]["Id"]
    ous: dict[str, str] = {}
    for path in OUS:
        parent = root
        built = ""
        for part in path.split("/"):
            built = f"{built}/{part}" if built else part
            if built not in ous:
                ous[built] = organizations.create_organizational_unit(ParentId=parent, Name=part)[
                    "OrganizationalUnit"
                ]["Id"]
            parent = ous[built]
    ids = {"management": management}
    for name, ou in account_names(accounts):
        status = organizations.create_account(AccountName=name, Email=f"aws+{name}@acme-medical.example")
        account_id = status["CreateAccountStatus"]["AccountId"]
        organizations.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=ous[ou])
        ids[name] = account_id
    return SeededOrg(management, root, ids, ous)


def account_credentials(account_id: str, management_id: str) -> dict[str, str] | None:
    if account_id == management_id:
        return None
    sts = clients("sts")
    role = f"arn:aws:iam::{account_id}:role/{AUDIT_ROLE}"
    credentials: dict[str, str] = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
    return credentials


def plant_users(org: SeededOrg, plants: tuple[tuple[Plant, str], ...] = PLANTED) -> None:
    session = boto3.Session()
    for plant, _ in plants:
        account_id = org.accounts[plant.account]
        credentials = account_credentials(account_id, org.management_id)
        iam = (
            session.client("iam")
            if credentials is None
            else session.client(
                "iam",
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        )
        iam.create_user(UserName=plant.user, Path=plant.path)
        if plant.password:
            iam.create_login_profile(UserName=plant.user, Password="Correct-Horse-Battery-9")
        for _ in range(plant.keys):
            iam.create_access_key(UserName=plant.user)
        if plant.mfa:
            device = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{plant.user}-mfa")
            iam.enable_mfa_device(
                UserName=plant.user,
                SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
                AuthenticationCode1="123456",
                AuthenticationCode2="654321",
            )
