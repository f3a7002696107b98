"""`frontdoor:people`: where the HR export is, how a person is matched across exports, and which worker
types may reach the privileged permission sets (the export's reading is
frontdoor/domain/people/hr_export.py)."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field, field_validator

from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import Model
from frontdoor.domain.people.hr_export import DEFAULT_ID_COLUMN, GROUPS_COLUMN, WORKER_TYPES

# Privileged whatever the config says: the platform administrators' set, and every set whose tier is
# "admin". Unless frontdoor:people.privilegedWorkerTypes says otherwise, only employees may reach them.
PRIVILEGED_SETS = ("PlatformAdmin",)
PRIVILEGED_TIER = "admin"
DEFAULT_PRIVILEGED_WORKER_TYPES = ("employee",)


class PeopleConfig(Model):
    """`frontdoor:people`: the HR export the people commands read (`--people FILE` overrides it)."""

    # Path of the CSV or JSON export, relative to the stack file's project directory.
    export: str = Field(min_length=1)
    # The HR id a person keeps when their login changes: joiners, movers and leavers are matched by it.
    id_column: str = DEFAULT_ID_COLUMN
    # Permission set -> the worker types (HR userType) that may reach it; PlatformAdmin and every set
    # of tier "admin" are privileged even when not listed (employees only).
    privileged_worker_types: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("id_column")
    @classmethod
    def _id_column(cls, value: str) -> str:
        if (
            value in ("status", GROUPS_COLUMN)
            or not value[:1].isalpha()
            or not value.replace("_", "").isalnum()
        ):
            raise FixHint(
                "not a profile attribute the export can fill with a person's HR id",
                f"name the export's id column as its Okta attribute, e.g. {DEFAULT_ID_COLUMN}",
            )
        return value

    @field_validator("privileged_worker_types")
    @classmethod
    def _worker_types(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, types in value.items():
            unknown = [t for t in types if t not in WORKER_TYPES]
            if unknown or not types:
                raise FixHint(
                    f"unknown worker type {unknown[0]!r}" if unknown else "no worker type allowed",
                    f"list one or more of {', '.join(WORKER_TYPES)} (the HR export's userType values)",
                    at=(name,),
                    value=types,
                )
        return value


def privileged_worker_types(
    people: PeopleConfig | None, tiers: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Permission set -> worker types allowed to reach it, for every privileged set of the catalogue
    (`tiers`: permission set -> tier): the configured ones, PlatformAdmin and every admin-tier set."""
    allowed: dict[str, tuple[str, ...]] = {
        name: DEFAULT_PRIVILEGED_WORKER_TYPES
        for name, tier in tiers.items()
        if name in PRIVILEGED_SETS or tier == PRIVILEGED_TIER
    }
    configured = people.privileged_worker_types if people is not None else {}
    allowed.update({name: tuple(types) for name, types in configured.items()})
    return dict(sorted(allowed.items()))
