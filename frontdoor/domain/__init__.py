"""The domain: the stack config model, its validation, the organization, the OU fan-out and the policy
documents (SCPs, trail bucket, OIDC trust, break-glass). Plain data and pure functions: it imports
nothing else of frontdoor, and `components/` stands on it."""
