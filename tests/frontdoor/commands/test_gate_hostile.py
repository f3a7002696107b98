"""Hostile input to the gate (issue 13 items 6, 8, 12 and duplicate keys): exact exit code and message."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from frontdoor.commands.gate import main
from frontdoor.domain.base.errors import ConfigError
from frontdoor.gate import strict_json
from frontdoor.gate.allow import load_allow
from frontdoor.gate.evaluate import evaluate
from frontdoor.gate.preview_document import load_preview

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "preview"
PREVIEW_RUN = "Fix: run `pulumi preview --json > preview.json` and pass that file (stdout only)"
STEP = '{"op": "same", "urn": "urn:pulumi:prod::frontdoor::pulumi:pulumi:Stack::frontdoor-prod"}'
PS = "urn:pulumi:prod::frontdoor::*$aws:ssoadmin/permissionSet:PermissionSet::DeveloperAccess"


def gate_err(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv), today=date(2026, 6, 1))
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# --- the preview document --------------------------------------------------------------------------


def test_an_empty_step_list_is_not_a_preview(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", '{"steps": []}')
    assert gate_err(capsys, path) == (
        2,
        "frontdoor gate: bad input\n"
        f"{path}: steps: empty: a preview lists every resource of the stack, the stack itself at the "
        f"least (got []). {PREVIEW_RUN}\n",
    )


def test_a_key_repeated_in_a_step_names_both_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The standard library keeps the last `op`: this delete would pass as `same`.
    path = write(tmp_path, "p.json", '{"steps": [\n  {"op": "delete", "urn": "u",\n   "op": "same"}]}')
    assert gate_err(capsys, path) == (
        2,
        "frontdoor gate: bad input\n"
        f"{path}: (document): key 'op' appears twice in one object, at line 2 column 4 and at line 3 "
        "column 4; a JSON reader keeps only one of them, which silently changes what the file says "
        "(got 'op'). Fix: remove one of the two (keep the one you mean)\n",
    )


def test_a_second_steps_member_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", f'{{"steps": [{STEP}],\n"steps": [{STEP}]}}')
    code, err = gate_err(capsys, path)
    assert code == 2
    assert "key 'steps' appears twice in one object, at line 1 column 2 and at line 2 column 1;" in err


def test_deeply_nested_json_is_bad_input_not_a_recursion_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = "[" * 200_000 + "]" * 200_000
    path = write(tmp_path, "p.json", f'{{"steps": [{STEP}, {{"op": "same", "urn": "u", "x": {nested}}}]}}')
    code, err = gate_err(capsys, path)
    assert code == 2
    column = len('{"steps": [') + len(STEP) + 3  # the step that nests too deeply
    assert err.startswith(
        f"frontdoor gate: bad input\n{path}: (document): nested too deeply to read at line 1 "
        f"column {column}: "
        "a `pulumi preview --json` document is a few levels deep (got '"
    )
    assert err.endswith(f"'). {PREVIEW_RUN}\n")


def test_json_after_the_document_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "p.json", f'{{"steps": [{STEP}]}}\n{{"steps": []}}')
    with pytest.raises(ConfigError, match=r"not valid JSON: Extra data at line 2 column 1"):
        load_preview(Path(path))


def test_the_streaming_read_is_the_same_at_any_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = load_preview(FIXTURES / "permission-set-rename.json")
    monkeypatch.setattr(strict_json, "CHUNK", 7)  # every token crosses a chunk boundary somewhere
    chunked = load_preview(FIXTURES / "permission-set-rename.json")
    assert chunked == whole
    assert chunked.total_steps == len(
        json.loads((FIXTURES / "permission-set-rename.json").read_text())["steps"]
    )


def test_only_identity_steps_are_kept_and_every_step_is_counted(tmp_path: Path) -> None:
    steps = [
        json.loads(STEP),
        {"op": "delete", "urn": "urn:pulumi:prod::frontdoor::aws:s3/bucket:Bucket::logs"},
        {
            "op": "delete",
            "urn": PS.replace("*", "frontdoor:index:AccessPlatform"),
            "oldState": {"type": "aws:ssoadmin/permissionSet:PermissionSet", "outputs": {"arn": "x" * 1000}},
        },
    ]
    preview = load_preview(Path(write(tmp_path, "p.json", json.dumps({"steps": steps}))))
    assert preview.total_steps == 3
    assert [step.urn for step in preview.steps] == [steps[2]["urn"]]
    assert preview.steps[0].old_state is not None and preview.steps[0].old_state.outputs == {}


# --- the allow file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urn", "expires", "problem", "fix"),
    [
        (
            "urn:pulumi:*",
            None,
            "a pattern must name its stack and project exactly (urn:pulumi:<stack>::<project>::…); a "
            "wildcard there allows deletions in every stack",
            "copy the URN from the gate's output and replace only the parents, the name or the account "
            "with `*`",
        ),
        (
            "urn:pulumi:prod::*::x",
            "2099-12-31",
            "a pattern must name its stack and project exactly (urn:pulumi:<stack>::<project>::…); a "
            "wildcard there allows deletions in every stack",
            "copy the URN from the gate's output and replace only the parents, the name or the account "
            "with `*`",
        ),
        (
            "urn:pulumi:prod::frontdoor::*",
            None,
            "this pattern matches more than one resource type, so it needs an expiry",
            "add `expires: YYYY-MM-DD` (the last day the exception holds), or name the type: "
            "urn:pulumi:<stack>::<project>::*$<type>::<name pattern>",
        ),
        (
            "urn:pulumi:prod::frontdoor::*$aws:ssoadmin/*::x",
            None,
            "this pattern matches more than one resource type, so it needs an expiry",
            "add `expires: YYYY-MM-DD` (the last day the exception holds), or name the type: "
            "urn:pulumi:<stack>::<project>::*$<type>::<name pattern>",
        ),
    ],
)
def test_broad_allow_patterns_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], urn: str, expires: str | None, problem: str, fix: str
) -> None:
    until = f"\n    expires: {expires}" if expires else ""
    allow = write(tmp_path, "allow.yaml", f"allow:\n  - urn: '{urn}'\n    reason: everything{until}\n")
    code, err = gate_err(capsys, str(FIXTURES / "clean.json"), "--allow", allow)
    assert (code, err) == (
        2,
        f"frontdoor gate: bad input\n{allow}: allow[0].urn: {problem} (got {urn!r}). Fix: {fix}\n",
    )


@pytest.mark.parametrize(
    "urn",
    [
        "urn:pulumi:prod::frontdoor::*$aws:ssoadmin/accountAssignment:AccountAssignment::aws-payments-dev/*",
        "urn:pulumi:prod::frontdoor::frontdoor:index:TeamAccess$okta:group/rule:Rule::aws-payments-?ev-rule",
    ],
)
def test_narrow_patterns_need_no_expiry(tmp_path: Path, urn: str) -> None:
    allow = load_allow(Path(write(tmp_path, "allow.yaml", f"allow:\n  - urn: '{urn}'\n    reason: r\n")))
    assert [entry.urn for entry in allow.entries] == [urn]


def test_a_broad_pattern_with_an_expiry_is_accepted(tmp_path: Path) -> None:
    text = "allow:\n  - urn: 'urn:pulumi:prod::frontdoor::*::x/*'\n    reason: r\n    expires: 2026-07-01\n"
    assert [e.expires for e in load_allow(Path(write(tmp_path, "a.yaml", text))).entries] == [
        date(2026, 7, 1)
    ]


def test_a_key_repeated_in_the_allow_file_names_both_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    allow = write(tmp_path, "allow.yaml", f"allow:\n  - urn: '{PS}'\n    reason: a\n    reason: b\n")
    assert gate_err(capsys, str(FIXTURES / "clean.json"), "--allow", allow) == (
        2,
        f"frontdoor gate: bad input\n{allow}: (document): key 'reason' appears twice in one mapping, at "
        "line 3 and at line 4; a YAML reader keeps only the last, which silently changes what is allowed "
        "(got 'reason'). Fix: remove one of the two (keep the one you mean)\n",
    )


def test_a_second_allow_list_in_json_is_refused(tmp_path: Path) -> None:
    text = f'{{"allow": [],\n "allow": [{{"urn": "{PS}", "reason": "r"}}]}}'
    with pytest.raises(
        ConfigError, match=r"key 'allow' appears twice in one mapping, at line 1 and at line 2"
    ):
        load_allow(Path(write(tmp_path, "allow.json", text)))


def test_a_deeply_nested_allow_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_allow(Path(write(tmp_path, "allow.yaml", "allow: " + "[" * 5000 + "]" * 5000)))
    assert raised.value.render() == (
        f"{tmp_path / 'allow.yaml'}: (document): nested too deeply to read (an allow file is a list of flat "
        "entries) (got nothing). Fix: write an allow file such as `allow: [{urn: <urn>, reason: <why>, "
        "expires: 2026-12-31}]`"
    )


# --- the clock ---------------------------------------------------------------------------------------


def test_the_gate_takes_today_from_frontdoor_today(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(FIXTURES / "allowed-replacement.json"), "--allow", str(FIXTURES / "allow-expired.yaml")]
    monkeypatch.setenv("FRONTDOOR_TODAY", "2025-01-31")
    assert main(argv) == 0
    monkeypatch.setenv("FRONTDOOR_TODAY", "2025-02-01")
    assert main(argv) == 1
    assert "expired allow entries, ignored (today is 2025-02-01):" in capsys.readouterr().out


def test_changes_are_listed_by_urn_whatever_the_step_order() -> None:
    preview = load_preview(FIXTURES / "permission-set-rename.json")
    backwards = preview.model_copy(update={"steps": list(reversed(preview.steps))})
    allow = load_allow(None)
    forward_urns = [c.urn for c in evaluate(preview, allow, today=date(2026, 6, 1)).changes]
    assert forward_urns == sorted(forward_urns)
    assert [c.urn for c in evaluate(backwards, allow, today=date(2026, 6, 1)).changes] == forward_urns
