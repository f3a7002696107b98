"""The break-glass path check both stacks share (frontdoor/domain/model/fields.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from frontdoor.domain.model.break_glass import BreakGlassConfig
from frontdoor.domain.model.guardrails import GuardrailsConfig


@pytest.mark.parametrize("path", ["/", "breakglass/", "/breakglass", "/break glass/"])
def test_the_break_glass_path_refuses_what_iam_refuses_and_the_root_path(path: str) -> None:
    for build in (
        lambda: GuardrailsConfig(break_glass_path=path),
        lambda: BreakGlassConfig(user_names=["breakglass-1"], alert_emails=["a@example.com"], path=path),
    ):
        with pytest.raises(ValidationError) as raised:
            build()
        message = str(raised.value)
        if path == "/":
            assert "the root path '/' is every IAM user's default" in message
        else:
            assert "which IAM rejects for a user's Path (botocore iam model, shape pathType)" in message


def test_a_nested_path_iam_accepts_is_accepted() -> None:
    assert GuardrailsConfig(break_glass_path="/ops/breakglass/").break_glass_path == "/ops/breakglass/"
