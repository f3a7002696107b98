"""`stacks/policy-config.<stack>.json` checked before anything runs: rule ids, levels, properties.

The overrides reach the pack's Configure call; a wrong one there is a crash half-way through a
preview (exit 3). Here each entry is checked against the pack's own rules, their names and their
config schemas (validated with jsonschema, as the Pulumi CLI validates policy config), so a typo
is bad input: exit 2 naming the file, the rule, the value and the fix.

Why the tooling imports the pack's rule files: each rule module declares its id and config schema,
so reading them there is the one source (a copy here would be 27 schemas to keep in step). The
dependency runs one way, tooling -> pack, which the layering allows; the pack still imports nothing
of frontdoor and runs as its own process. Asking the running pack instead (GetAnalyzerInfo carries
the same schemas) would start a pack process for `frontdoor policy-config` and before every preview's
program run, where nothing else needs one.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from frontdoor.domain.base.errors import ConfigIssue

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
ALL = "all"  # the CLI's key for "every policy"


@functools.cache
def pack_schemas(pack_dir: Path) -> dict[str, dict[str, Any]]:
    """Rule id -> JSON Schema of its properties, read from the pack's rule modules (no server starts)."""
    schemas: dict[str, dict[str, Any]] = {}
    for rule_file in sorted((pack_dir / "rules").glob("*.py")):
        if rule_file.stem.startswith("_"):
            continue
        module = _pack_rule(pack_dir, rule_file.stem)
        policy = getattr(module, "POLICY", None)
        name = getattr(policy, "name", None)
        if not isinstance(name, str):
            continue
        schema = getattr(policy, "config_schema", None)
        properties = dict(getattr(schema, "properties", None) or {})
        required = list(getattr(schema, "required", None) or [])
        schemas[name] = {"type": "object", "properties": properties, "required": required}
    return schemas


def _pack_rule(pack_dir: Path, module: str) -> ModuleType:
    """Import one rule module from the pack's `rules` package under a private name (no server starts).

    The package's `__init__` (which imports all the rules) is not run: only the rule and the helpers
    it imports relatively are loaded. The analyzer itself loads no rule file; only this early check
    of the overrides reads the rules' names and config schemas.
    """
    package = "_frontdoor_pack_" + hashlib.sha1(str(pack_dir.resolve()).encode()).hexdigest()[:10]
    if package not in sys.modules:
        rules_dir = pack_dir.resolve() / "rules"
        spec = importlib.util.spec_from_file_location(
            package, rules_dir / "__init__.py", submodule_search_locations=[str(rules_dir)]
        )
        if spec is None or spec.loader is None or not (rules_dir / f"{module}.py").is_file():
            raise ImportError(f"no rules package with {module} in {pack_dir}")
        sys.modules[package] = importlib.util.module_from_spec(spec)
    return importlib.import_module(f"{package}.{module}")


def override_issues(document: Mapping[str, Any], source: str, pack_dir: Path) -> list[ConfigIssue]:
    """Every problem in an overrides document; empty when the pack would accept it."""
    import jsonschema  # only when a stack has overrides

    schemas = pack_schemas(pack_dir.resolve())
    issues: list[ConfigIssue] = []
    for rule, value in document.items():
        if rule not in schemas and rule != ALL:
            issues.append(
                ConfigIssue(
                    source,
                    rule,
                    rule,
                    "no policy with this id in the pack",
                    f"use one of {', '.join(sorted(schemas))} (or all)",
                )
            )
            continue
        if isinstance(value, str):
            level = value
            properties: Mapping[str, Any] = {}
        elif isinstance(value, Mapping):
            level = value.get("enforcementLevel", "mandatory")
            properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
        else:
            issues.append(
                ConfigIssue(
                    source,
                    rule,
                    value,
                    "a policy's entry is an enforcement level or an object of properties",
                    f'write "{rule}": "advisory" or "{rule}": {{"enforcementLevel": "advisory", ...}}',
                )
            )
            continue
        if level not in LEVELS:
            issues.append(
                ConfigIssue(
                    source,
                    f"{rule}.enforcementLevel" if isinstance(value, Mapping) else rule,
                    level,
                    "not an enforcement level",
                    f"use one of {', '.join(LEVELS)} (`disabled` turns a rule off)",
                )
            )
        if rule == ALL or not properties:
            continue
        schema = {**schemas[rule], "additionalProperties": False}
        validator = jsonschema.Draft7Validator(schema)
        for error in sorted(validator.iter_errors(dict(properties)), key=lambda e: list(e.absolute_path)):
            path = ".".join(str(p) for p in error.absolute_path)
            known = ", ".join(sorted(schemas[rule]["properties"])) or "none"
            issues.append(
                ConfigIssue(
                    source,
                    f"{rule}.{path}" if path else rule,
                    error.instance,
                    f"rejected by the rule's config schema: {error.message}",
                    f"see policy/rules/ for {rule}'s properties ({known}) and their bounds",
                )
            )
    return issues
