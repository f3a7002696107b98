"""The replacement gate over `pulumi preview --json`: fixtures in Pulumi's PreviewDigest format."""

from __future__ import annotations

import importlib
import inspect
import json
import keyword
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.gate import main
from frontdoor.domain.base.errors import ConfigError
from frontdoor.gate.allow import AllowEntry, AllowList, load_allow
from frontdoor.gate.evaluate import evaluate
from frontdoor.gate.identity_types import IDENTITY_TYPE_PREFIXES, IDENTITY_TYPES
from frontdoor.gate.preview_document import PreviewDocument, load_preview, urn_name, urn_type
from frontdoor.gate.render import as_json, render_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "preview"
REPO = Path(__file__).resolve().parents[3]
TODAY = date(2026, 6, 1)

P = "urn:pulumi:prod::frontdoor::"
PS = (
    P + "frontdoor:index:AccessPlatform$frontdoor:aws:PermissionSet"
    "$aws:ssoadmin/permissionSet:PermissionSet::DeveloperAccess"
)
ASSIGNMENT = P + (
    "frontdoor:index:TeamAccess$frontdoor:aws:AccountAssignments"
    "$aws:ssoadmin/accountAssignment:AccountAssignment::"
)
PUSH = (
    P + "frontdoor:index:AccessPlatform$frontdoor:okta:ScimProvisioning"
    "$okta:index/pushGroup:PushGroup::aws-payments-dev-push"
)
SCP_ATTACHMENT = (
    P + "frontdoor:index:AccessPlatform$frontdoor:aws:Guardrails"
    "$aws:organizations/policyAttachment:PolicyAttachment::deny-leave-organization/ou-a1b2-workloads"
)
RULE = (
    P
    + "frontdoor:index:TeamAccess$frontdoor:okta:BirthrightGroup$okta:group/rule:Rule::aws-payments-dev-rule"
)
READONLY_12 = ASSIGNMENT + "aws-payments-readonly/ReadOnlyAuditor/123456789012"
READONLY_14 = ASSIGNMENT + "aws-payments-readonly/ReadOnlyAuditor/123456789014"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main([*argv, "--json"], today=TODAY)
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def fixture(name: str) -> str:
    return str(FIXTURES / name)


# --- each fixture: exact exit code and exact URNs ------------------------------------------------


@pytest.mark.parametrize(
    ("preview", "allow", "exit_code", "blocked", "allowed"),
    [
        ("clean.json", None, 0, [], []),
        (
            "permission-set-rename.json",
            None,
            1,
            [
                PS,
                ASSIGNMENT + "aws-payments-dev/DeveloperAccess/123456789012",
                ASSIGNMENT + "aws-payments-dev/DeveloperAccess/123456789013",
            ],
            [],
        ),
        ("removed-push-mapping.json", None, 1, [PUSH], []),
        ("scp-attachment-delete.json", None, 1, [SCP_ATTACHMENT], []),
        ("non-identity-delete.json", None, 0, [], []),
        ("okta-rule-retarget.json", None, 1, [RULE], []),
        ("preview-error.json", None, 1, [], []),
        ("allowed-replacement.json", None, 1, [READONLY_12, READONLY_14], []),
        ("allowed-replacement.json", "allow-glob.json", 0, [], [READONLY_12, READONLY_14]),
        ("allowed-replacement.json", "allow-exact.yaml", 1, [READONLY_14], [READONLY_12]),
        ("allowed-replacement.json", "allow-expired.yaml", 1, [READONLY_12, READONLY_14], []),
    ],
)
def test_fixture_verdicts(
    capsys: pytest.CaptureFixture[str],
    preview: str,
    allow: str | None,
    exit_code: int,
    blocked: list[str],
    allowed: list[str],
) -> None:
    argv = [fixture(preview)] + (["--allow", fixture(allow)] if allow else [])
    code, result, err = run(capsys, *argv)
    assert code == exit_code
    assert result["exitCode"] == exit_code
    assert [change["urn"] for change in result["blocked"]] == blocked
    assert [change["urn"] for change in result["allowed"]] == allowed
    assert err == ""


def test_replacement_steps_are_grouped_per_resource_with_their_reasons() -> None:
    result = evaluate(load_preview(FIXTURES / "permission-set-rename.json"), AllowList(), today=TODAY)
    summary = [(change.kind, change.ops, change.reasons) for change in result.blocked]
    three = ("create-replacement", "replace", "delete-replaced")
    assert summary == [
        ("replace", three, ("name",)),
        ("replace", three, ("permissionSetArn",)),
        ("replace", three, ("permissionSetArn",)),
    ]


