"""boto3 sessions and clients for the read side: adaptive retries, bounded pools, counted calls.

One `LiveSession` per command: it owns the boto3 session (profile, region and endpoint come from
boto3's standard settings and environment, never from a test-only branch), counts every API call it
makes by operation (commands report their call count against the minimum the APIs allow), and turns
botocore's errors into `LiveError`s that name the account, the call and the fix.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.config
import botocore.exceptions

# Identity Center and the identity store share 20 TPS per instance; Organizations allows a few TPS per
# account. Adaptive retries back off on ThrottlingException and the client-side rate limiter keeps
# the steady state under the limit instead of retrying into it.
RETRIES: Mapping[str, Any] = {"mode": "adaptive", "max_attempts": 10}
# Worker threads that share one client: botocore's pool must be at least that large.
MAX_CONCURRENCY = 8
# The budget for an endpoint that does not answer (down, a wrong region or AWS_ENDPOINT_URL): with
# botocore's defaults (a 60 s connect timeout, RETRIES' attempts with backoff) that is 25-50 s of silence.
# Here: CONNECTION_ATTEMPTS attempts of at most CONNECT_TIMEOUT_SECONDS each, a progress line per
# retry, then one LiveError (exit 2). Backoff between them is at most 1 + 2 s (botocore's standard
# and adaptive modes: random up to 2^(attempt-1) s), so the worst case is CONNECTION_BUDGET_SECONDS.
CONNECTION_ATTEMPTS = 3
CONNECT_TIMEOUT_SECONDS = 5
CONNECTION_BUDGET_SECONDS = CONNECTION_ATTEMPTS * CONNECT_TIMEOUT_SECONDS + 3


class LiveError(Exception):
    """A live read failed for a reason the user can fix: the message names the call and the fix."""

    def __init__(self, message: str, *, account: str | None = None, operation: str | None = None):
        super().__init__(message)
        self.account = account
        self.operation = operation

    def render(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"account {self.account}" if self.account else "",
                f"call {self.operation}" if self.operation else "",
            )
            if part
        )
        return f"{where}: {self}" if where else str(self)


FIXES: Mapping[str, str] = {
    "AccessDenied": "grant the read-only role this action (docs/live-read.md lists the read policy)",
    "AccessDeniedException": "grant the read-only role this action (docs/live-read.md lists the read policy)",
    "AWSOrganizationsNotInUseException": "run against the management account of an AWS Organization",
    "ThrottlingException": "the call was throttled beyond the retries: run again, or lower the concurrency",
    "TooManyRequestsException": "the call was throttled beyond the retries: run again later",
    "ConflictException": "another change is in progress on the same object: run again once it finishes",
    "ExpiredToken": "the credentials expired: sign in again (aws sso login --profile ...)",
    "ExpiredTokenException": "the credentials expired: sign in again (aws sso login --profile ...)",
}


@dataclass
class LiveSession:
    """A boto3 session whose clients retry adaptively and whose calls are counted."""

    profile: str | None = None
    region: str | None = None
    account: str | None = None  # the account these credentials are in, for messages
    caller: str | None = None  # GetCallerIdentity's account, once read (organization.caller_account)
    calls: Counter[str] = field(default_factory=Counter)
    _session: boto3.Session | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # The call counter's own lock: `_lock` is held while a client is created (tens of ms of CPU), and
    # every call of every thread would wait for it in `_count` (measured: posture at 140 accounts
    # took 1.5x the plain-boto3 floor's wall time with one lock for both).
    _count_lock: threading.Lock = field(default_factory=threading.Lock)
    _clients: dict[tuple[str, str | None], Any] = field(default_factory=dict)
    # Credentials of an assumed role: its clients come from the parent's boto3 session (see `assume`).
    _credentials: dict[str, str] = field(default_factory=dict)
    # Where "waiting for ..." lines go while an endpoint does not answer (the command's progress).
    say: Callable[[str], None] = field(default=lambda _message: None)

    @property
    def session(self) -> boto3.Session:
        if self._session is None:
            try:
                self._session = boto3.Session(profile_name=self.profile, region_name=self.region)
            except botocore.exceptions.ProfileNotFound as error:
                raise LiveError(f"{error}: name a profile from ~/.aws/config with --profile") from error
        return self._session

    def client(self, service: str, *, region: str | None = None) -> Any:
        """One client per (service, region), shared by worker threads (botocore clients are thread-safe)."""
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                config = botocore.config.Config(
                    retries=dict(RETRIES),
                    max_pool_connections=MAX_CONCURRENCY * 2,
                    connect_timeout=CONNECT_TIMEOUT_SECONDS,
                )
                client = self.session.client(
                    service, region_name=region or self.region, config=config, **self._credentials
                )
                client.meta.events.register("before-call", self._count)
                # First, so a connection failure past the budget stops before botocore's own retry handler.
                client.meta.events.register_first(
                    "needs-retry", connection_retry_handler(f"{service}.{client.meta.region_name}", self.say)
                )
                self._clients[key] = client
            return self._clients[key]

    def _count(self, model: Any, **_: Any) -> None:
        with self._count_lock:
            self.calls[f"{model.service_model.service_name}:{model.name}"] += 1

    @property
    def call_count(self) -> int:
        with self._count_lock:
            return sum(self.calls.values())

    def assume(self, account_id: str, role_name: str, *, session_name: str = "frontdoor-read") -> LiveSession:
        """A session in another account through `role_name` there (the audit or read-only role)."""
        arn = f"arn:aws:iam::{account_id}:role/{role_name}"
        sts = self.client("sts")
        credentials = call(
            sts.assume_role,
            RoleArn=arn,
            RoleSessionName=session_name,
            account=account_id,
            fix=f"check that {arn} exists and trusts the caller",
        )["Credentials"]
        # Clients of the assumed role are made from this session with explicit credentials: a new
        # boto3 session per account would load every service model again (about a second per account
        # on a busy machine, most of a 140-account scan). The locks are shared too: the sessions share
        # the botocore session (client creation) and the call counter.
        return LiveSession(
            region=self.region or self.session.region_name,
            account=account_id,
            calls=self.calls,
            say=self.say,
            _session=self.session,
            _lock=self._lock,
            _count_lock=self._count_lock,
            _credentials={
                "aws_access_key_id": credentials["AccessKeyId"],
                "aws_secret_access_key": credentials["SecretAccessKey"],
                "aws_session_token": credentials["SessionToken"],
            },
        )


# Connecting failed (refused, timed out, no route, the proxy): a read timeout is an answer too slow,
# retried and reported as before (posture names it per account).
CONNECTION_ERRORS = (botocore.exceptions.ConnectionError,)


def connection_retry_handler(endpoint_name: str, say: Callable[[str], None]) -> Callable[..., None]:
    """A `needs-retry` handler: says what each connection retry waits for, and past CONNECTION_ATTEMPTS
    raises the connection error (botocore would retry it up to RETRIES' attempts). Other errors are
    left to botocore's retry handler (it returns None: the next handler decides)."""

    def handler(attempts: int, caught_exception: BaseException | None = None, **_: Any) -> None:
        if not isinstance(caught_exception, CONNECTION_ERRORS):
            return
        if attempts >= CONNECTION_ATTEMPTS:
            raise caught_exception
        say(
            f"waiting for {endpoint_name}: no answer ({type(caught_exception).__name__}), "
            f"retry {attempts} of {CONNECTION_ATTEMPTS - 1}"
        )

    return handler


@contextlib.contextmanager
def translated_errors(operation: str, *, account: str | None, fix: str | None) -> Iterator[None]:
    """botocore's errors become LiveErrors naming the account, the call and the fix (one place)."""
    try:
        yield
    except botocore.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        raise LiveError(
            f"{code}: {message}; fix: {fix or FIXES.get(code, 'see the error above')}",
            account=account,
            operation=operation,
        ) from error
    except botocore.exceptions.NoCredentialsError as error:
        raise LiveError(
            "no AWS credentials found: sign in (aws sso login --profile P) and pass --profile P, "
            "or set AWS_PROFILE",
            account=account,
            operation=operation,
        ) from error
    except CONNECTION_ERRORS as error:
        raise LiveError(
            f"cannot reach {error.kwargs.get('endpoint_url', 'the endpoint')} after {CONNECTION_ATTEMPTS} "
            f"attempts ({type(error).__name__}): check the region, the network and AWS_ENDPOINT_URL",
            account=account,
            operation=operation,
        ) from error


def call(operation: Any, /, *, account: str | None = None, fix: str | None = None, **params: Any) -> Any:
    """Call one boto3 operation; a botocore error becomes a LiveError naming the call and the fix."""
    with translated_errors(getattr(operation, "__name__", str(operation)), account=account, fix=fix):
        return operation(**params)


def paginate(
    client: Any,
    operation: str,
    result_key: str,
    *,
    account: str | None = None,
    fix: str | None = None,
    **params: Any,
) -> Iterator[Any]:
    """Every item of a paginated list call (every list call the read side makes goes through here)."""
    paginator = client.get_paginator(operation)
    with translated_errors(operation, account=account, fix=fix):
        for page in paginator.paginate(**params):
            yield from page.get(result_key, [])
