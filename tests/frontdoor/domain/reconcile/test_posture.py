"""The credential report's parsing and the migration-list classification, without AWS."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from frontdoor.domain.documents.posture_detectors import guard_rule
from frontdoor.domain.model.posture import PostureConfig
from frontdoor.domain.reconcile.posture import (
    BreakGlassIdentity,
    classify,
    match_person,
    parse_credential_report,
    parse_people,
)

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated\n"
)
# A real report's shape: the root row says not_supported for its password columns.
REPORT = HEADER + (
    "<root_account>,arn:aws:iam::111111111111:root,2019-01-01T00:00:00+00:00,not_supported,"
    "2026-11-01T08:00:00+00:00,not_supported,not_supported,true,true,2020-05-05T00:00:00+00:00,"
    "2026-06-01T10:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "breakglass-1,arn:aws:iam::111111111111:user/breakglass/breakglass-1,2024-01-01T00:00:00+00:00,true,"
    "no_information,2024-01-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
    "false,N/A,false,N/A\n"
    "svc-backup,arn:aws:iam::111111111111:user/svc-backup,2021-01-01T00:00:00+00:00,false,N/A,N/A,N/A,"
    "false,true,2021-01-01T00:00:00+00:00,2026-11-20T00:00:00+00:00,eu-west-1,s3,true,"
    "2022-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "ann.lee,arn:aws:iam::111111111111:user/ann.lee,2020-01-01T00:00:00+00:00,true,"
    "2025-02-01T00:00:00+00:00,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
)
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
GLASS = BreakGlassIdentity("111111111111", frozenset({"breakglass-1"}), "/breakglass/")


def test_the_report_is_parsed_with_paths_keys_and_dates() -> None:
    rows = {row.user: row for row in parse_credential_report(REPORT.encode())}
    assert rows["breakglass-1"].path == "/breakglass/"
    assert rows["svc-backup"].path == "/"
    backup = rows["svc-backup"]
    assert [(k.slot, k.last_used_service) for k in backup.active_keys] == [(1, "s3"), (2, None)]
    assert backup.last_used() == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    assert rows["<root_account>"].password_enabled is False


def test_classification_of_each_row() -> None:
    findings = classify(
        "111111111111",
        "management",
        parse_credential_report(REPORT),
        break_glass=GLASS,
        people=None,
        stale_days=90,
        now=NOW,
    )
    assert [(f.user, f.classification, f.violation, f.action) for f in findings] == [
        (
            "<root_account>",
            "root-key",
            True,
            "delete the root user's access keys (Security credentials of the root user); nothing should sign "
            "requests as root",
        ),
        ("breakglass-1", "break-glass", False, "keep (break-glass)"),
        (
            "svc-backup",
            "machine",
            True,
            "replace the keys with a role (GitHub OIDC or Vault-issued credentials), then delete the user",
        ),
        ("ann.lee", "stale", True, "delete the user: no credential used for 90+ days (last 2025-02-01)"),
    ]


def test_break_glass_needs_the_management_account_the_name_and_the_path() -> None:
    rows = parse_credential_report(REPORT)
    elsewhere = classify("222222222222", "dev", rows, break_glass=GLASS, people=None, stale_days=90, now=NOW)
    # Not break-glass there: a password never used since 2024 makes it stale.
    assert {f.user: f.classification for f in elsewhere}["breakglass-1"] == "stale"
    moved = BreakGlassIdentity("111111111111", frozenset({"breakglass-1"}), "/emergency/")
    same = classify("111111111111", "m", rows, break_glass=moved, people=None, stale_days=90, now=NOW)
    assert {f.user: f.classification for f in same}["breakglass-1"] == "stale"


def test_people_match_by_login_email_or_their_local_part() -> None:
    people = parse_people("Login,Email\nann.lee@acme.example,ann@acme.example\n", "hr.csv")
    assert match_person("ann.lee", people) == people[0]
    assert match_person("ANN", people) == people[0]
    assert match_person("ann@acme.example", people) == people[0]
    assert match_person("svc-backup", people) is None
    with pytest.raises(ValueError, match=r"hr\.csv: the people file needs a header with `login` and `email`"):
        parse_people("name\nann\n", "hr.csv")


def test_guard_rule_text() -> None:
    assert guard_rule("/breakglass/", ["b2", "b1"]).splitlines()[::2] == [
        'rule iam_user_is_break_glass when resourceType == "AWS::IAM::User" {',
        '    configuration.userName IN ["b1", "b2"] <<IAM users are not allowed outside the break-glass '
        "users at path /breakglass/: people sign in through Okta and IAM Identity Center, "
        "workloads use roles>>",
    ]


def test_the_break_glass_path_moved_to_guardrails() -> None:
    with pytest.raises(ValidationError) as raised:
        PostureConfig.model_validate({"breakGlassPath": "/breakglass/"})
    assert "the break-glass path moved to frontdoor:guardrails.breakGlassPath" in str(raised.value)
    assert "move it: frontdoor:guardrails.breakGlassPath: /breakglass/" in str(raised.value)
