"""The frontdoor project this package runs from: the checkout with Pulumi.yaml, __main__.py, stacks/
and the policy/ pack, which the offline preview runs and evaluates.

A source tree or an editable install (`make`) runs from its checkout. A wheel carries the library
(`frontdoor`, `components`) and the CLI only: the directory it is installed in is no project, so the
commands that run the program or read the demo's stacks by default stop with exit 2 and say so
(README, "Installing") instead of looking for files under site-packages.
"""

from __future__ import annotations

from pathlib import Path

from frontdoor.domain.base.errors import ConfigError, ConfigIssue

CHECKOUT = Path(__file__).resolve().parents[2]
PACK_DIR = CHECKOUT / "policy"


def is_project(directory: Path) -> bool:
    """A frontdoor project: a Pulumi project file and the program beside it."""
    return (directory / "Pulumi.yaml").is_file() and (directory / "__main__.py").is_file()


def checkout(what: str) -> Path:
    """The checkout frontdoor runs from; ConfigError (exit 2) when it is installed without one."""
    if is_project(CHECKOUT):
        return CHECKOUT
    raise ConfigError(
        [
            ConfigIssue(
                str(CHECKOUT),
                "(project)",
                str(CHECKOUT),
                f"{what} needs the frontdoor project (Pulumi.yaml, __main__.py, stacks/, policy/), and "
                "frontdoor is installed here as a package, without it",
                "run it in a checkout of the frontdoor project installed with `pip install -e .` (as "
                "`make` does), or name the files it reads (preview: --program, --config, --estate)",
            )
        ]
    )
