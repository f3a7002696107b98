"""The domain: plain data and pure functions, no Pulumi runtime, no AWS call, no file the caller did not name.

One folder per room, `contracts.py` (what the program and the policy pack must agree on) and
`resource_types.py` (the catalogue of the resource types the program manages). Imports run
only down this list, never back up, inside a room too (its modules import each other without a circle):

    proof/, reconcile/   the evaluators and canary; drift, adoption, posture and preview triage
    planning/            the organization snapshot, the OU fan-out, the one plan, first-run checks
    config/              the stack file read, validated and cross-checked into the model
    documents/           every policy, trust, template and query the program registers, from the model
    model/               the stack file's sections as typed, frozen models
    people/              the HR export, the Okta profile and the expression language of group rules
    base/                errors users act on, today's date, the strict YAML reader, AWS string rules
    resource_types.py    the catalogue: per type token its identity, API rules, deploy actions, gate
                         class (imports contracts only)
    contracts.py         type tokens, records and limits shared with the pack (standard library only)

Nothing here imports the rest of frontdoor or `components/`; `components/` and every other layer stand on it.
"""
