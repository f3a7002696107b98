"""The pack's table of IAM actions is parliament's IAM reference data, generated: the committed copy is
byte-identical, and it says what parliament says."""

from __future__ import annotations

import json

import parliament

from frontdoor.offline.pack_iam_actions import TARGET, generated, iam_actions_table


def test_the_committed_table_is_the_generated_one_byte_for_byte() -> None:
    # Stale after a parliament upgrade (pyproject.toml pins it): run `make pack-contracts`.
    assert TARGET.read_bytes() == generated()


def test_the_table_names_its_source() -> None:
    assert json.loads(TARGET.read_bytes())["source"] == "parliament 1.6.4 iam_definition.json"


def test_a_service_listed_twice_is_merged_with_every_arn_format_and_level() -> None:
    definition = [
        {
            "prefix": "svc",
            "resources": [{"resource": "thing", "arn": "arn:${Partition}:svc:${Region}:${Account}:a/${Id}"}],
            "privileges": [
                {
                    "privilege": "Get",
                    "access_level": "List",
                    "resource_types": [{"resource_type": "", "condition_keys": []}],
                }
            ],
        },
        {
            "prefix": "svc",
            "resources": [{"resource": "thing", "arn": "arn:${Partition}:svc:${Region}:${Account}:b/${Id}"}],
            "privileges": [
                {
                    "privilege": "Get",
                    "access_level": "Read",
                    "resource_types": [
                        {"resource_type": "thing*", "condition_keys": []},
                        {"resource_type": "", "condition_keys": ["aws:RequestTag/${TagKey}"]},
                    ],
                }
            ],
        },
    ]
    table = json.loads(iam_actions_table(definition, "0"))
    assert table["services"] == {
        "svc": {
            "resources": {
                "thing": [
                    "arn:${Partition}:svc:${Region}:${Account}:a/${Id}",
                    "arn:${Partition}:svc:${Region}:${Account}:b/${Id}",
                ]
            },
            "actions": {"Get": ["LR", ["thing"], 1]},
        }
    }


def test_the_table_holds_every_action_parliament_knows_with_its_levels() -> None:
    table = json.loads(TARGET.read_bytes())["services"]
    actions = {
        (prefix, name): value for prefix, entry in table.items() for name, value in entry["actions"].items()
    }
    pairs = {
        (service["prefix"], privilege["privilege"])
        for service in parliament.iam_definition
        for privilege in service["privileges"]
    }
    assert set(actions) == pairs
    assert actions[("dynamodb", "DeleteTable")] == ["W", ["table"]]
    assert actions[("ec2", "DescribeInstances")] == ["L"]
    assert actions[("ecr", "GetAuthorizationToken")] == ["R", []]
    assert actions[("dynamodb", "CreateTable")] == ["W", ["table"], 1]
