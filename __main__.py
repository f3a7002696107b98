"""frontdoor: AWS IAM Identity Center behind Okta. Thin by design: the stack's config says which
program runs (identity, break-glass or monitoring: frontdoor/program/entry.py)."""

from frontdoor.program.entry import main

main()
