"""What every stack's program (identity, break-glass, monitoring) checks of the config it runs with,
before it registers anything. Imports no provider SDK, so each program can use it (entry.py)."""

from __future__ import annotations

import pulumi

from frontdoor.domain.documents.provider_credentials import refuse_credentials_in_config


def stack_source() -> str:
    return f"stacks/Pulumi.{pulumi.get_stack()}.yaml"


def refuse_credentials_in_stack_config() -> None:
    """No provider credential and no secret in the stack config the program runs with (exit 2).

    The keys are those the CLI passed (`PULUMI_CONFIG`, or set by the offline engine), the secret ones
    those it marked secret (`PULUMI_CONFIG_SECRET_KEYS`, or the engine's `secure:` values).
    """
    config = pulumi.runtime.config
    keys = set(config.CONFIG.get()) | set(config.get_config_env())
    secret = {k for k in keys if config.is_config_secret(k)} | set(config.get_config_secret_keys_env())
    refuse_credentials_in_config(keys, secret, source=stack_source())
