"""The Okta directory, split so that the provisioning engine can read it without a cycle:
model (statuses, lifecycle, profile rules), reads (lookups the engine uses) and writes
(changes, each handed to the engine's directory events)."""
