"""PermissionSet: explicit name, natural-key children, rendered inline policy, exposed attachments."""

from __future__ import annotations

import json

from components.permission_set import PermissionSet, PermissionSetArgs
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.model.catalogue import reference_permission_sets
from frontdoor.domain.model.permission_sets import PermissionSetConfig
from tests.components.conftest import INSTANCE_ARN, Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:PermissionSet"
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
MANAGED = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
CUSTOMER = "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
INLINE = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
BOUNDARY = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment"
PS_ARN = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{}"

CATALOGUE = reference_permission_sets()

CUSTOM = PermissionSetConfig.model_validate(
    {
        "tier": "data",
        "description": "Data engineering",
        "sessionDuration": "PT2H",
        "relayState": "https://console.aws.amazon.com/athena/home",
        "awsManagedPolicies": [
            "arn:aws:iam::aws:policy/job-function/DataScientist",
            "arn:aws:iam::aws:policy/AmazonAthenaFullAccess",
        ],
        "customerManagedPolicies": [{"name": "DataLake", "path": "/teams/"}, {"name": "Baseline"}],
        "inlineStatements": [{"Effect": "Deny", "Action": ["s3:DeleteBucket"], "Resource": "*"}],
        "permissionsBoundary": {"customerManagedPolicy": {"name": "Boundary"}},
        "tags": {"owner": "platform"},
    }
)


def _build(name: str, config: PermissionSetConfig) -> PermissionSet:
    providers = make_providers()
    return PermissionSet(
        name,
        PermissionSetArgs(
            name=name, config=config, instance_arn=INSTANCE_ARN, provider=providers.identity_center
        ),
    )


def test_developer_access_children_and_inline_policy(recorder: Recorder) -> None:
    recorder.run(lambda: _build("DeveloperAccess", CATALOGUE["DeveloperAccess"]))
    component = recorder.one(COMPONENT)
    assert recorder.children_of(component) == {
        (PERMISSION_SET, "DeveloperAccess"),
        (INLINE, "DeveloperAccess/inline"),
    }
    assert recorder.one(PERMISSION_SET).inputs == {
        "name": "DeveloperAccess",
        "instanceArn": INSTANCE_ARN,
        "description": CATALOGUE["DeveloperAccess"].description,
        "sessionDuration": "PT1H",
        "tags": {"tier": "dev"},
    }
    inline = recorder.one(INLINE)
    assert inline.inputs["permissionSetArn"] == PS_ARN.format("DeveloperAccess")
    assert inline.inputs["inlinePolicy"] == render_policy(
        inline_policy_document(CATALOGUE["DeveloperAccess"]) or {}
    )
    assert json.loads(inline.inputs["inlinePolicy"])["Statement"][1]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}
    }
    assert recorder.one(PERMISSION_SET).inputs["tags"] == {"tier": "dev"}


def test_read_only_auditor(recorder: Recorder) -> None:
    recorder.run(lambda: _build("ReadOnlyAuditor", CATALOGUE["ReadOnlyAuditor"]))
    assert recorder.children_of(recorder.one(COMPONENT)) == {
        (PERMISSION_SET, "ReadOnlyAuditor"),
        (MANAGED, "ReadOnlyAuditor/ReadOnlyAccess"),
        (MANAGED, "ReadOnlyAuditor/SecurityAudit"),
    }
    assert recorder.one(PERMISSION_SET).inputs["sessionDuration"] == "PT4H"
    assert {r.inputs["managedPolicyArn"] for r in recorder.of_type(MANAGED)} == {
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/SecurityAudit",
    }


def test_platform_admin_and_billing_viewer(recorder: Recorder) -> None:
    def program() -> None:
        _build("PlatformAdmin", CATALOGUE["PlatformAdmin"])
        _build("BillingViewer", CATALOGUE["BillingViewer"])

    recorder.run(program)
    assert {(r.name, r.inputs["managedPolicyArn"]) for r in recorder.of_type(MANAGED)} == {
        ("PlatformAdmin/AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess"),
        ("BillingViewer/AWSBillingReadOnlyAccess", "arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess"),
    }
    durations = {r.name: r.inputs["sessionDuration"] for r in recorder.of_type(PERMISSION_SET)}
    assert durations == {"PlatformAdmin": "PT1H", "BillingViewer": "PT2H"}
    assert recorder.of_type(INLINE) == []


def test_every_kind_of_attachment_with_natural_key_names(recorder: Recorder) -> None:
    component = recorder.run(lambda: _build("DataEngineer", CUSTOM))
    parent = recorder.one(COMPONENT)
    assert recorder.children_of(parent) == {
        (PERMISSION_SET, "DataEngineer"),
        (MANAGED, "DataEngineer/AmazonAthenaFullAccess"),
        (MANAGED, "DataEngineer/job-function/DataScientist"),
        (CUSTOMER, "DataEngineer/cmp/Baseline"),
        (CUSTOMER, "DataEngineer/cmp/teams/DataLake"),
        (INLINE, "DataEngineer/inline"),
        (BOUNDARY, "DataEngineer/boundary"),
    }
    assert recorder.one(PERMISSION_SET).inputs == {
        "name": "DataEngineer",
        "instanceArn": INSTANCE_ARN,
        "description": "Data engineering",
        "sessionDuration": "PT2H",
        "relayState": "https://console.aws.amazon.com/athena/home",
        "tags": {"owner": "platform"},
    }
    assert recorder.by_name("DataEngineer/cmp/teams/DataLake").inputs["customerManagedPolicyReference"] == {
        "name": "DataLake",
        "path": "/teams/",
    }
    assert recorder.one(BOUNDARY).inputs["permissionsBoundary"] == {
        "customerManagedPolicyReference": {"name": "Boundary", "path": "/"}
    }
    assert json.loads(recorder.one(INLINE).inputs["inlinePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": ["s3:DeleteBucket"], "Resource": "*"}],
    }
    # Every child is created through the Identity Center provider and bound to the set's ARN.
    ic = provider_ref(recorder, "aws-identity-center")
    children = [r for r in recorder.registrations if r.parent == parent.urn]
    assert {r.provider for r in children} == {ic}
    assert {r.inputs["permissionSetArn"] for r in children if r.type != PERMISSION_SET} == {
        PS_ARN.format("DataEngineer")
    }
    # `.attachments` is every policy-bearing child (what assignments depend on), and `.name` the AWS name.
    assert component.name == "DataEngineer"
    assert len(component.attachments) == 6


def test_aws_managed_boundary(recorder: Recorder) -> None:
    values = CUSTOM.model_dump(by_alias=True, exclude_none=True)
    values["permissionsBoundary"] = {"awsManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}
    config = PermissionSetConfig.model_validate(values)
    recorder.run(lambda: _build("DataEngineer", config))
    assert recorder.one(BOUNDARY).inputs["permissionsBoundary"] == {
        "managedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"
    }


def test_arn_output(recorder: Recorder) -> None:
    component = recorder.run(lambda: _build("PlatformAdmin", CATALOGUE["PlatformAdmin"]))
    seen: list[str] = []
    recorder.run(lambda: component.arn.apply(seen.append))
    assert seen == [PS_ARN.format("PlatformAdmin")]
