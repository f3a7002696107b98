"""Reading the files a user hands us: a stack file's `frontdoor:` values and provider settings, any YAML
file (refused when it is not a regular, readable, non-empty file of sane size, or when it holds
duplicate keys, aliases or absurd nesting), and credentials written in clear (refused, never echoed).
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from frontdoor.domain.base import strict_yaml
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.documents.provider_credentials import fix_for
from frontdoor.domain.model.stack import BreakGlassStackConfig, MonitoringStackConfig, StackConfig

NAMESPACE = "frontdoor"
# The keys of the three stacks' configs as written in the stack file, in the order they are read.
CONFIG_KEYS = tuple(
    dict.fromkeys(
        field.alias or name
        for model in (StackConfig, BreakGlassStackConfig, MonitoringStackConfig)
        for name, field in model.model_fields.items()
    )
)

MAX_STACK_FILE_BYTES = 2 * 1024 * 1024
# An estate is the whole organization: 100,000 accounts are ~10 MB and cannot be split.
MAX_ESTATE_FILE_BYTES = 64 * 1024 * 1024


def stack_file(stack: str, root: Path | None = None) -> Path:
    return (root or Path.cwd()) / "stacks" / f"Pulumi.{stack}.yaml"


def read_yaml_file(path: Path, what: str) -> Any:
    """Parse a YAML file or raise ConfigError naming it; guards kind, size and emptiness first.

    Duplicate keys, aliases, merge keys and absurd nesting are refused (frontdoor.domain.base.strict_yaml).
    """
    source = str(path)
    text = read_text_file(path, what)
    try:
        # libyaml's parser when the wheel has it: a 2,000-account estate loads 6x faster.
        return strict_yaml.load(text)
    except strict_yaml.InputRefused as refused:
        raise ConfigError([_refused_issue(source, refused)]) from None
    except (yaml.YAMLError, RecursionError):
        pass
    try:
        # Re-read a broken file with the pure-Python loader: its messages are the ones we document.
        return strict_yaml.load(text, pure=True)
    except strict_yaml.InputRefused as refused:
        raise ConfigError([_refused_issue(source, refused)]) from None
    except RecursionError:
        raise ConfigError([_refused_issue(source, strict_yaml._too_deep(0))]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        lines = text.splitlines()
        shown = lines[mark.line] if mark and mark.line < len(lines) else "(end of file)"
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    where,
                    redact_line(shown),
                    f"YAML syntax error: {problem}",
                    "fix the YAML at that position (indentation, quotes, colons)",
                )
            ]
        ) from None


# A config key whose value is a credential: never printed, never accepted in plaintext.
SECRET_KEY_RE = re.compile(
    r"(?i)(token|secret|password|passwd|private_?key|secret_?key|api_?key|app_?key|access_?key)\Z"
)

_SECRET_LINE_RE = re.compile(
    r"(?i)\A(\s*-?\s*[\"']?[\w:.-]*(?:token|secret|password|passwd|key)[\"']?\s*:\s*)(.+)\Z"
)


def redact_line(line: str) -> str:
    """A source line as shown in an error, with the value of a secret-looking key blanked."""
    match = _SECRET_LINE_RE.match(line)
    if match is None:
        return line
    return match.group(1) + "[redacted]"


def _refused_issue(source: str, refused: strict_yaml.InputRefused) -> ConfigIssue:
    where = f"line {refused.line}" if refused.line else "(file)"
    return ConfigIssue(source, where, refused.value, refused.problem, refused.fix)


def read_text_file(path: Path, what: str) -> str:
    """The text of a regular, readable, non-empty file of at most MAX_STACK_FILE_BYTES, or ConfigError."""
    source = str(path)

    def refuse(problem: str, value: Any, fix: str) -> ConfigError:
        return ConfigError([ConfigIssue(source, "(file)", value, f"{what} file {problem}", fix)])

    try:
        status = path.stat()
    except FileNotFoundError:
        raise refuse("not found", str(path), "check the path") from None
    except OSError as error:
        raise refuse(
            f"cannot be read: {error.strerror}", str(path), "check the path and its permissions"
        ) from None
    if stat.S_ISDIR(status.st_mode):
        raise refuse("is a directory", str(path), f"give the path of the {what} file inside it")
    if not stat.S_ISREG(status.st_mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(status.st_mode)
            else "a device"
            if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode)
            else "a socket"
        )
        raise refuse(f"is {kind}, not a regular file", str(path), f"give the path of the {what} file")
    size = status.st_size
    limit = MAX_STACK_FILE_BYTES if what == "stack config" else MAX_ESTATE_FILE_BYTES
    if size > limit:
        raise refuse(
            f"is larger than {limit} bytes",
            f"{size} bytes",
            "split it or remove generated content (a stack config is a few hundred lines)"
            if what == "stack config"
            else "remove generated content (an estate of 100,000 accounts is about 10 MB)",
        )
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise refuse(
            f"cannot be read: {error.strerror}", str(path), "check the path and its permissions"
        ) from None
    if not text.strip():
        raise ConfigError(
            [ConfigIssue(source, "(file)", "", f"{what} file is empty", f"write the {what} (see README)")]
        )
    return text


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `frontdoor:` values of a `Pulumi.<stack>.yaml`, keyed without the namespace."""
    document = read_yaml_file(path, "stack config")
    source = str(path)
    if not isinstance(document, dict) or not isinstance(document.get("config"), dict):
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "config",
                    type(document).__name__ if not isinstance(document, dict) else document.get("config"),
                    "a stack file must be a mapping with a `config:` mapping",
                    "put the settings under `config:` as `frontdoor:<key>: ...`",
                )
            ]
        )
    values: dict[str, Any] = {}
    issues: list[ConfigIssue] = plaintext_secrets(document["config"], source)
    written: dict[str, Any] = {}
    for key, value in document["config"].items():
        namespace, colon, name = str(key).partition(":")
        if not colon:
            # Pulumi reads a key without a namespace as the project's: `teams` is `frontdoor:teams`.
            namespace, name = NAMESPACE, str(key)
        if namespace != NAMESPACE:
            continue  # provider settings such as aws:region and okta:orgName
        if name in written:
            issues.append(
                ConfigIssue(
                    source,
                    f"config.{key}",
                    key,
                    f"{written[name]!r} and {key!r} are the same key to Pulumi (a key without a namespace "
                    "is the project's), so one would silently replace the other",
                    f"keep one block, written as {NAMESPACE}:{name}",
                )
            )
            continue
        written[name] = key
        if name not in CONFIG_KEYS:
            issues.append(
                ConfigIssue(
                    source,
                    f"config.{key}",
                    key,
                    "unknown frontdoor config key",
                    f"use one of {', '.join(NAMESPACE + ':' + k for k in CONFIG_KEYS)}",
                )
            )
            continue
        values[name] = value
    if issues:
        raise ConfigError(issues)
    return values


