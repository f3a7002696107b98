"""Every mutant of the corpus is caught by its check; every benign edit passes (tests/mutants/corpus.py).

Resource mutants run the pack (one pack process for the module, as `frontdoor preview` runs it) over
the whole stack with one record edited, and compare with the pack's report on the unedited stack; in
both states a preview can be in: ids derived by the offline engine, and ids (and computed outputs)
unknown, as `pulumi preview` has them for resources it will create.
Config mutants run `frontdoor preview` on an edited copy of the demo stack config; the program must
never run for them (the refusal comes first), nor for a benign edit (accepted: the program would run).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import frontdoor.offline.preview
from frontdoor.commands.cli import main
from frontdoor.domain.config.files import read_stack_file
from frontdoor.offline.analyzer import analyze, start_packs
from frontdoor.offline.pack_process import PackProcess
from frontdoor.offline.preview import PreviewResult, policy_config_for, resolve_inputs, run_preview
from frontdoor.offline.record import Violation

from .corpus import (
    BENIGN_CONFIG_EDITS,
    BENIGN_RESOURCE_EDITS,
    CONFIG_MUTANTS,
    RESOURCE_MUTANTS,
    ConfigMutant,
    ResourceMutant,
    Stack,
    by_id,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_corpus_is_large_enough_and_ids_are_unique() -> None:
    assert len(by_id(RESOURCE_MUTANTS)) + len(by_id(CONFIG_MUTANTS)) >= 30
    assert len(by_id(BENIGN_RESOURCE_EDITS)) + len(by_id(BENIGN_CONFIG_EDITS)) >= 8
    assert not set(by_id(RESOURCE_MUTANTS)) & set(by_id(BENIGN_RESOURCE_EDITS))


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    with contextlib.ExitStack() as stack:
        (process,) = start_packs(stack, 1)
        yield process


# The two states a preview can hand the pack: ids (and computed outputs) derived by the offline engine,
# or unknown, as `pulumi preview` has them for a stack it will create (run_preview's `unknown_ids`).
STATES = ("known-ids", "unknown-ids")


@pytest.fixture(scope="module")
def previews(demo: PreviewResult, monitoring: PreviewResult) -> Callable[[str, str], PreviewResult]:
    made: dict[tuple[str, str], PreviewResult] = {
        ("demo", "known-ids"): demo,
        ("monitoring", "known-ids"): monitoring,
    }

    def preview(stack: str, state: str) -> PreviewResult:
        if (stack, state) not in made:
            made[(stack, state)] = run_preview(
                resolve_inputs(stack), evaluate_policies=False, unknown_ids=True
            )
        return made[(stack, state)]

    return preview


@pytest.fixture(scope="module")
def baseline(
    previews: Callable[[str, str], PreviewResult], pack: PackProcess
) -> Callable[[str, str], set[Violation]]:
    made: dict[tuple[str, str], set[Violation]] = {}

    def violations(stack: str, state: str) -> set[Violation]:
        if (stack, state) not in made:
            preview = previews(stack, state)
            made[(stack, state)] = _violations(preview, preview.run.resources, pack)
        return made[(stack, state)]

    return violations


def _violations(preview: PreviewResult, records: list[Any], pack: PackProcess) -> set[Violation]:
    values = read_stack_file(preview.inputs.config_file)
    config = policy_config_for(preview.inputs, values)
    return set(analyze(records, config=config, packs=[pack]).violations)


def _new_violations(
    mutant: ResourceMutant,
    state: str,
    previews: Callable[[str, str], PreviewResult],
    pack: PackProcess,
    baseline: Callable[[str, str], set[Violation]],
) -> set[Violation]:
    preview = previews(mutant.stack, state)
    stack = Stack(preview.run.resources)
    mutant.edit(stack)  # raises EditMissed when it would edit nothing
    assert stack.records != preview.run.resources, f"{mutant.id} changed nothing"
    return _violations(preview, stack.records, pack) - baseline(mutant.stack, state)


BURN_RATE = (
    "urn:pulumi:monitoring::frontdoor::frontdoor:datadog:DatadogMonitors$datadog:index/monitor:Monitor::"
    "identity-monitors/sso-burn-rate"
)


def test_the_unedited_stacks_pass_with_known_ids(baseline: Callable[[str, str], set[Violation]]) -> None:
    assert baseline("demo", "known-ids") == set()
    assert baseline("monitoring", "known-ids") == set()


def test_with_unknown_ids_the_pack_defers_only_what_needs_an_id(
    previews: Callable[[str, str], PreviewResult], baseline: Callable[[str, str], set[Violation]]
) -> None:
    for stack in ("demo", "monitoring"):
        records = previews(stack, "unknown-ids").run.resources
        assert {r.id for r in records} == {""}, "every created resource's id is unknown"
    assert baseline("demo", "unknown-ids") == set()
    # The burn-rate monitor's query names the SLO's id: the rule judging it defers (SDK advisory).
    assert baseline("monitoring", "unknown-ids") == {
        Violation(
            "datadog-monitor-query-type",
            "advisory",
            BURN_RATE,
            "can't run policy 'datadog-monitor-query-type' from policy pack 'frontdoor-guardrails@v0.0.1' "
            "during preview: string value at .query can't be known during preview",
        )
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("mutant", RESOURCE_MUTANTS, ids=lambda m: m.id)
def test_every_resource_mutant_is_caught_by_its_rule(
    mutant: ResourceMutant,
    state: str,
    previews: Callable[[str, str], PreviewResult],
    pack: PackProcess,
    baseline: Callable[[str, str], set[Violation]],
) -> None:
    new = _new_violations(mutant, state, previews, pack, baseline)
    if mutant.needs_known_ids and state == "unknown-ids":
        # What it judges names an id: the rule defers at preview, exactly as on the unedited stack.
        assert new == set()
        assert {v.policy for v in baseline(mutant.stack, state) if v.enforcement == "advisory"} == {
            mutant.caught_by
        }
        return
    caught = {v for v in new if v.policy == mutant.caught_by and v.enforcement == "mandatory"}
    assert caught, f"{mutant.id} ({mutant.what}) survived with {state}: {new}"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("benign", BENIGN_RESOURCE_EDITS, ids=lambda m: m.id)
def test_every_benign_resource_edit_passes(
    benign: ResourceMutant,
    state: str,
    previews: Callable[[str, str], PreviewResult],
    pack: PackProcess,
    baseline: Callable[[str, str], set[Violation]],
) -> None:
    assert _new_violations(benign, state, previews, pack, baseline) == set()


class ProgramWouldRun(Exception):
    """The config was accepted: the preview went on to run the program (stopped here)."""


def _preview_edited(
    tmp_path: Path, mutant: ConfigMutant, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, bool]:
    """`frontdoor preview` on an edited copy of the demo stack config: exit code, stderr, and whether
    the program would have run."""
    stacks = tmp_path / "stacks"
    shutil.copytree(REPO / "stacks", stacks)
    config = stacks / "Pulumi.demo.yaml"
    document = yaml.safe_load(config.read_text())
    mutant.edit(document["config"])
    config.write_text(yaml.safe_dump(document, sort_keys=False))
    ran: list[bool] = []

    def would_run(*_args: object, **_kwargs: object) -> None:
        ran.append(True)
        raise ProgramWouldRun

    monkeypatch.setattr(frontdoor.offline.preview, "run_program", would_run)
    monkeypatch.chdir(REPO)
    err = tmp_path / "stderr"
    with err.open("w") as sink, contextlib.redirect_stderr(sink):
        code = main(["preview", "--stack", "demo", "--quiet", "--config", str(config)])
    return code, err.read_text(), bool(ran)


@pytest.mark.parametrize("mutant", CONFIG_MUTANTS, ids=lambda m: m.id)
def test_every_config_mutant_is_refused_before_the_program_runs(
    mutant: ConfigMutant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err, ran = _preview_edited(tmp_path, mutant, monkeypatch)
    assert (code, ran) == (2, False), f"{mutant.id} ({mutant.what}) survived: {err}"
    assert f": frontdoor:machines.{mutant.caught_at}: " in err, err


@pytest.mark.parametrize("benign", BENIGN_CONFIG_EDITS, ids=lambda m: m.id)
def test_every_benign_config_edit_is_accepted(
    benign: ConfigMutant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err, ran = _preview_edited(tmp_path, benign, monkeypatch)
    assert (code, ran, err) == (3, True, "error: the program failed: ProgramWouldRun: \n")
