"""Who may open which URL: one table for the whole project.

``test_every_url_is_in_the_access_matrix`` fails when a URL is added without a row here.
"""

from dvpp.models import Role

F, P, M, A = Role.FACILITATOR, Role.PARTNER_SUPPORT, Role.MANAGER, Role.ADMINISTRATOR
# The coalition analyst: the coalition's figures, and nothing of any member organisation.
C = Role.COALITION_ANALYST

# Pages that take no argument, opened with GET; every other role gets 403.
PAGE_ACCESS = {
    "home": {F, P, M, A, C},
    "coalition:index": {C},
    "participants:index": {F, P, M},
    "participants:intake": {F, M},
    "participants:import": {M},
    # The lists of the home cards (dvpp/home.py): flags and tasks on the men's side, whose rows
    # carry nothing of a partner; the data-protection lists are the manager's.
    "participants:risk_flags": {F, P, M},
    "participants:tasks": {F, P, M},
    "data_protection:missing_consent": {M},
    "data_protection:requests_due": {M},
    "group_sessions:index": {F, M},
    "group_sessions:today": {F, M},
    "group_sessions:group_create": {F, M},
    "partners:index": {P},
    "outcomes:index": {M},
    "staff_list": {M, A},
    "audit_log": {M},
    "destruction_list": {M, P},
    "lookups": {M},
    "audit_log_export": {M},
    "failed_notifications": {M, A},
    "partners:create": {P},
    "outcomes:import_partner_surveys": {P},
    "outcomes:import_men_surveys": {M},
    "evidence:report": {M},
    "evidence:add_comparison": {M},
    "evidence:import_incidents": {M},
    # The programme library: packages of the organisation's coalitions, publishing, package files.
    "library:index": {M},
    "library:publish": {M},
    "library:upload": {M},
    "password_change": {F, P, M, A, C},
    "two_factor_manage": {F, P, M, A, C},
    "reauthenticate": {F, P, M, A, C},
}

# The second-factor steps of signing in: open to a signed-in user who has not passed the second
# factor yet (tests/dvpp/test_two_factor.py); once passed, they send the user on.
SECOND_FACTOR_STEPS = {"two_factor_setup", "two_factor_verify", "two_factor_recovery_codes"}

# Pages about one man's case (the URL carries his public id): method and roles.
CASE_ACCESS = {
    "participants:detail": ("get", {F, P, M}),
    "participants:edit": ("get", {F, M}),
    "participants:add_referral": ("get", {F, M}),
    "participants:change_status": ("post", {F, M}),
    "participants:set_risk": ("post", {F, M}),
    "participants:add_appointment": ("post", {F, M}),
    "participants:decide_assessment": ("post", {F, M}),
    "participants:add_note": ("post", {F, M}),
    "participants:progress": ("get", {F, M}),
    "evidence:add_incident": ("get", {F, M}),
    "evidence:change_assessment": ("get", {F, M}),
    "consent:add": ("post", {F, M}),
    "participants:log_request": ("post", {M}),
    # His subject-access package and erasure: managers, after confirming their password.
    "participants:subject_access": ("get", {M}),
    "participants:erase": ("get", {M}),
}

# A man's consents: (case, consent id) to withdraw one; (case, template id) to print a form.
CASE_CONSENT_ACCESS = {
    "consent:withdraw": ("post", {F, M}),
    "consent:print": ("get", {F, M}),
}

# Pages about one task on a case: (case, task id).
CASE_TASK_ACCESS = {"participants:task_done": ("post", {F, M})}

# Pages about one group (its public id), and about one session (its public id).
GROUP_ACCESS = {
    "group_sessions:group": ("get", {F, M}),
    "group_sessions:allocate": ("post", {F, M}),
}
GROUP_PLACE_ACCESS = {"group_sessions:move_enrolment": ("post", {F, M})}
SESSION_ACCESS = {
    "group_sessions:register": ("get", {F, M}),
    "group_sessions:mark": ("post", {F, M}),
    "group_sessions:note": ("post", {F, M}),
    "group_sessions:all_present": ("post", {F, M}),
    "group_sessions:cancel": ("post", {F, M}),
    "group_sessions:move": ("post", {F, M}),
}

# Pages about one partner (her public id): partner support workers only. The wall.
PARTNER_ACCESS = {
    "partners:detail": ("get", {P}),
    "partners:edit": ("get", {P}),
    "partners:add_attempt": ("post", {P}),
    "partners:assess_risk": ("get", {P}),
    "partners:save_plan": ("post", {P}),
    "partners:add_checkin": ("post", {P}),
    "partners:add_consent": ("post", {P}),
    "partners:log_request": ("post", {P}),
    # Incidents she reported: recorded and read behind the wall only.
    "partners:add_reported_incident": ("get", {P}),
    # Her subject-access package and erasure: behind the wall, after confirming the password.
    "partners:subject_access": ("get", {P}),
    "partners:erase": ("get", {P}),
}
# Pages about one item of a partner's record: (her public id, item id).
PARTNER_ITEM_ACCESS = {
    "partners:update_marac": ("post", {P}),
    "partners:task_done": ("post", {P}),
    "partners:withdraw_consent": ("post", {P}),
    "partners:print_consent": ("get", {P}),
}
# Risk flags on a man's case: (his public id, flag id).
CASE_FLAG_ACCESS = {"participants:acknowledge_flag": ("post", {F, M})}

# The organisation's lists: one list (its kind, a fixed word), one entry of it (kind, id).
LOOKUP_LIST_ACCESS = {"lookup_list": ("get", {M})}
LOOKUP_ENTRY_ACCESS = {
    "lookup_entry": ("get", {M}),
    "lookup_delete": ("post", {M}),
}

# A destruction record printed as an act (its id).
DESTRUCTION_ACCESS = {"destruction_act": ("get", {M, P})}

# Downloads of the outcome tables (the format is in the URL).
EXPORT_ACCESS = {
    "outcomes:export": ("get", {M}),
    "evidence:export": ("get", {M}),
    "coalition:export": ("get", {C}),
}
# Survey entry: a partner survey (her public id, survey code) and a man's (his id, code).
SURVEY_ACCESS = {
    "outcomes:partner_survey": ("get", {P}),
    "outcomes:man_survey": ("get", {F, M}),
}

# One version of a programme package of the organisation's coalitions (its key and version).
PACKAGE_ACCESS = {
    "library:package": ("get", {M}),
    "library:import": ("post", {M}),
    "library:download": ("get", {M}),
}
# A handout of one of the organisation's programmes (its id): staff who run groups.
HANDOUT_ACCESS = {"library:handout": ("get", {F, M})}

# Anyone may open these, signed in or not.
PUBLIC = {"login", "healthz", "set_language", "logout", "sms_status"}
