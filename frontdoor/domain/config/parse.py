"""Loading a stack's config into the typed model, with errors a user can act on.

The entry points: `parse_stack_config` (a mapping of `frontdoor:` keys -> StackConfig, or ConfigError:
the model's validation, then `cross_check`, then the attributes group rules read),
`parse_break_glass_config` for the break-glass stack, `parse_monitoring_config` for the monitoring
stack, and `from_pulumi_config` (what the program calls under the real CLI or the offline engine). Which
stack a config is for is said by its keys: `frontdoor:breakGlass` (`is_break_glass`) or
`frontdoor:monitoring` (`is_monitoring`); anything else is an identity stack. The stack file itself is read by
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
from frontdoor.domain.model.stack import BreakGlassStackConfig, MonitoringStackConfig, StackConfig

BREAK_GLASS_KEY = "breakGlass"
MONITORING_KEY = "monitoring"


def parse_break_glass_config(values: Mapping[str, Any], source: str) -> BreakGlassStackConfig:
    """The break-glass stack: the management account and its emergency users only."""
    try:
        return BreakGlassStackConfig.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigError([issue_from_pydantic(source, e) for e in error.errors()]) from None


def is_break_glass(values: Mapping[str, Any]) -> bool:
    return BREAK_GLASS_KEY in values


def parse_monitoring_config(values: Mapping[str, Any], source: str) -> MonitoringStackConfig:
    """The monitoring stack: the identity stack it watches and the Datadog monitors."""
    try:
        return MonitoringStackConfig.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigError([issue_from_pydantic(source, e) for e in error.errors()]) from None


def is_monitoring(values: Mapping[str, Any]) -> bool:
    return MONITORING_KEY in values and not is_break_glass(values)


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


def parse_any_config(
    values: Mapping[str, Any], source: str
) -> StackConfig | BreakGlassStackConfig | MonitoringStackConfig:
    """The config of whichever stack these values are for (identity, break-glass or monitoring)."""
    if is_break_glass(values):
        return parse_break_glass_config(values, source)
    if is_monitoring(values):
        return parse_monitoring_config(values, source)
    return parse_stack_config(values, source)


def from_pulumi_config() -> StackConfig | BreakGlassStackConfig | MonitoringStackConfig:
    """The stack's config as the running program sees it (real CLI or offline engine)."""
    import pulumi

    return parse_any_config(pulumi_config_values(), f"stacks/Pulumi.{pulumi.get_stack()}.yaml")
