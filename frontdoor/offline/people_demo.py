"""The demo HR exports, generated deterministically: `python -m frontdoor.offline.people_demo`.

Owns stacks/people.demo.csv (this week's Workday export of Acme Medical: the 11 engineering teams,
the platform team, security, internal audit, finance, regulatory affairs and people with no AWS
access; about one in eight a contractor; two leavers, one mover, one joiner) and
stacks/people.demo-previous.csv (last week's export, for `frontdoor jml`). A test checks that the
committed files equal what this module writes, so they never drift from it. `generate_people` makes
larger exports of the same shape for the benchmark and the property tests.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from frontdoor.domain.base.spreadsheet import write_csv
from frontdoor.domain.people.hr_export import COLUMNS

DOMAIN = "acme-medical.example"
SEED = 17
TEAMS = (
    "payments",
    "devices-firmware",
    "telemetry",
    "clinical-data",
    "manufacturing",
    "quality",
    "regulatory",
    "supply-chain",
    "mobile",
    "data-platform",
    "patient-portal",
)
ENGINEERING_TITLES = ("Software Engineer", "Senior Software Engineer", "Staff Engineer", "QA Engineer")
FIRST = (
    "Ada", "Ahmed", "Aiko", "Amara", "Ana", "Arjun", "Bea", "Boris", "Carla", "Chen", "Dara", "Diego",
    "Elena", "Emeka", "Farah", "Felix", "Grace", "Hana", "Ivan", "Jonas", "Kai", "Lara", "Leo", "Lina",
    "Malik", "Maya", "Nadia", "Nikos", "Omar", "Priya", "Rafael", "Rosa", "Sami", "Sofia", "Tariq",
    "Tomas", "Uma", "Vera", "Wei", "Yara", "Yusuf", "Zoe",
)  # fmt: skip
LAST = (
    "Abbott", "Berg", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
    "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt",
    "Tanaka", "Umarov", "Varga", "Weber", "Xu", "Yilmaz", "Zhang",
)  # fmt: skip
# The people the demo's story is about (README "People").
JANE = f"jane.doe@{DOMAIN}"  # payments; the time-bound PlatformAdmin exception CHG0041234
MOVER = f"ahmed.khan@{DOMAIN}"  # payments -> platform (Platform Engineer): gains PlatformAdmin
LEAVERS = (f"boris.petrov@{DOMAIN}", f"lina.moreau@{DOMAIN}")  # terminated this week
JOINER = f"nadia.okafor@{DOMAIN}"  # started this week, mobile


def _cost_center(name: str) -> str:
    return f"CC-{4100 + sum(map(ord, name)) % 800:04d}"


class _Roster:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[dict[str, str]] = []
        self.logins: set[str] = set()

    def login_for(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower()
        candidate, number = base, 1
        while f"{candidate}@{DOMAIN}" in self.logins:
            number += 1
            candidate = f"{base}{number}"
        return f"{candidate}@{DOMAIN}"

    def add(
        self,
        *,
        department: str,
        team: str,
        title: str,
        manager: str,
        login: str | None = None,
        contractor: bool | None = None,
    ) -> str:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        if login is not None:
            first, last = (part.capitalize() for part in login.split("@")[0].split(".")[:2])
        login = login or self.login_for(first, last)
        self.logins.add(login)
        if contractor is None:
            contractor = self.rng.random() < 0.125
        self.rows.append(
            {
                "login": login,
                "email": login,
                "employeeNumber": f"{'C' if contractor else 'E'}{100001 + len(self.rows):06d}",
                "status": "active",
                "firstName": first,
                "lastName": last,
                "department": department,
                "team": team,
                "title": title,
                "costCenter": _cost_center(team or department),
                "manager": manager,
                "userType": "contractor" if contractor else "employee",
            }
        )
        return login


def generate_people(team_size: int = 20, seed: int = SEED) -> list[dict[str, str]]:
    """An export of the demo's shape with `team_size` people per engineering team (all active)."""
    roster = _Roster(random.Random(seed))
    for login in (JANE, MOVER, *LEAVERS, JOINER):
        roster.logins.add(login)  # reserved for the story rows added below
    cto = roster.add(department="Engineering", team="", title="CTO", manager="", contractor=False)
    for team in TEAMS:
        department = "Quality & Regulatory" if team in ("quality", "regulatory") else "Engineering"
        lead = roster.add(
            department=department, team=team, title="Engineering Manager", manager=cto, contractor=False
        )
        for _ in range(team_size - 1):
            title = roster.rng.choice(ENGINEERING_TITLES)
            roster.add(department=department, team=team, title=title, manager=lead)
    platform_lead = roster.add(
        department="Engineering", team="platform", title="Engineering Manager", manager=cto, contractor=False
    )
    for index in range(max(2, team_size // 2)):
        title = "Platform Engineer" if index % 3 else "Site Reliability Engineer"
        roster.add(department="Engineering", team="platform", title=title, manager=platform_lead)
    for department, size, title in (
        ("Security", 6, "Security Engineer"),
        ("Internal Audit", 4, "IT Auditor"),
        ("Finance", 8, "Financial Analyst"),
        ("Regulatory Affairs", 6, "Regulatory Specialist"),
        ("People", 5, "HR Partner"),
        ("Sales", 5, "Account Executive"),
    ):
        head = roster.add(department=department, team="", title=f"Head of {department}", manager="")
        for _ in range(max(1, size * team_size // 20) - 1):
            roster.add(department=department, team="", title=title, manager=head)
    payments_lead = next(r["login"] for r in roster.rows if r["team"] == "payments")
    roster.add(
        department="Engineering",
        team="payments",
        title="Senior Software Engineer",
        manager=payments_lead,
        login=JANE,
        contractor=False,
    )
    roster.add(
        department="Engineering",
        team="platform",
        title="Platform Engineer",
        manager=platform_lead,
        login=MOVER,
        contractor=False,
    )
    roster.add(
        department="Engineering",
        team="telemetry",
        title="Software Engineer",
        manager=next(r["login"] for r in roster.rows if r["team"] == "telemetry"),
        login=LEAVERS[0],
        contractor=True,
    )
    roster.add(
        department="Engineering",
        team="clinical-data",
        title="Staff Engineer",
        manager=next(r["login"] for r in roster.rows if r["team"] == "clinical-data"),
        login=LEAVERS[1],
        contractor=False,
    )
    roster.add(
        department="Engineering",
        team="mobile",
        title="Software Engineer",
        manager=next(r["login"] for r in roster.rows if r["team"] == "mobile"),
        login=JOINER,
        contractor=False,
    )
    return roster.rows


def demo_exports() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(current, previous): this week's export and last week's."""
    current = generate_people()
    for row in current:
        if row["login"] in LEAVERS:
            row["status"] = "terminated"
    previous: list[dict[str, str]] = []
    payments_lead = next(r["login"] for r in current if r["team"] == "payments")
    for row in current:
        if row["login"] == JOINER:
            continue
        old = dict(row)
        if old["login"] in LEAVERS:
            old["status"] = "active"
        if old["login"] == MOVER:
            old.update(team="payments", title="Senior Software Engineer", manager=payments_lead)
            old["costCenter"] = _cost_center("payments")
        previous.append(old)
    return current, previous


def to_csv(rows: list[dict[str, str]]) -> str:
    """The one CSV writer of the tool (its formula escaping changes nothing here: no demo value starts
    with a formula character, which a test checks)."""
    return write_csv(COLUMNS, rows)


CURRENT_FILE = "stacks/people.demo.csv"
PREVIOUS_FILE = "stacks/people.demo-previous.csv"


def write_demo(root: Path) -> list[Path]:
    current, previous = demo_exports()
    written = []
    for name, rows in ((CURRENT_FILE, current), (PREVIOUS_FILE, previous)):
        path = root / name
        path.write_text(to_csv(rows))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_demo(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()):
        print(written_path)
