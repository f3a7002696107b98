"""frontdoor: AWS IAM Identity Center behind Okta. Thin by design: frontdoor.program does the work."""

from frontdoor.program import main

main()
