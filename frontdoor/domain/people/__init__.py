"""People as Okta sees them: the HR export's records (`hr_export`), the Okta user profile's attributes
(`okta_profile`), the Okta Expression Language that group rules are written in (`okta_expression`), a
stack's rules over one record (`group_rules`) and the people policy over one person's reach
(`privileged_access`).

May import: `base`. Nothing here knows the stack model: the model validates members expressions with
this room's grammar, and the people commands evaluate them over this room's records.
"""