def provider_settings(path: Path) -> dict[str, Any]:
    """Every config value of the stack file, namespaced keys as written (aws:region, okta:orgName…)."""
    document = read_yaml_file(path, "stack config")
    config = document.get("config") if isinstance(document, dict) else None
    if not isinstance(config, dict):
        return {}
    issues = plaintext_secrets(config, str(path))
    if issues:
        raise ConfigError(issues)
    return dict(config)


def plaintext_secrets(config: Mapping[Any, Any], source: str) -> list[ConfigIssue]:
    """A credential written in clear in a stack file (which lives in git) is refused, never echoed."""
    issues: list[ConfigIssue] = []
    for key, value in config.items():
        name = str(key).rpartition(":")[2]
        if SECRET_KEY_RE.search(name) and value is not None and not isinstance(value, Mapping):
            issues.append(
                ConfigIssue(
                    source,
                    f"config.{key}",
                    "[redacted]",
                    f"{key} is written in plaintext in the stack file, which is committed to git",
                    # Not `pulumi config set --secret`: a stack config holds no credential, secret or not
                    # (every PR preview can decrypt it; provider_credentials.py refuses it in any mode).
                    f"revoke this credential now, then {fix_for(str(key))}",
                )
            )
    return issues


def project_directory(stack_file: Path | str) -> Path | None:
    """The Pulumi project a stack file belongs to: the nearest directory at or above the file's own
    that holds a Pulumi.yaml (the project `pulumi` runs the program in); None outside any project."""
    directory = Path(stack_file).resolve().parent
    for candidate in (directory, *directory.parents):
        if (candidate / "Pulumi.yaml").is_file():
            return candidate
    return None


def stack_relative_path(stack_file: Path | str, written: str) -> Path:
    """A path written in a stack file (e.g. `frontdoor:people.export`), as the program would open it.

    The program runs in its project directory (`pulumi` starts it there), so a relative path is
    relative to the stack file's project, wherever the command is run from; a stack file outside any
    project keeps the working directory. Shown relative to the working directory when it is under it,
    so messages read as written when the command runs from the project.
    """
    path = Path(written)
    project = project_directory(stack_file)
    if path.is_absolute() or project is None:
        return path
    resolved = project / path
    try:
        return resolved.relative_to(Path.cwd())
    except ValueError:
        return resolved
