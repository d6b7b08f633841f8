"""Run inside Django after the load test: is every mark and check-in it was told was saved in
the database exactly once? Reads the journal given as the argument; prints JSON."""

import json
import sys
from collections import Counter
from pathlib import Path

import django


def main() -> None:
    journal = json.loads(Path(sys.argv[1]).read_text())
    django.setup()
    from partners.models import CheckIn
    from sessions.models import Attendance

    last = {}
    for session, man, outcome in journal["marks"]:
        last[session, man] = outcome  # each register is one person's, in the order sent
    sessions = {session for session, _man in last}
    rows = Counter()
    outcomes = {}
    for session, man, outcome in Attendance.objects.filter(
        session__public_id__in=sessions
    ).values_list("session__public_id", "participant__public_id", "outcome"):
        rows[str(session), str(man)] += 1
        outcomes[str(session), str(man)] = outcome
    keys = {key: partner for partner, key in journal["checkins"]}
    saved = Counter()
    wrong_partner = 0
    for key, partner in CheckIn.objects.filter(submission_key__in=list(keys)).values_list(
        "submission_key", "partner__public_id"
    ):
        saved[str(key)] += 1
        wrong_partner += keys[str(key)] != str(partner)
    json.dump(
        {
            "marks sent": len(journal["marks"]),
            "men marked": len(last),
            "marks missing": sum(1 for pair in last if rows[pair] == 0),
            "marks duplicated": sum(1 for pair in last if rows[pair] > 1),
            "marks unexpected": sum(1 for pair in rows if pair not in last),
            "marks with another outcome": sum(
                1 for pair, outcome in last.items() if rows[pair] and outcomes[pair] != outcome
            ),
            "check-ins sent": len(keys),
            "double taps": journal["double_taps"],
            "check-ins missing": sum(1 for key in keys if saved[key] == 0),
            "check-ins duplicated": sum(1 for key in keys if saved[key] > 1),
            "check-ins on the wrong partner": wrong_partner,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
