"""Make one AWS call answer with an error, at the HTTP layer, through botocore's own event hooks.

The local server cannot be told to throttle or refuse a single call; botocore's `before-send` event
lets a test answer one operation with the exact error response AWS sends (status, `__type`,
message). Everything above the HTTP layer runs for real: botocore's parsing, its retries, the
read side's error handling.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from frontdoor.live.aws import LiveSession


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def refuse(
    monkeypatch: pytest.MonkeyPatch, service: str, operation: str, code: str, message: str, status: int = 400
) -> Counter[str]:
    """Every `service` client a LiveSession makes answers `operation` with this error; returns the sends."""
    sent: Counter[str] = Counter()
    original = LiveSession.client

    def answer(request: Any, **_: Any) -> AWSResponse:
        sent[operation] += 1
        if service == "sts":  # the query protocol answers errors in XML
            body = (
                f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                "</Error><RequestId>refused</RequestId></ErrorResponse>"
            ).encode()
            headers = {"Content-Type": "text/xml"}
        else:
            body = json.dumps({"__type": code, "message": message}).encode()
            headers = {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.1"}
        return AWSResponse(request.url, status, headers, _Raw(body))  # type: ignore[arg-type]

    def client(self: LiveSession, name: str, *, region: str | None = None) -> Any:
        made = original(self, name, region=region)
        # One flag per operation: a test may refuse two operations of one service.
        flag = f"_refusing_{operation}"
        if name == service and not getattr(made, flag, False):
            made.meta.events.register(
                f"before-send.{made.meta.service_model.service_id.hyphenize()}.{operation}", answer
            )
            setattr(made, flag, True)
        return made

    monkeypatch.setattr(LiveSession, "client", client)
    return sent