def test_default_preview_shape_with_only_the_logical_replace_step_is_gated() -> None:
    result = evaluate(load_preview(FIXTURES / "allowed-replacement.json"), AllowList(), today=TODAY)
    assert [(change.kind, change.ops, change.reasons) for change in result.blocked] == [
        ("replace", ("replace",), ("principalId",)),
        ("replace", ("replace",), ("principalId",)),
    ]


def test_preview_errors_block_even_without_gated_steps(capsys: pytest.CaptureFixture[str]) -> None:
    _, result, _ = run(capsys, fixture("preview-error.json"))
    assert len(result["previewErrors"]) == 1
    assert "marked for protection" in result["previewErrors"][0]


def test_the_json_document_names_op_type_urn_reasons_and_fix(capsys: pytest.CaptureFixture[str]) -> None:
    _, result, _ = run(capsys, fixture("scp-attachment-delete.json"))
    assert result["blocked"] == [
        {
            "op": "delete",
            "ops": ["delete"],
            "type": "aws:organizations/policyAttachment:PolicyAttachment",
            "urn": SCP_ATTACHMENT,
            "reasons": [],
            "why": IDENTITY_TYPES["aws:organizations/policyAttachment:PolicyAttachment"],
            "fix": "revert the removal (if it was renamed or moved, add an alias to its old URN), "
            "or allow it in an allow file (--allow FILE) with a reason",
        }
    ]


# --- render_text ---------------------------------------------------------------------------------


def test_render_text_for_a_removed_push_mapping() -> None:
    preview = load_preview(FIXTURES / "removed-push-mapping.json")
    allow = load_allow(FIXTURES / "allow-exact.yaml")
    text = render_text(evaluate(preview, allow, today=TODAY))
    source = str(FIXTURES / "removed-push-mapping.json")
    allow_file = str(FIXTURES / "allow-exact.yaml")
    assert text == "\n".join(
        [
            f"frontdoor gate: BLOCKED: 1 identity resource would be deleted or replaced ({source}, 2 steps)",
            "",
            "blocked (1):",
            "  delete   okta:index/pushGroup:PushGroup",
            f"    urn:     {PUSH}",
            "    ops:     delete",
            "    reasons: removed from the program, or its URN changed",
            "    why:     a Group Push mapping: removing it can delete the Identity Center group; a re-push "
            "gets a new id and every assignment on the old one breaks (F11)",
            "    fix:     revert the removal (if it was renamed or moved, add an alias to its old URN), "
            f"or allow it in {allow_file} with a reason",
            "",
            "allow entries that matched nothing (remove them once the change has shipped):",
            f"  {READONLY_12}",
        ]
    )


def test_render_text_pass_lists_what_was_allowed() -> None:
    preview = load_preview(FIXTURES / "allowed-replacement.json")
    allow = load_allow(FIXTURES / "allow-glob.json")
    text = render_text(evaluate(preview, allow, today=TODAY))
    assert text.startswith("frontdoor gate: PASS: no identity resource is deleted or replaced (")
    assert f"allowed by {FIXTURES / 'allow-glob.json'} (2):" in text
    assert "    allowed: CHG-4821: aws-payments-readonly was re-pushed" in text


# --- the allow file ------------------------------------------------------------------------------


def test_exact_entry_matches_only_its_urn() -> None:
    entry = AllowEntry(urn=READONLY_12, reason="r")
    assert entry.matches(READONLY_12)
    assert not entry.matches(READONLY_14)


def test_glob_entry_matches_across_parents_and_accounts() -> None:
    # The type is a wildcard here, so the entry needs an expiry (issue 13 item 6).
    entry = AllowEntry(
        urn="urn:pulumi:prod::frontdoor::*::aws-payments-readonly/ReadOnlyAuditor/*",
        reason="r",
        expires=date(2099, 12, 31),
    )
    assert entry.matches(READONLY_12)
    assert entry.matches(READONLY_14)
    assert not entry.matches(ASSIGNMENT + "aws-payments-dev/DeveloperAccess/123456789012")
    assert not entry.matches(READONLY_12.replace("urn:pulumi:prod::", "urn:pulumi:staging::"))


