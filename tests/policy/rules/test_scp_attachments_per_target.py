from rules import scp_attachments_per_target as rule
from rules._common import ORG_POLICY, ORG_POLICY_ATTACHMENT

from ..conftest import UNKNOWN, Res, run_stack


def attachments(count: int, target: str = "r-ab12") -> list[Res]:
    return [
        Res(ORG_POLICY_ATTACHMENT, f"scp-{i}", {"policyId": f"p-{i}", "targetId": target})
        for i in range(count)
    ]


def test_four_per_target_is_compliant() -> None:
    assert run_stack(rule.POLICY, attachments(4)) == []


def test_fifth_attachment_exceeds_the_default_limit() -> None:
    resources = attachments(5)
    assert run_stack(rule.POLICY, resources) == [
        (
            resources[4].urn,
            'target "r-ab12" has 5 SCP attachments in this stack; AWS allows 5 per target and 1 is reserved '
            "for FullAWSAccess, so at most 4 may come from here: merge SCPs, or adjust "
            "maxPerTarget/reservedPerTarget in the pack config",
        )
    ]


def test_reserved_slot_is_configurable() -> None:
    assert run_stack(rule.POLICY, attachments(5), {"reservedPerTarget": 0}) == []


def test_other_policy_types_do_not_count() -> None:
    tag_policy = Res(ORG_POLICY, "tags", {"id": "p-0", "type": "TAG_POLICY"})
    assert run_stack(rule.POLICY, [tag_policy, *attachments(5)]) == []


def test_unknown_target_is_grouped_by_its_source() -> None:
    ou = Res("aws:organizations/organizationalUnit:OrganizationalUnit", "workloads", {"id": UNKNOWN})
    resources = [
        Res(
            ORG_POLICY_ATTACHMENT,
            f"scp-{i}",
            {"policyId": f"p-{i}", "targetId": UNKNOWN},
            property_dependencies={"targetId": [ou.urn]},
        )
        for i in range(5)
    ]
    assert [message[:60] for _, message in run_stack(rule.POLICY, [ou, *resources])] == [
        f"target (the id of {ou.urn}) has 5 SCP attachments"[:60]
    ]


def test_no_attachments_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, []) == []
