"""Orchestration shared by both simulators: storage, lab clock, lab control, servers, CLI."""
