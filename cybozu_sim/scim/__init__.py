"""cybozu.com's SCIM 2.0 service provider: a lean RFC 7643/7644 service on plain dicts (see service.py)."""
