"""`frontdoor calendar`: every dated item with days left, pinned by FRONTDOOR_TODAY; exit 1 when past."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdoor.commands.cli import main

REPO = Path(__file__).resolve().parents[3]
STACKS = str(REPO / "stacks")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["calendar", "--stacks-dir", STACKS, *args])
    return code, capsys.readouterr().out


def test_the_demo_calendar(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2026-11-28")
    code, out = _run(capsys)
    assert code == 0
    assert out.splitlines() == [
        "Expiry calendar as of 2026-11-28:",
        "due         days left  status    stack       kind              item",
        "2026-12-05  7          due-soon  demo        time-bound-grant  aws-incident-4711-admin (CHG0041234)",
        "2026-12-14  16         due-soon  breakglass  break-glass-test  break-glass sign-in test "
        "(breakglass-1, breakglass-2)",
        "2027-03-14  106        ok        demo        saml-certificate  AWS IAM Identity Center SAML signing "
        "certificate",
        "2027-09-30  306        ok        demo        scim-token        Okta -> Identity Center SCIM bearer "
        "token",
    ]


def test_a_past_item_exits_1_and_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2027-03-15")
    code, out = _run(capsys, "--stack", "demo", "--json")
    assert code == 1
    document = json.loads(out)
    assert document["today"] == "2027-03-15"
    assert [(i["kind"], i["daysLeft"], i["status"]) for i in document["items"]] == [
        ("time-bound-grant", -100, "past"),
        ("saml-certificate", -1, "past"),
        ("scim-token", 199, "ok"),
    ]
    assert document["items"][1]["action"] == "rotate it in two phases (docs/saml-certificate-rotation.md)"


def test_bad_stack_config_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (REPO / "stacks" / "Pulumi.demo.yaml").read_text()
    bad = text.replace('samlCertificateExpiresOn: "2027-03-14"', 'samlCertificateExpiresOn: "14/03/2027"')
    (tmp_path / "Pulumi.demo.yaml").write_text(bad)
    code = main(["calendar", "--stacks-dir", str(tmp_path)])
    assert code == 2
    assert str(tmp_path / "Pulumi.demo.yaml") + ": frontdoor:okta.samlCertificateExpiresOn:" in (
        capsys.readouterr().err
    )
