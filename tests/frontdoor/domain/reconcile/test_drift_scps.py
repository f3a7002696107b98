"""Planned SCP attachments not found live: detached by hand, never created, or impossible."""

from __future__ import annotations

from frontdoor.domain.reconcile import drift as kinds

PLAN = kinds.Plan(
    assignments=frozenset(),
    pending=frozenset(),
    permission_sets={},
    scp_attachments=frozenset({("deny-root", "ou-1"), ("deny-root", "ou-2"), ("region", "r-ab12")}),
)


def live(attachments: set[tuple[str, str]], found: set[str], *, enabled: bool = True) -> kinds.Live:
    return kinds.Live(
        assignments=(),
        permission_sets={},
        scp_attachments=frozenset(attachments),
        scps_found=frozenset(found),
        scp_policy_type_enabled=enabled,
        root_id="r-ab12",
    )


def test_an_existing_policy_without_its_attachment_is_detached() -> None:
    found = kinds.classify(
        PLAN,
        live({("deny-root", "ou-1"), ("region", "r-ab12")}, {"deny-root", "region"}),
        group_prefix="aws-",
    )
    assert found == [kinds.Finding(kinds.SCP_DETACHED, "deny-root -> ou-2", "planned, not attached")]


def test_a_policy_that_does_not_exist_was_never_created_not_detached() -> None:
    found = kinds.classify(PLAN, live({("region", "r-ab12")}, {"region"}), group_prefix="aws-")
    assert found == [
        kinds.Finding(
            kinds.SCP_NEVER_CREATED,
            "deny-root",
            "no SCP of this name exists in the organization (planned on ou-1, ou-2): never created, or "
            "deleted by hand; `pulumi up` creates and attaches it",
        )
    ]


def test_without_the_scp_policy_type_no_policy_can_exist() -> None:
    found = kinds.classify(PLAN, live(set(), set(), enabled=False), group_prefix="aws-")
    assert found == [
        kinds.Finding(
            kinds.SCP_POLICY_TYPE_DISABLED,
            "SERVICE_CONTROL_POLICY on r-ab12",
            "the SCP policy type is not enabled on the root, so none of the 2 planned SCPs exists "
            "(deny-root, region); enable it (`aws organizations enable-policy-type --root-id r-ab12 "
            "--policy-type SERVICE_CONTROL_POLICY`, docs/first-run.md step a2), then `pulumi up` creates and "
            "attaches them",
        )
    ]
    assert all(f.kind not in kinds.NOT_DRIFT for f in found)
