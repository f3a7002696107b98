"""The plan: the organization and what else the program reads before planning as plain data
(`organization`: `StackReads`), teams and org grants declared in Python (`declarations`), grants fanned
out from OUs to accounts (`fanout`), guardrails resolved to their roots and OUs (`guardrails`), machine
consumers' accounts and StackSet targets (`machine_plan`), all made once into the `StackPlan` (`plan`),
and the one seam that hands the offline preview's plan to the program it runs (`handoff`); and what
depends on the organization or the date beside it: the config against the organization (`org_checks`),
the first-run stages (`bootstrap`) and the expiry calendar (`expiry`).

May import: `config`, `documents`, `model`, `base`, `contracts`.
"""
