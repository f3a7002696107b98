"""The stack file's model: every section of `stacks/Pulumi.<stack>.yaml` (under `frontdoor:`) as a typed,
frozen pydantic model that refuses unknown keys, one module per section, assembled in `stack`
(`StackConfig`, `BreakGlassStackConfig`); `catalogue` is the reference permission-set catalogue as
model values.

May import: `people` (the members-expression grammar), `base`, `contracts`. A section's validators check
that section alone; checks across sections are `config`'s.
"""
