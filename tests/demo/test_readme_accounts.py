"""The README's demo section tells which account to use for which job: it lists exactly the
demo's personas (``demo/accounts.py``), each with its name and its role's area."""

from __future__ import annotations

import re
from pathlib import Path

from zhucun.demo.accounts import PERSONAS

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(\w+)` \| (\S+) \| ([^|]+) \| ([^|]+) \|$", re.MULTILINE)


def test_the_readme_names_every_demo_account_and_no_other():
    rows = {username: (persona, role, job) for username, persona, role, job in ROW.findall(README.read_text())}
    assert set(rows) == {p.username for p in PERSONAS}
    for persona in PERSONAS:
        name, _role, job = rows[persona.username]
        # 李部长（县委组织部） is listed as 李部长: the name a colleague would use.
        assert persona.display_name.startswith(name), persona.username
        assert len(job.strip()) > 20, persona.username
