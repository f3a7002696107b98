"""frontdoor: AWS IAM Identity Center behind Okta, as a Pulumi program and the tools around it."""

__version__ = "0.1.0"
