"""The foundation both simulators stand on: the lab clock, the store and its journal, fault
injection, the lab control blueprint, the app skeleton, forms/CSRF and strict JSON.

It imports nothing of the project (an import-linter contract says so), so okta_sim and
cybozu_sim can share it without knowing of each other or of the lab's orchestration.
"""
