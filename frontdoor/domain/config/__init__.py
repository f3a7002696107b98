"""A stack file read, validated and cross-checked into the model, with errors a user can act on:
reading the files (`files`), pydantic's errors as issues (`pydantic_issues`), references between
sections (`cross_check`), the ABAC chain end to end (`abac_chain`), the attributes group rules read
(`rule_attributes`), the people policy's pack config (`people_policy`), the entry points (`parse`) and
the file's JSON Schema (`schema`).

May import: `documents` (a permission set's inline policy is measured against its limit here), `model`,
`people`, `base`, `contracts`.
"""
