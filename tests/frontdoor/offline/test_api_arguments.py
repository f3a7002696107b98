"""Every AWS string argument the program sets is judged against its botocore shape by the engine."""

from __future__ import annotations

from frontdoor.offline.api_arguments import NOT_SENT, NOT_SENT_BY_TYPE, STRING_ARGUMENTS
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult


def test_every_aws_string_argument_has_its_botocore_rule(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    set_by_program = {
        (r.type, key)
        for r in (*demo.run.resources, *breakglass_run.resources)
        if r.custom and r.type.startswith("aws:")
        for key, value in r.inputs.items()
        if isinstance(value, str) and key not in NOT_SENT and (r.type, key) not in NOT_SENT_BY_TYPE
    }
    assert len(set_by_program) > 50
    # A new argument (or resource type) must be mapped to the request member its provider sends.
    assert sorted(set_by_program - set(STRING_ARGUMENTS)) == []
