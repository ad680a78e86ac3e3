"""Training mode: exercises built from scenario files, run by trainees in the consoles.

An exercise is a scenario with an ``exercise:`` block. A *run* of it gets its own
cybozu.com environment (subdomain) and is judged against the one Okta app whose
Domain Name is that subdomain, so several trainees share one lab without seeing
each other's work. The checklist ticks from the lab's state, read only through
the apps' lab control APIs and Okta's /api/v1.
"""
