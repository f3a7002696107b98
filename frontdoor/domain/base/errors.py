"""Errors a user can act on: each names the file, the field, the bad value and the fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in a stack config or estate file."""

    file: str
    field: str
    value: Any
    problem: str
    fix: str

    def render(self) -> str:
        shown = _show(self.value)
        return f"{self.file}: {self.field}: {self.problem} (got {shown}). Fix: {self.fix}"


@dataclass(frozen=True)
class EstateIdIssue(ConfigIssue):
    """An id in an estate that AWS's own API model refuses. An estate is what AWS returned (`frontdoor
    estate pull` writes it), so this is a stale or edited file, or a server that is not AWS, rather than
    input the user typed: the message says which model refuses it and to pull again."""

    model: str = ""  # AWS's Organizations model (AccountId: pattern ^\d{12}$, at most 12 characters)
    read_from_aws: bool = False  # refused while `estate pull` validated what it had just read

    def render(self) -> str:
        shown = _show(self.value)
        if self.read_from_aws:
            return f"{self.file}: field {self.field} holds {shown}, which {self.model} refuses: {self.fix}"
        return (
            f"the estate file {self.file} field {self.field} holds {shown}, which {self.model} does not "
            f"accept: {self.fix}"
        )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


class ConfigError(Exception):
    """Bad input: the program stops before registering anything. Exit code 2."""

    # Set by the offline engine when the program itself raised it (a Python team, say): how many
    # resources it had registered by then, and which file to fix.
    registered: int | None = None
    program_file: str = "__main__.py"

    def __init__(self, issues: Iterable[ConfigIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__(self.render())

    def header(self) -> str:
        if self.issues and all(isinstance(issue, EstateIdIssue) for issue in self.issues):
            if all(isinstance(issue, EstateIdIssue) and issue.read_from_aws for issue in self.issues):
                return "error: the API answered ids AWS's own API model refuses, nothing was written"
            return "error: the estate holds ids AWS's API model refuses, nothing was registered"
        if self.registered is None:
            return "error: bad input, nothing was registered"
        return (
            f"error: bad input in the program ({self.program_file}), raised after it had registered "
            f"{self.registered} resources: fix the Python code there (offline, nothing was deployed; "
            "`pulumi up` would stop part-way)"
        )

    def render(self) -> str:
        return "\n".join(issue.render() for issue in self.issues)


_UNSET: Any = object()


class FixHint(ValueError):
    """A validator's ValueError carrying the fix, so the rendered error can say what to do.

    `at` extends the field path below the validated field (a model validator pointing at one of
    its fields, a dict validator at one key) and `value` replaces the validated input as the value
    shown, so a message names the exact bad field and value rather than the enclosing mapping.
    """

    def __init__(
        self, problem: str, fix: str, *, at: tuple[str | int, ...] = (), value: Any = _UNSET
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.at = at
        self.value = value
        super().__init__(f"{problem}||fix:{fix}")

    def shown_value(self, default: Any) -> Any:
        return default if self.value is _UNSET else self.value
