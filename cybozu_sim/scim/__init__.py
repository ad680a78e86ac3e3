"""cybozu.com's SCIM 2.0 service provider, built on python-scim's scim2-server."""