def test_yaml_and_json_allow_files_load_the_same_shape() -> None:
    exact = load_allow(FIXTURES / "allow-exact.yaml")
    glob = load_allow(FIXTURES / "allow-glob.json")
    assert [(entry.urn, entry.expires) for entry in exact.entries] == [(READONLY_12, date(2099, 12, 31))]
    assert [entry.expires for entry in glob.entries] == [date(2099, 12, 31)]
    assert exact.source == str(FIXTURES / "allow-exact.yaml")


def test_entry_allows_through_its_expiry_day_and_not_after() -> None:
    preview = load_preview(FIXTURES / "allowed-replacement.json")
    allow = load_allow(FIXTURES / "allow-expired.yaml")
    on_the_day = evaluate(preview, allow, today=date(2025, 1, 31))
    assert on_the_day.exit_code == 0
    assert on_the_day.expired == ()
    day_after = evaluate(preview, allow, today=date(2025, 2, 1))
    assert day_after.exit_code == 1
    assert [entry.urn for entry in day_after.expired] == [allow.entries[0].urn]
    assert "expired allow entries, ignored (today is 2025-02-01):" in render_text(day_after)


def test_missing_reason_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    allow_file = fixture("allow-missing-reason.yaml")
    code = main([fixture("allowed-replacement.json"), "--allow", allow_file])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (
        "frontdoor gate: bad input\n"
        f"{allow_file}: allow[0].reason: missing (got nothing). Fix: say why this deletion or replacement "
        "is intended and who reviewed it; an exception without a reason is not an exception\n"
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        (
            "allow:\n  - urn: 'urn:pulumi:prod::frontdoor::*'\n    reason: '  '\n",
            "allow[0].reason: must not be empty (got '  ')",
        ),
        (
            "allow:\n  - urn: '*'\n    reason: everything\n",
            "allow[0].urn: must be a URN or URN glob starting with urn:pulumi: (got '*')",
        ),
        (
            "allow:\n  - urn: 'urn:pulumi:prod::frontdoor::*'\n    reason: r\n    expiry: 2026-01-01\n",
            "allow[0].expiry: unknown key (got datetime.date(2026, 1, 1)). Fix: remove it or fix its "
            "spelling (the file has `allow`; an entry has `urn`, `reason` and optionally `expires`)",
        ),
        (
            '{"allow": [{"urn": "urn:pulumi:prod::frontdoor::*", "reason": "r", "expires": "2026-02-30"}]}',
            "allow[0].expires: must be a calendar date written YYYY-MM-DD (got '2026-02-30')",
        ),
        (
            "allow:\n  - urn: 'urn:pulumi:prod::frontdoor::*'\n    reason: r\n    expires: 20260101\n",
            "allow[0].expires: must be a calendar date written YYYY-MM-DD (got 20260101)",
        ),
        (
            "- urn: 'urn:pulumi:prod::frontdoor::*'\n  reason: r\n",
            "(document): the document is a list, not a mapping with an `allow` list",
        ),
    ],
)
def test_bad_allow_entries_are_refused(tmp_path: Path, text: str, rendered: str) -> None:
    path = write(tmp_path, "allow.yaml", text)
    with pytest.raises(ConfigError) as raised:
        load_allow(path)
    assert raised.value.render().startswith(f"{path}: {rendered}")


def test_an_impossible_yaml_date_is_bad_input_not_a_traceback(tmp_path: Path) -> None:
    path = write(
        tmp_path, "allow.yaml", "allow:\n  - urn: 'urn:pulumi:x'\n    reason: r\n    expires: 2026-13-01\n"
    )
    with pytest.raises(ConfigError) as raised:
        load_allow(path)
    assert raised.value.render().startswith(
        f"{path}: (document): not valid YAML or JSON: month must be in 1..12"
    )


def test_an_empty_allow_file_allows_nothing(tmp_path: Path) -> None:
    allow = load_allow(write(tmp_path, "allow.yaml", "# nothing allowed right now\n"))
    assert allow.entries == ()


def test_unused_entries_are_reported_but_do_not_block() -> None:
    preview = load_preview(FIXTURES / "clean.json")
    result = evaluate(preview, load_allow(FIXTURES / "allow-exact.yaml"), today=TODAY)
    assert result.exit_code == 0
    assert [entry.urn for entry in result.unused] == [READONLY_12]
    assert as_json(result)["unusedAllows"][0]["urn"] == READONLY_12


