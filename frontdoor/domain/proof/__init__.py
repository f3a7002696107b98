"""Proofs over the plan, offline: an IAM policy evaluator for the grammar our documents use
(`iam_evaluator`), the team canary that runs every set a team holds against every other team through
it (`canary`), and the tag chain from the members rules to the session tag (`tag_chain`).

May import: `planning`, `documents`, `model`, `people` (the members-rule parser), `base`.
"""
