"""Every mutant of the corpus is caught by its check; every benign edit passes (tests/mutants/corpus.py).

Resource mutants run the pack (one pack process for the module, as `frontdoor preview` runs it) over
the whole stack with one record edited, and compare with the pack's report on the unedited stack.
Config mutants run `frontdoor preview` on an edited copy of the demo stack config; the program must
never run for them (the refusal comes first), nor for a benign edit (accepted: the program would run).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import frontdoor.offline.preview
from frontdoor.commands.cli import main
from frontdoor.domain.config.files import read_stack_file
from frontdoor.offline.analyzer import analyze, start_packs
from frontdoor.offline.pack_process import PackProcess
from frontdoor.offline.preview import PreviewResult, policy_config_for
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


def _violations(preview: PreviewResult, records: list[Any], pack: PackProcess) -> set[Violation]:
    values = read_stack_file(preview.inputs.config_file)
    config = policy_config_for(preview.inputs, values)
    return set(analyze(records, config=config, packs=[pack]).violations)


@pytest.fixture(scope="module")
def baselines(demo: PreviewResult, monitoring: PreviewResult, pack: PackProcess) -> dict[str, set[Violation]]:
    return {
        name: _violations(preview, preview.run.resources, pack)
        for name, preview in (("demo", demo), ("monitoring", monitoring))
    }


def _new_violations(
    mutant: ResourceMutant,
    demo: PreviewResult,
    monitoring: PreviewResult,
    pack: PackProcess,
    baselines: dict[str, set[Violation]],
) -> set[Violation]:
    preview = demo if mutant.stack == "demo" else monitoring
    stack = Stack(preview.run.resources)
    mutant.edit(stack)  # raises EditMissed when it would edit nothing
    assert stack.records != preview.run.resources, f"{mutant.id} changed nothing"
    return _violations(preview, stack.records, pack) - baselines[mutant.stack]


def test_the_unedited_stacks_pass_the_new_rules(baselines: dict[str, set[Violation]]) -> None:
    new_rules = {
        "abac-condition-required",
        "vault-session-tags-pinned",
        "stack-set-auto-deployment",
        "datadog-monitor-query-type",
        "datadog-slo-metric-created",
    }
    assert {v.policy for violations in baselines.values() for v in violations} & new_rules == set()


@pytest.mark.parametrize("mutant", RESOURCE_MUTANTS, ids=lambda m: m.id)
def test_every_resource_mutant_is_caught_by_its_rule(
    mutant: ResourceMutant,
    demo: PreviewResult,
    monitoring: PreviewResult,
    pack: PackProcess,
    baselines: dict[str, set[Violation]],
) -> None:
    new = _new_violations(mutant, demo, monitoring, pack, baselines)
    assert mutant.caught_by in {v.policy for v in new}, f"{mutant.id} ({mutant.what}) survived: {new}"
    assert all(v.enforcement == "mandatory" for v in new if v.policy == mutant.caught_by)


@pytest.mark.parametrize("benign", BENIGN_RESOURCE_EDITS, ids=lambda m: m.id)
def test_every_benign_resource_edit_passes(
    benign: ResourceMutant,
    demo: PreviewResult,
    monitoring: PreviewResult,
    pack: PackProcess,
    baselines: dict[str, set[Violation]],
) -> None:
    assert _new_violations(benign, demo, monitoring, pack, baselines) == set()


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
