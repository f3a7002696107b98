"""What exists against what the program plans, as plain data: drift (`drift`), adoption of live objects
(`adopt`, with their import ids in `import_ids`), IAM users and keys (`posture`) and the triage of a
refreshed preview (`drift_triage`). The live reads that feed them are in `frontdoor/live/`.

May import: any room below (`planning` and down); today it needs `model` (posture's default
break-glass path) and `base` (the one CSV reader, for posture's people file).
"""
