"""Suite-wide settings."""

from __future__ import annotations

import os

# Dates in the demo stack (the SCIM token's expiry, time-bound grants) are judged against a fixed
# day, so the suite passes the same way next year. The pack process inherits it from this process.
os.environ.setdefault("FRONTDOOR_TODAY", "2026-11-28")
