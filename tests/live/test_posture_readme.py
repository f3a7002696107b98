"""The README's migration list is what `frontdoor posture` prints for the seeded 140-account org.

Regenerated here against the local AWS API server (benchmarks/posture_demo.py, the same code
`python -m benchmarks.posture_demo --write` uses to write it) and compared character for character.
"""

from __future__ import annotations

from benchmarks.posture_demo import README, migration_list, readme_block, readme_section


def test_the_readme_shows_the_seeded_orgs_migration_list(aws: str) -> None:
    code, output = migration_list(aws)
    assert code == 1  # IAM users other than break-glass exist
    assert readme_block(code, output) == readme_section(README.read_text()), (
        "README.md's posture block is stale: run .venv/bin/python -m benchmarks.posture_demo --write"
    )
