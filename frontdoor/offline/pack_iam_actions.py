"""The pack's table of IAM actions, generated from the IAM Service Authorization Reference data that
parliament ships (`parliament/iam_definition.json`, parliament==1.6.4 as pinned in pyproject.toml).

Rule abac-condition-required must know, for any action an inline policy names, its access level, the
resource types it authorizes against (with their ARN formats) and whether it takes a request tag. The
pack is a separate process whose requirements are the pack's own (parliament is a dev-only dependency
of the program), so it carries this compact table, `policy/rules/_iam_actions.json`, generated, never
edited: `make pack-contracts` writes it, tests/frontdoor/offline/test_pack_iam_actions.py generates it
again in memory and fails when the committed file differs by one byte.

The table: `{"source": ..., "services": {prefix: {"resources": {type: [arn format, ...]}, "actions":
{Name: [levels, [resource types], 1 when it takes a request tag]}}}}` (a List-only action as
`["L"]`: it is never judged). parliament lists a few prefixes twice
(apigateway v1 and v2, iam, ...): their entries are merged, every ARN format and level kept. Levels
are the reference's initials: L(ist), R(ead), W(rite), T(agging), P(ermissions management).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from frontdoor.offline.project import PACK_DIR

TARGET = PACK_DIR / "rules" / "_iam_actions.json"
REQUEST_TAG_KEY = "aws:RequestTag/${TagKey}"
LEVELS = {"List": "L", "Read": "R", "Write": "W", "Tagging": "T", "Permissions management": "P"}


def source_path() -> Path:
    import parliament

    return Path(parliament.__file__).parent / "iam_definition.json"


def iam_actions_table(definition: Sequence[dict[str, Any]], version: str) -> bytes:
    """The pack's table (JSON bytes, one service per line) from parliament's `iam_definition.json`."""
    services: dict[str, dict[str, Any]] = {}
    for service in definition:
        entry = services.setdefault(service["prefix"], {"resources": {}, "actions": {}})
        for resource in service["resources"]:
            formats = entry["resources"].setdefault(resource["resource"], [])
            if resource["arn"] not in formats:
                formats.append(resource["arn"])
        for privilege in service["privileges"]:
            levels, types, request_tag = entry["actions"].setdefault(privilege["privilege"], ["", [], False])
            level = LEVELS[privilege["access_level"]]
            types_here = [r["resource_type"].rstrip("*") for r in privilege["resource_types"]]
            takes_tag = any(REQUEST_TAG_KEY in r["condition_keys"] for r in privilege["resource_types"])
            entry["actions"][privilege["privilege"]] = [
                "".join(sorted(set(levels + level))),
                sorted(set(types) | {t for t in types_here if t}),
                request_tag or takes_tag,
            ]
    lines = [
        "{",
        f'"source": {json.dumps(f"parliament {version} iam_definition.json")},',
        '"services": {',
    ]
    prefixes = sorted(services)
    for index, prefix in enumerate(prefixes):
        entry = services[prefix]
        body = {
            "resources": {k: sorted(v) for k, v in sorted(entry["resources"].items())},
            "actions": {name: _compact(*value) for name, value in sorted(entry["actions"].items())},
        }
        comma = "," if index < len(prefixes) - 1 else ""
        lines.append(f"{json.dumps(prefix)}: {json.dumps(body, separators=(',', ':'))}{comma}")
    lines += ["}", "}", ""]
    return "\n".join(lines).encode("utf-8")


def _compact(levels: str, types: list[str], request_tag: bool) -> list[Any]:
    # A List-only action is never judged, so its resource types are left out; the request-tag flag
    # is written only when set.
    if levels == "L":
        return [levels]
    return [levels, types, 1] if request_tag else [levels, types]


def generated() -> bytes:
    definition = json.loads(source_path().read_text(encoding="utf-8"))
    return iam_actions_table(definition, metadata.version("parliament"))


def main() -> int:
    TARGET.write_bytes(generated())
    print(f"wrote {TARGET} from {source_path()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
