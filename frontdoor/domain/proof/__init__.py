"""Proofs over the plan, offline: an IAM policy evaluator for the grammar our documents use
(`iam_evaluator`) and the ABAC canary that runs every team against every other team through it (`canary`).

May import: `planning`, `documents`, `model`, `base`.
"""
