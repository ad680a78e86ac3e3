"""SCIM 2.0 as RFC 7643/7644 define it, on plain dicts: schema and validation, filters,
PATCH, resources and errors. It imports nothing above it (no tenant, no store, no
Flask); cybozu.com's own rules are cybozu_sim/scim_service.py, and the HTTP endpoint
cybozu_sim/scim_endpoint.py."""
