"""The pulled estate file reads back as the same strings in every YAML reader: quoted identifiers and
quoted strings that YAML 1.1 (PyYAML) or YAML 1.2 (ruamel, yq) would read as something else."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from frontdoor.commands.cli import main
from frontdoor.live.estate_writer import Identifier, read_as_other_than_text, render_estate
from frontdoor.offline.estate import EstateAccount
from tests.frontdoor.live.demo_server import (
    IDENTITY_CENTER_ACCOUNT,
    as_account,
    cwd_with_stacks,
    demo_estate,
    stack_files,
)
from tests.frontdoor.live.seed import SSO, seed_organization


def read_back(text: str) -> tuple[Any, Any, Any]:
    """The file as PyYAML (YAML 1.1), ruamel's round trip (YAML 1.2) and ruamel's safe loader read it."""
    return yaml.safe_load(text), YAML().load(io.StringIO(text)), YAML(typ="safe").load(io.StringIO(text))


def test_identifiers_and_ambiguous_strings_are_written_quoted() -> None:
    document = {
        "organization": {
            "id": Identifier("o-a1b2c3d4e5"),
            "managementAccount": {"id": Identifier("012345678901"), "name": "yes", "state": "ACTIVE"},
            "delegatedAdministrators": {"sso.amazonaws.com": [Identifier("000000000001")]},
        },
        "identityCenter": {"instanceArn": Identifier("arn:aws:sso:::instance/ssoins-0123456789abcdef")},
        "odd": {"1e100": "0x1F", "on": "null", "bell": "a\x07b", "plain": "acme-dev"},
    }
    text = render_estate(document, "demo")
    assert text.splitlines()[2:] == [
        "organization:",
        "  id: 'o-a1b2c3d4e5'",
        "  managementAccount:",
        "    id: '012345678901'",
        "    name: 'yes'",
        "    state: ACTIVE",
        "  delegatedAdministrators:",
        "    sso.amazonaws.com:",
        "    - '000000000001'",
        "identityCenter:",
        "  instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef'",
        "odd:",
        "  '1e100': '0x1F'",
        "  'on': 'null'",
        '  bell: "a\\ab"',
        "  plain: acme-dev",
    ]
    for read in read_back(text):
        assert read == document


def test_which_plain_strings_some_reader_takes_for_another_type() -> None:
    ambiguous = ["012345678901", "1e100", "0x1F", "0o17", "1_000", "12:30", "yes", "on", "n", "null", "~", ""]
    ambiguous += ["2020-01-01", ".inf", "true", "FALSE"]
    assert [value for value in ambiguous if not read_as_other_than_text(value)] == []
    plain = ["acme-dev", "ou-a1b2-12345678", "d-906712ab34", "ACTIVE", "sso.amazonaws.com", "Ærø"]
    assert [value for value in plain if read_as_other_than_text(value)] == []


ACCOUNT_IDS = st.from_regex(r"\A[0-9]{12}\Z")
OU_IDS = st.from_regex(r"\Aou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\Z")
GROUP_IDS = st.from_regex(r"\A([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
NAMES = st.text(min_size=1, max_size=60) | st.sampled_from(
    ["yes", "No", "null", "1e100", "0x1F", "0777", "~"]
)


@settings(max_examples=200, deadline=None)
@given(
    accounts=st.dictionaries(ACCOUNT_IDS, NAMES, max_size=6),
    ous=st.dictionaries(OU_IDS, NAMES, max_size=4),
    groups=st.dictionaries(NAMES, GROUP_IDS, max_size=4),
)
def test_every_reader_reads_back_the_same_strings(
    accounts: dict[str, str], ous: dict[str, str], groups: dict[str, str]
) -> None:
    document = {
        "accounts": [
            {"id": Identifier(i), "name": n, "email": f"{n}@example.com"} for i, n in accounts.items()
        ],
        "ous": [{"id": Identifier(i), "name": n} for i, n in ous.items()],
        "syncedGroups": {name: Identifier(group) for name, group in groups.items()},
    }
    for read in read_back(render_estate(document, "demo")):
        assert read == document


def test_a_pulled_leading_zero_account_reads_back_as_the_same_string(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo organization with one more account under the root, whose id starts with 0 and whose name a
    # YAML 1.1 reader takes for a boolean.
    estate = demo_estate()
    odd = EstateAccount(id="012345678901", name="yes", state="ACTIVE", email="yes@example.com")
    estate = estate.model_copy(update={"accounts": [*estate.accounts, odd]})
    seed_organization(estate, identity_center_account=IDENTITY_CENTER_ACCOUNT, trusted=(SSO,))
    as_account(monkeypatch, estate.organization.management_account.id)
    monkeypatch.chdir(cwd_with_stacks(tmp_path))
    assert main(["estate", "pull", "--stack", "demo", "--fresh-stack", *stack_files(tmp_path)]) == 0, (
        capsys.readouterr().err
    )
    text = (tmp_path / "stacks" / "estate.demo.yaml").read_text()
    assert "- id: '012345678901'\n  name: 'yes'\n" in text
    pyyaml, ruamel_round_trip, ruamel_safe = read_back(text)
    assert pyyaml == ruamel_round_trip == ruamel_safe
    assert {"id": "012345678901", "name": "yes", "state": "ACTIVE", "email": "yes@example.com"} in pyyaml[
        "accounts"
    ]
    # Every identifier is written quoted (estate_writer's promise), not only those a reader would misread.
    kept = YAML()
    kept.preserve_quotes = True
    pulled = kept.load(io.StringIO(text))
    organization, center = pulled["organization"], pulled["identityCenter"]
    ids = [organization["id"], organization["rootId"], organization["managementAccount"]["id"]]
    ids += [center["instanceArn"], center["identityStoreId"], *pulled["syncedGroups"].values()]
    ids += [account for accounts in organization["delegatedAdministrators"].values() for account in accounts]

    def ous(items: Any) -> Any:
        for ou in items:
            yield ou["id"]
            yield from (account["id"] for account in ou["accounts"])
            yield from ous(ou["children"])

    ids += [account["id"] for account in pulled["accounts"]] + list(ous(pulled["ous"]))
    assert pulled["syncedGroups"] and organization["delegatedAdministrators"]
    assert [value for value in ids if not isinstance(value, SingleQuotedScalarString)] == []
