"""The Okta directory as everything reads it: model (statuses, the lifecycle, the profile rules)
and reads (people, groups, memberships). Changing it is okta_sim/directory_writes.py, which
hands each change to the provisioning engine's directory events; keeping the writes outside
this package lets the engine read the directory without an import cycle."""
