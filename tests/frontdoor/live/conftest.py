"""A local AWS API server for the read side's tests: moto in server mode on 127.0.0.1, real HTTP.

The product code reaches it through boto3's standard `AWS_ENDPOINT_URL`, with dummy credentials. A test
takes either `aws`, a server reset for it alone, so it seeds exactly the organization it asserts on, or
the demo organization seeded once and shared (tests/frontdoor/live/demo_server.py): `demo_org` to read
it, `demo_org_plants` to plant on it and have the plants removed after, `demo_org_spent` to change it
for good (the next test seeds it again).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.organizations.models import FakeDelegatedAdministrator, organizations_backends
from moto.server import ThreadedMotoServer

from frontdoor.offline.preview import PreviewResult
from tests.frontdoor.live import demo_server
from tests.frontdoor.live.demo_server import DemoServer, Plants

# moto's list of delegable services lacks Identity Center, which real AWS accepts
# (RegisterDelegatedAdministrator with ServicePrincipal sso.amazonaws.com is the documented setup).
if "sso.amazonaws.com" not in FakeDelegatedAdministrator.SUPPORTED_SERVICES:
    FakeDelegatedAdministrator.SUPPORTED_SERVICES.append("sso.amazonaws.com")

STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"


def _describe_organizations_access(self: CloudFormationResponse) -> ActionResult:
    """CloudFormation DescribeOrganizationsAccess, which moto lacks, in botocore's output shape
    ({"Status": ENABLED | DISABLED | DISABLED_PERMANENTLY}). ActivateOrganizationsAccess enables StackSets'
    service access with Organizations (CloudFormation User Guide, "Activate trusted access for StackSets"),
    so the server answers ENABLED exactly when its Organizations backend lists that service principal."""
    backend = organizations_backends[self.current_account]["aws"]
    enabled = any(service["ServicePrincipal"] == STACKSETS_PRINCIPAL for service in backend.services)
    return ActionResult({"Status": "ENABLED" if enabled else "DISABLED"})


if not hasattr(CloudFormationResponse, "describe_organizations_access"):
    CloudFormationResponse.describe_organizations_access = _describe_organizations_access  # type: ignore[attr-defined]


LIVE = os.path.dirname(__file__)
SHARED_ORG_FIXTURES = ("demo_org", "demo_org_plants", "demo_org_spent")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The live tests on the shared demo organization run first, so it is seeded once: readers, then
    planters, then the tests that spend it; the rest (each resets the server) after, in file order."""

    def rank(item: pytest.Item) -> int:
        used = [name for name in SHARED_ORG_FIXTURES if name in getattr(item, "fixturenames", ())]
        return SHARED_ORG_FIXTURES.index(used[-1]) if used else len(SHARED_ORG_FIXTURES)

    slots = [i for i, item in enumerate(items) if str(item.path).startswith(LIVE + os.sep)]
    for slot, item in zip(slots, sorted((items[i] for i in slots), key=rank), strict=True):
        items[slot] = item


@pytest.fixture(scope="session")
def aws_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(aws_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh local AWS: boto3 in this process points at it through its standard settings."""
    demo_server.reset(aws_server)
    demo_server.point_at(monkeypatch, aws_server)
    yield aws_server


@pytest.fixture
def demo_org(aws_server: str, demo: PreviewResult, monkeypatch: pytest.MonkeyPatch) -> DemoServer:
    """The shared demo organization, to read; boto3 acts as its management account."""
    return demo_server.shared_demo_org(aws_server, demo, monkeypatch)


@pytest.fixture
def demo_org_plants(demo_org: DemoServer) -> Iterator[Plants]:
    """Plant on the shared organization; after the test every plant is removed and the organization must
    read back exactly as seeded, or the test fails (and the next one seeds afresh)."""
    plants = Plants()
    yield plants
    try:
        plants.remove_all()
        left = demo_server.differences(demo_server.SHARED.seeded_state, demo_server.fingerprint(demo_org))
    except BaseException:
        demo_server.spend()
        raise
    if left:
        demo_server.spend()
        pytest.fail("the plants were not all removed from the shared demo organization:\n" + "\n".join(left))


@pytest.fixture
def demo_org_spent(demo_org: DemoServer) -> Iterator[DemoServer]:
    """The shared organization, to change for good: the next test that needs it seeds it again."""
    try:
        yield demo_org
    finally:
        demo_server.spend()
