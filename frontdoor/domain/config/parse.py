"""Loading a stack's config into the typed model, with errors a user can act on.

The entry points: `parse_stack_config` (a mapping of `frontdoor:` keys -> StackConfig, or ConfigError:
the model's validation, then `cross_check`, then the attributes group rules read),
`parse_break_glass_config` for the break-glass stack, and `from_pulumi_config` (what the program
calls under the real CLI or the offline engine). The stack file itself is read by
`frontdoor.domain.config.files.read_stack_file`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.cross_check import cross_check
from frontdoor.domain.config.files import CONFIG_KEYS, NAMESPACE
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.config.rule_attributes import rule_attribute_issues
from frontdoor.domain.model.stack import BreakGlassStackConfig, StackConfig

BREAK_GLASS_KEY = "breakGlass"


def parse_break_glass_config(values: Mapping[str, Any], source: str) -> BreakGlassStackConfig:
    """The break-glass stack: the management account and its emergency users only."""
    try:
        return BreakGlassStackConfig.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigError([issue_from_pydantic(source, e) for e in error.errors()]) from None


def is_break_glass(values: Mapping[str, Any]) -> bool:
    return BREAK_GLASS_KEY in values


def parse_stack_config(values: Mapping[str, Any], source: str) -> StackConfig:
    """Validate the `frontdoor:` values; ConfigError lists every problem found."""
    try:
        config = StackConfig.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigError([issue_from_pydantic(source, e) for e in error.errors()]) from None
    issues = cross_check(config, source)
    if not issues:  # rule attributes: checked once the rules themselves are known to be well formed
        issues = rule_attribute_issues(config, source)
    if issues:
        raise ConfigError(issues)
    return config


def pulumi_config_values() -> dict[str, Any]:
    """The `frontdoor:` values as the running program sees them (real CLI or offline engine)."""
    import pulumi  # imported here so the pure loaders above need no Pulumi runtime

    stack_config = pulumi.Config(NAMESPACE)
    values: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        value = stack_config.get_object(key)
        if value is not None:
            values[key] = value
    return values


def from_pulumi_config() -> StackConfig | BreakGlassStackConfig:
    """The stack's config as the running program sees it (real CLI or offline engine)."""
    import pulumi

    values = pulumi_config_values()
    source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
    if is_break_glass(values):
        return parse_break_glass_config(values, source)
    return parse_stack_config(values, source)
