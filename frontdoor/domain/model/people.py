"""`frontdoor:people`: where the HR export is (its reading is frontdoor/domain/people/hr_export.py)."""

from __future__ import annotations

from pydantic import Field

from frontdoor.domain.model.fields import Model


class PeopleConfig(Model):
    """`frontdoor:people`: the HR export the people commands read (`--people FILE` overrides it)."""

    # Path of the CSV or JSON export, relative to the project directory.
    export: str = Field(min_length=1)
