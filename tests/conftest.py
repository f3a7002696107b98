"""Suite-wide settings, and the demo stack's preview run once per test session for every test that reads it.

The demo preview (program + pack) is the suite's most expensive step; no test repeats it. Tests that read
its result take the `demo` fixture; tests that drive a command which would preview the demo stack again
(access-report, preview, jml, drift, adopt...) take `demo_preview_reused`, which hands the command this
session's result and refuses to let the program run a second time. A test that plants a defect in what
a shared preview registered plants it in a copy: after every test that holds a shared preview, the preview
must read as it did when it was made (`shared_previews_unchanged`), or that test fails.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Dates in the demo stack (the SCIM token's expiry, time-bound grants) are judged against a fixed
# day, so the suite passes the same way next year. The pack process inherits it from this process.
os.environ.setdefault("FRONTDOOR_TODAY", "2026-11-28")

# The collector thresholds the program and the pack run with (frontdoor/program/build.py GC_THRESHOLDS,
# policy/__main__.py): a full collection after 1,000 middle-generation ones instead of 10. This process
# holds the SDKs, the session's previews and the local AWS server (about a million objects), and with the
# default thresholds it re-scanned all of them again and again: a quarter of the suite's CPU time. Each
# program run still starts by collecting the young generations and freezing the rest
# (frontdoor.program.tune_garbage_collection).
gc.set_threshold(700, 50, 1000)

from frontdoor.domain.config.files import provider_settings  # noqa: E402  (after FRONTDOOR_TODAY is set)
from frontdoor.offline import people_report  # noqa: E402
from frontdoor.offline import preview as offline_preview  # noqa: E402
from frontdoor.offline.engine import ProgramRun  # noqa: E402
from frontdoor.offline.estate import Estate, load_estate  # noqa: E402
from frontdoor.offline.preview import PreviewInputs, PreviewResult, resolve_inputs, run_preview  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO_CONFIG = REPO / "stacks" / "Pulumi.demo.yaml"
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"


# The session-scoped previews every test shares, and the fingerprint each had when it was made.
SHARED_PREVIEWS = ("demo", "breakglass")
_SHARED: dict[str, tuple[PreviewResult, bytes]] = {}


def preview_fingerprint(preview: PreviewResult) -> bytes:
    """A digest of everything a preview holds: each record's inputs, outputs and options, the outputs,
    warnings, violations, the estate."""
    return hashlib.sha256(pickle.dumps(preview, protocol=pickle.HIGHEST_PROTOCOL)).digest()


def _shared(name: str, preview: PreviewResult) -> PreviewResult:
    _SHARED[name] = (preview, preview_fingerprint(preview))
    return preview


@pytest.fixture(autouse=True)
def shared_previews_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test that changed a shared preview in place (a planted defect belongs in a copy:
    `copy.deepcopy(dict(record.inputs))`), instead of every later test that reads it."""
    yield
    for name in SHARED_PREVIEWS:
        if name not in request.fixturenames or name not in _SHARED:
            continue
        preview, fingerprint = _SHARED[name]
        # A module may define its own fixture of the same name (tests/frontdoor/live/test_simulator.py's
        # `demo` is the stack config): only the session's preview is compared.
        if request.getfixturevalue(name) is preview:
            now = preview_fingerprint(preview)
            if now != fingerprint:
                _SHARED[name] = (preview, now)  # blame this test once; the session's preview stays changed
                pytest.fail(
                    f"this test changed the session's {name} preview in place; plant defects in a copy "
                    "(copy.deepcopy) of what it registered",
                    pytrace=False,
                )


@pytest.fixture(scope="session")
def demo() -> PreviewResult:
    """The demo stack's whole offline preview (`frontdoor preview --stack demo`), program and pack."""
    return _shared("demo", run_preview(resolve_inputs("demo")))


@pytest.fixture(scope="session")
def demo_estate() -> Estate:
    return load_estate(DEMO_ESTATE)


