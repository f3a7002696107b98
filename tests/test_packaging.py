"""The wheel holds every package and runs every command's `--help` outside the checkout.

The editable install the Makefile makes hides a package the wheel leaves out (a hand-written package
list once dropped frontdoor.live and frontdoor.commands.gate: `gate`, `drift`, `doctor`, `estate pull`,
`posture` and `adopt` died with ModuleNotFoundError). Here the wheel is built from a copy of the sources
without build isolation (no network), installed without its dependencies into a fresh venv, which
reaches the dependencies through a plain path line in a .pth file pointing at this venv's
site-packages: a path line does not run the editable install's own .pth, so `frontdoor` can only come
from the wheel. Every command runs from an empty temporary directory.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from frontdoor.commands.cli import build_parser

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("frontdoor", "components")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=120)


def _commands() -> list[str]:
    """The commands the CLI registers, read from its own parser."""
    (subparsers,) = (a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(subparsers.choices)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    shutil.copy(REPO / "pyproject.toml", source)
    for directory in (*PACKAGES, "tests", "benchmarks"):  # tests and benchmarks: to see them left out
        shutil.copytree(REPO / directory, source / directory, ignore=shutil.ignore_patterns("__pycache__"))
    built = _run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"),
            *("--wheel-dir", str(work / "dist"), str(source)),
        ],
        work,
    )
    assert built.returncode == 0, built.stderr
    (path,) = (work / "dist").glob("frontdoor-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed and this venv's dependencies on a plain path line."""
    root = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(root)], root).returncode == 0
    python = root / "bin" / "python"
    installed = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        root,
    )
    assert installed.returncode == 0, installed.stderr
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root)
    (Path(site.stdout.strip()) / "frontdoor-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return root


def test_the_wheel_holds_every_package_of_the_tree_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    in_wheel = {str(Path(name).parent) for name in names if name.endswith("/__init__.py")}
    in_tree = {
        str(init.parent.relative_to(REPO))
        for package in PACKAGES
        for init in (REPO / package).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert in_wheel == in_tree
    assert {name.split("/")[0] for name in names} == {*PACKAGES, wheel.name.split("-py3")[0] + ".dist-info"}
    assert {"frontdoor/py.typed", "components/py.typed"} <= set(names)


def test_frontdoor_is_imported_from_the_wheel(venv: Path, tmp_path: Path) -> None:
    shown = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import components, frontdoor; print(frontdoor.__file__, components.__file__)",
        ],
        tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    for path in shown.stdout.split():
        assert Path(path).resolve().is_relative_to(venv.resolve()), path


def test_every_command_prints_its_help_outside_the_checkout(venv: Path, tmp_path: Path) -> None:
    frontdoor = str(venv / "bin" / "frontdoor")
    listed = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import argparse; from frontdoor.commands.cli import build_parser; "
            "print(*sorted(next(a for a in build_parser()._actions "
            "if isinstance(a, argparse._SubParsersAction)).choices))",
        ],
        tmp_path,
    )
    assert listed.stdout.split() == _commands()  # the wheel's CLI registers what the checkout's does
    assert _run([frontdoor, "--help"], tmp_path).returncode == 0
    failed = {}
    for command in _commands():
        shown = _run([frontdoor, command, "--help"], tmp_path)
        if shown.returncode != 0 or not shown.stdout.startswith(f"usage: frontdoor {command}"):
            failed[command] = shown.stderr[-500:]
    assert failed == {}


def test_a_command_that_runs_the_program_says_it_needs_the_checkout(venv: Path, tmp_path: Path) -> None:
    preview = _run([str(venv / "bin" / "frontdoor"), "preview", "--stack", "demo"], tmp_path)
    site = _run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        tmp_path,
    )
    where = site.stdout.strip()
    assert preview.returncode == 2
    assert preview.stderr == (
        "error: bad input, nothing was registered\n"
        f"{where}: (project): the offline preview needs the frontdoor project (Pulumi.yaml, __main__.py, "
        "stacks/, policy/), and frontdoor is installed here as a package, without it "
        f"(got {where!r}). Fix: run it in a checkout of the frontdoor project installed with "
        "`pip install -e .` (as `make` does), or name the files it reads (preview: --program, --config, "
        "--estate)\n"
    )
