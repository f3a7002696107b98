"""What the program hands to AWS, Okta, Vault and Datadog as text, derived from the model: IAM policies,
SCPs, trust policies, the trail bucket policy, the Guard rule, CloudFormation templates, EventBridge
patterns, Datadog log queries, the deploy role's actions, and the names these resources carry.

May import: `model`, `people`, `base`, `contracts`. Pure: every function returns a document (a dict or
its rendered JSON); nothing here reads the organization.
"""