@pytest.fixture(scope="session")
def breakglass() -> PreviewResult:
    """The break-glass stack's whole offline preview, program and pack."""
    return _shared("breakglass", run_preview(resolve_inputs("breakglass")))


@pytest.fixture(scope="session")
def breakglass_run(breakglass: PreviewResult) -> ProgramRun:
    """The break-glass stack's program run: its resources and invokes."""
    return breakglass.run


@pytest.fixture(scope="session")
def monitoring() -> PreviewResult:
    """The monitoring stack's whole offline preview (program + pack): the Datadog monitors, reading the
    demo identity stack's outputs from stacks/estate.monitoring.yaml."""
    return run_preview(resolve_inputs("monitoring"))


def is_the_demo_stack(inputs: PreviewInputs) -> bool:
    """The demo stack's program, config and estate, byte for byte (wherever a command found the files)."""
    return (
        inputs.stack == "demo"
        and inputs.program_dir == REPO
        and inputs.config_file.read_bytes() == DEMO_CONFIG.read_bytes()
        and inputs.estate_file.read_bytes() == DEMO_ESTATE.read_bytes()
    )


@pytest.fixture
def demo_preview_reused(demo: PreviewResult, monkeypatch: pytest.MonkeyPatch) -> PreviewResult:
    """Commands that preview the demo stack get this session's `demo` instead of running it again.

    The same inputs give the same run (tests/frontdoor/offline/test_plan_once.py proves it across runs and
    processes), so only inputs byte-identical to the demo stack's are answered; anything else, or any
    attempt to run the program while this is in force, fails the test. Without the pack the answer is
    what `run_preview(evaluate_policies=False)` returns: the same run, no violations, not evaluated.
    """

    def reused(
        inputs: PreviewInputs,
        *,
        evaluate_policies: bool = True,
        progress: Callable[[str], None] | None = None,
        frontdoor_checks: bool | None = None,
        unknown_ids: bool = False,
    ) -> PreviewResult:
        assert is_the_demo_stack(inputs), f"not the demo stack's preview: {inputs}"
        assert frontdoor_checks in (None, True), "the demo preview runs frontdoor's checks"
        assert not unknown_ids, "the session's demo preview has the engine's ids, not unknown ones"
        if evaluate_policies:
            return demo
        return dataclasses.replace(demo, violations=[], policies_evaluated=False)

    def program_runs_again(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the demo program ran again: this test must reuse the session's preview")

    monkeypatch.setattr(offline_preview, "run_preview", reused)
    # people_report binds run_preview by name when it is first imported.
    monkeypatch.setattr(people_report, "run_preview", reused)
    monkeypatch.setattr(offline_preview, "run_program", program_runs_again)
    return demo


def one_team_settings() -> dict[str, Any]:
    """The demo config with one team and no org grants: for tests whose subject does not depend on
    the teams (and runs faster without them)."""
    settings = provider_settings(DEMO_CONFIG)
    settings["frontdoor:teams"] = {"payments": settings["frontdoor:teams"]["payments"]}
    settings["frontdoor:orgGrants"] = {}
    del settings["frontdoor:machines"]  # its consumers belong to teams dropped here
    return settings


def _project_stack_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((REPO / "stacks").iterdir()) if path.is_file()}


@pytest.fixture(autouse=True)
def project_stacks_unchanged() -> Iterator[None]:
    """The live commands' default files are the project's own stacks/ (live_common): a test that runs one
    without --config/--estate would overwrite the demo estate every later test reads. The test that does
    fails itself, naming the file, and the file is put back."""
    before = _project_stack_files()
    yield
    after = _project_stack_files()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    for name in changed:
        path = REPO / "stacks" / name
        if name in before:
            path.write_bytes(before[name])
        else:
            path.unlink()
    assert not changed, f"the test wrote the project's stacks/ ({', '.join(changed)}): pass --config/--estate"
