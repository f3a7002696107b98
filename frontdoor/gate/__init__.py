"""The replacement gate: fail CI when a real `pulumi preview --json` deletes or replaces identity.

Unit tests run the program under mocks, and mocks cannot prove that a URN survived a refactor
(research/reliability-anchors.md §1). The preview of the real stack can: any `delete` or replace
of an identity resource in it is an outage or an over-grant about to happen (F2 rename without
alias, F3 permission-set replacement cascade, F4 computed ForceNew inputs, F11 push mapping
removed, F12 SCP detached). The gate reads that preview and blocks each such step unless an
allow file names it with a reason. Exit codes: 0 pass, 1 blocked, 2 bad input.

One concern per module, imported from the module itself: `identity_types` (what is gated and why),
`strict_json` (the streaming, duplicate-refusing JSON reader), `preview_document` (the preview, also
read by `frontdoor drift-triage`), `allow` (the allow file), `evaluate` (the decision), `render` (text
and JSON output). The command (`frontdoor gate`, `main(argv)`) is frontdoor/commands/gate.py.

May import: `frontdoor.domain`. Layer: beside `offline/` and `live/`, under `commands/`.
"""
