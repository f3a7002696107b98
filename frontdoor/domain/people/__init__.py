"""People as Okta sees them: the HR export's records (`hr_export`), the Okta user profile's attributes
(`okta_profile`) and the Okta Expression Language that group rules are written in (`okta_expression`).

May import: `base`. Nothing here knows the stack model: the model validates members expressions with
this room's grammar, and the people commands evaluate them over this room's records.
"""