# --- bad preview input ---------------------------------------------------------------------------


def test_malformed_json_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    path = fixture("malformed.json")
    assert main([path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "frontdoor gate: bad input\n"
        f"{path}: (document): not valid JSON: Expecting value at line 1 column 1 "
        "(got 'Previewing update (p'). "
        "Fix: pass only the stdout of `pulumi preview --json`; progress, warnings and logs go to stderr, "
        "so redirect them apart: `pulumi preview --json > preview.json 2> preview.log`\n"
    )


def test_json_without_steps_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    path = fixture("no-steps.json")
    assert main([path]) == 2
    assert capsys.readouterr().err == (
        "frontdoor gate: bad input\n"
        f"{path}: steps: missing: every `pulumi preview --json` lists its steps, the stack itself at the "
        "least (got nothing). Fix: run `pulumi preview --json > preview.json` and pass that file "
        "(stdout only)\n"
    )


def test_bad_input_with_json_flag_prints_a_json_error_document(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([fixture("no-steps.json"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    assert out["exitCode"] == 2
    assert [(error["field"], error["value"]) for error in out["errors"]] == [("steps", None)]


def test_a_missing_preview_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "preview.json"
    assert main([str(path)]) == 2
    assert capsys.readouterr().err == (
        "frontdoor gate: bad input\n"
        f"{path}: (file): no such file (got '{path}'). "
        "Fix: run `pulumi preview --json > preview.json` and pass that file (stdout only)\n"
    )


def test_a_step_without_op_names_its_index(tmp_path: Path) -> None:
    path = write(tmp_path, "preview.json", json.dumps({"steps": [{"op": "same", "urn": "u"}, {"urn": "u2"}]}))
    with pytest.raises(ConfigError) as raised:
        load_preview(path)
    assert raised.value.render() == (
        f"{path}: steps[1].op: missing (got nothing). Fix: each step needs its `op` string "
        "(create, update, delete, replace …); run `pulumi preview --json > preview.json` and pass that "
        "file (stdout only)"
    )


def test_stack_export_is_recognised(tmp_path: Path) -> None:
    path = write(tmp_path, "state.json", json.dumps({"version": 3, "deployment": {}}))
    with pytest.raises(ConfigError, match=re.escape("(this looks like `pulumi stack export`)")):
        load_preview(path)


def test_unknown_arguments_exit_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--nope"]) == 2
    assert "usage: frontdoor gate" in capsys.readouterr().err


# --- step semantics ------------------------------------------------------------------------------


def document(*steps: dict[str, Any]) -> PreviewDocument:
    return PreviewDocument.model_validate({"steps": list(steps)}).model_copy(update={"source": "p.json"})


def gated(*steps: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    result = evaluate(document(*steps), AllowList(), today=TODAY)
    return [(change.urn, change.kind, change.reasons) for change in result.blocked]


def test_type_comes_from_new_state_then_old_state_then_the_urn() -> None:
    assert gated({"op": "delete", "urn": PS}) == [(PS, "delete", ())]
    renamed_type = {
        "op": "delete",
        "urn": P + "x$y::n",
        "oldState": {"type": "aws:ssoadmin/permissionSet:PermissionSet"},
    }
    assert gated(renamed_type) == [(P + "x$y::n", "delete", ())]


def test_urn_parsing() -> None:
    assert urn_type(PS) == "aws:ssoadmin/permissionSet:PermissionSet"
    assert urn_type(P + "aws:s3/bucketV2:BucketV2::b") == "aws:s3/bucketV2:BucketV2"
    assert urn_type("not-a-urn") == ""
    assert urn_name(P + "okta:group/group:Group::a::b") == "a::b"


@pytest.mark.parametrize(
    "op",
    ["same", "create", "read", "refresh", "import", "discard", "discard-replaced", "remove-pending-replace"],
)
def test_ops_that_never_delete_pass(op: str) -> None:
    assert gated({"op": op, "urn": PS}) == []


@pytest.mark.parametrize(
    "op",
    ["delete", "replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"],
)
def test_ops_that_delete_or_replace_are_gated(op: str) -> None:
    assert len(gated({"op": op, "urn": PS})) == 1


def test_an_unknown_op_fails_closed_on_identity_and_passes_elsewhere() -> None:
    assert gated({"op": "obliterate", "urn": PS}) == [
        (PS, "unknown", ("op 'obliterate' is unknown to the gate",))
    ]
    assert gated({"op": "obliterate", "urn": P + "aws:s3/bucketV2:BucketV2::b"}) == []


def test_frontdoor_components_and_providers_are_not_physical() -> None:
    component = (
        P + "frontdoor:index:TeamAccess$frontdoor:aws:AccountAssignments::aws-payments-dev/DeveloperAccess"
    )
    provider = P + "pulumi:providers:okta::okta"
    assert gated({"op": "delete", "urn": component}, {"op": "replace", "urn": provider}) == []


def test_an_update_reporting_replace_kind_diffs_counts_as_a_replacement() -> None:
    step = {
        "op": "update",
        "urn": PS,
        "detailedDiff": {"name": {"kind": "update-replace", "inputDiff": False}},
    }
    assert gated(step) == [(PS, "replace", ("name",))]


def test_an_in_place_update_of_a_permission_set_passes() -> None:
    step = {
        "op": "update",
        "urn": PS,
        "diffReasons": ["description"],
        "detailedDiff": {"description": {"kind": "update"}},
    }
    assert gated(step) == []


def test_okta_rule_expression_update_passes_but_retargeting_is_gated() -> None:
    expression = {"op": "update", "urn": RULE, "diffReasons": ["expressionValue"], "detailedDiff": None}
    retarget = {"op": "update", "urn": RULE, "diffReasons": ["groupAssignments"], "detailedDiff": None}
    assert gated(expression) == []
    assert gated(retarget) == [
        (RULE, "update", ("groupAssignments: Okta re-creates the rule, so members are removed and re-added",))
    ]


APP_GROUPS = P + "okta:index/appGroupAssignments:AppGroupAssignments::aws-app-groups"


def test_app_group_assignments_removing_a_group_is_gated_adding_one_is_not() -> None:
    added = {"op": "update", "urn": APP_GROUPS, "detailedDiff": {"groups[3]": {"kind": "add"}}}
    removed = {"op": "update", "urn": APP_GROUPS, "detailedDiff": {"groups[3]": {"kind": "delete"}}}
    assert gated(added) == []
    assert gated(removed) == [(APP_GROUPS, "update", ("groups[3]: group unassigned from the app",))]


def test_arming_a_push_mapping_to_delete_its_target_group_is_gated() -> None:
    def flip(value: bool) -> dict[str, Any]:
        return {
            "op": "update",
            "urn": PUSH,
            "newState": {
                "type": "okta:index/pushGroup:PushGroup",
                "inputs": {"deleteTargetGroupOnDestroy": value},
            },
            "diffReasons": ["deleteTargetGroupOnDestroy"],
        }

    assert gated(flip(False)) == []
    assert [kind for _, kind, _ in gated(flip(True))] == ["update"]


def test_a_delete_next_to_a_create_of_the_same_resource_suggests_an_alias() -> None:
    moved = P + "frontdoor:okta:Scim$okta:index/pushGroup:PushGroup::aws-payments-dev-push"
    result = evaluate(
        document({"op": "delete", "urn": PUSH}, {"op": "create", "urn": moved}), AllowList(), today=TODAY
    )
    assert result.blocked[0].fix.startswith(f"this preview also creates {moved}: if that is this resource")
    assert f"add aliases=[{PUSH!r}]" in result.blocked[0].fix


# --- the type list is real -----------------------------------------------------------------------


@pytest.mark.parametrize("token", sorted(IDENTITY_TYPES))
def test_every_gated_type_token_exists_in_the_pinned_sdk(token: str) -> None:
    package, rest = token.split(":", 1)
    module_path, class_name = rest.split(":")
    module = module_path.split("/")[0]
    # A module named like a Python keyword gets a trailing underscore (pulumi_aws.lambda_).
    module = f"{module}_" if keyword.iskeyword(module) else module
    python_module = f"pulumi_{package}" if module == "index" else f"pulumi_{package}.{module}"
    resource_class = getattr(importlib.import_module(python_module), class_name)
    assert f"'{token}'" in inspect.getsource(resource_class)


def test_every_gated_type_is_documented() -> None:
    text = (REPO / "docs" / "gate.md").read_text()
    missing = [token for token in [*IDENTITY_TYPES, *IDENTITY_TYPE_PREFIXES] if f"`{token}" not in text]
    assert missing == []
