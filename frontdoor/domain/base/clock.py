"""Today's date for everything that expires (time-bound grants, the SCIM token).

`FRONTDOOR_TODAY=YYYY-MM-DD` pins it: the test suite does, so a date in the demo stack never turns
a passing test into a failing one as the calendar moves; an auditor can replay a past day.
"""

from __future__ import annotations

import datetime as dt
import os

from frontdoor.domain import contracts
from frontdoor.domain.base.errors import ConfigError, ConfigIssue

ENV = contracts.TODAY_ENV


def today() -> dt.date:
    """The pack's day (`contracts.today`); a pinned value that is no date is bad input (exit 2)."""
    try:
        return contracts.today()
    except ValueError:
        raise ConfigError(
            [
                ConfigIssue(
                    "(environment)",
                    ENV,
                    os.environ.get(ENV),
                    "not a date",
                    f"write the day as YYYY-MM-DD (e.g. {ENV}=2026-12-01), or unset it to use today",
                )
            ]
        ) from None
