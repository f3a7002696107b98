"""The break-glass stack: its own stack config, previewed offline, judged by the same pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.offline.preview import PreviewResult

REPO = Path(__file__).resolve().parents[3]


def test_break_glass_stack_registers_only_break_glass_and_passes_the_pack(breakglass: PreviewResult) -> None:
    result = breakglass  # run_preview(resolve_inputs("breakglass")), once per session: tests/conftest.py
    counts = result.run.counts_by_type()
    assert counts["aws:iam/user:User"] == 2
    assert counts["frontdoor:aws:BreakGlass"] == 1
    assert counts["pulumi:providers:aws"] == 1  # the management account's, nothing else
    assert not [t for t in counts if t.startswith(("okta:", "aws:ssoadmin/", "aws:organizations/"))]
    assert [v.as_json() for v in result.violations] == []
    assert result.run.outputs["breakGlassUserNames"].value == ["breakglass-1", "breakglass-2"]
    assert all(r.protect for r in result.run.resources if r.custom and not r.type.startswith("pulumi:"))


def test_an_unlisted_iam_user_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack = (REPO / "stacks" / "Pulumi.breakglass.yaml").read_text()
    (tmp_path / "Pulumi.breakglass.yaml").write_text(stack)
    # The pack config allow-lists the users the stack config names; an override narrowing it to
    # one user makes the other a violation.
    (tmp_path / "policy-config.breakglass.json").write_text(
        json.dumps({"no-iam-users": {"breakGlassUsers": ["breakglass-1"]}})
    )
    code = main(
        ["preview", "--stack", "breakglass", "--config", str(tmp_path / "Pulumi.breakglass.yaml"), "--json"]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [
        (v["policy"], v["enforcement"], v["urn"].rsplit("::", 1)[-1]) for v in document["violations"]
    ] == [("no-iam-users", "mandatory", "break-glass/breakglass-2")]
