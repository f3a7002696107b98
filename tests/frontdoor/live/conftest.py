"""A local AWS API server for the read side's tests: moto in server mode on 127.0.0.1, real HTTP.

The product code reaches it through boto3's standard `AWS_ENDPOINT_URL`, with dummy credentials; the
server is reset between tests so each seeds exactly the organization it asserts on.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator

import pytest
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.organizations.models import FakeDelegatedAdministrator, organizations_backends
from moto.server import ThreadedMotoServer

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

REGION = "us-east-1"


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
    urllib.request.urlopen(urllib.request.Request(f"{aws_server}/moto-api/reset", method="POST")).read()
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    yield aws_server
