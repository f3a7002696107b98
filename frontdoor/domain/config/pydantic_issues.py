"""pydantic's validation errors as issues a user can act on: the field path as written in the file
(`frontdoor:teams.payments.grants`), the value, the problem in words and the fix."""

from __future__ import annotations

from pydantic_core import ErrorDetails

from frontdoor.domain.base.errors import ConfigIssue, FixHint
from frontdoor.domain.config.files import NAMESPACE

_FIXES: dict[str, str] = {
    "missing": "add this key",
    "extra_forbidden": "remove the key or correct its spelling (see `frontdoor schema` for the allowed keys)",
    "string_type": "give a string",
    "int_type": "give a whole number",
    "int_parsing": "give a whole number",
    "bool_type": "give true or false",
    "bool_parsing": "give true or false",
    "dict_type": "give a mapping (key: value lines)",
    "model_type": "give a mapping (key: value lines)",
    "list_type": "give a list ([a, b] or - items)",
    "too_short": "add at least one entry",
    "too_long": "shorten it",
    "string_too_short": "give a non-empty value",
    "string_too_long": "shorten it",
    "string_pattern_mismatch": "write a value matching the regular expression shown in the problem",
    "literal_error": "use one of the allowed values",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "datetime_parsing": "write a timestamp as YYYY-MM-DDTHH:MM:SSZ",
    "greater_than_equal": "raise the value",
    "less_than_equal": "lower the value",
}

# AWS ids are not here: frontdoor/domain/base/aws_ids.py judges them by botocore's shapes and its
# refusal (a FixHint) names the shape, its pattern and the fix.
_PATTERN_PROBLEMS: dict[str, str] = {
    r"^/([A-Za-z0-9_+=,.@-]+/)*$": "not an IAM path",
    r"^[A-Za-z0-9_+=,.@-]{1,64}$": "not an IAM role name",
    r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$": "not a GitHub repository",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "not an S3 bucket name",
}

_PATTERN_FIXES: dict[str, str] = {
    r"^/([A-Za-z0-9_+=,.@-]+/)*$": "write / or /a/path/ (ASCII letters, digits and _+=,.@-, slashes around)",
    r"^[A-Za-z0-9_+=,.@-]{1,64}$": "use 1-64 ASCII letters, digits and _+=,.@-",
    r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$": "write owner/name, e.g. acme-medical/frontdoor",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "use 3-63 lowercase letters, digits, '.' and '-', "
    "starting and ending with a letter or digit",
}


def _field_path(loc: tuple[int | str, ...], namespace: str) -> str:
    path = namespace
    # pydantic adds "[key]" for a bad dict key and "function-…" for validator wrappers: not fields.
    loc = tuple(p for p in loc if not (isinstance(p, str) and (p == "[key]" or p.startswith("function-"))))
    for index, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
        elif index == 0:
            path += ("." if ":" in namespace else ":" if namespace else "") + str(part)
        else:
            path += "." + _key_text(part)
    return path or "(file)"


def _key_text(part: object) -> str:
    text = str(part)
    # A key with a newline or another invisible character is shown escaped, on one line.
    return text if text.isprintable() else repr(text)


# What YAML 1.1 turns an unquoted key into when it is not a name.
_KEY_READ_AS = {
    bool: "a boolean (YAML reads no/off/false and yes/on/true so)",
    type(None): "null (YAML reads null and ~ so)",
    int: "a number",
    float: "a number",
}


def _non_string_key(source: str, error: ErrorDetails, namespace: str) -> ConfigIssue | None:
    """A mapping key YAML did not read as a string (`no:`, `on:`, `1234:`, `null:`)."""
    loc = tuple(error["loc"])
    if error["type"] != "string_type" or "[key]" not in loc:
        return None
    key = error.get("input")
    read_as = _KEY_READ_AS.get(type(key))
    if read_as is None:
        return None
    parent = loc[: loc.index("[key]") - 1]
    return ConfigIssue(
        source,
        _field_path(parent, namespace),
        key,
        f"a key here was read as {read_as}, not as a name",
        'quote the name, e.g. "no": or "1234":',
    )


def issue_from_pydantic(source: str, error: ErrorDetails, namespace: str = NAMESPACE) -> ConfigIssue:
    """One pydantic error as a ConfigIssue: the field path as written in the file, and a fix."""
    loc = tuple(error["loc"])
    non_string = _non_string_key(source, error, namespace)
    if non_string is not None:
        return non_string
    context = error.get("ctx") or {}
    hint = context.get("error")
    if isinstance(hint, FixHint):
        path = _field_path((*loc, *hint.at), namespace)
        return ConfigIssue(source, path, hint.shown_value(error.get("input")), hint.problem, hint.fix)
    problem = error["msg"]
    if problem.startswith("Value error, "):
        problem = problem.removeprefix("Value error, ")
    value = error.get("input") if error["type"] != "missing" else None
    fix = _FIXES.get(error["type"], "correct the value")
    if error["type"] == "string_pattern_mismatch":
        pattern = str(context.get("pattern", ""))
        problem = _PATTERN_PROBLEMS.get(pattern, f"does not match the pattern {pattern}")
        fix = _PATTERN_FIXES.get(pattern, fix)
    if error["type"] == "extra_forbidden":
        value = loc[-1] if loc else value
    return ConfigIssue(source, _field_path(loc, namespace), value, problem, fix)
