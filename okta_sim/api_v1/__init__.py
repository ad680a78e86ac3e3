"""Okta's Management API (/api/v1) over okta_sim's domain, so an existing Okta API client works unchanged.

Views only translate HTTP to domain calls and domain results to Okta's JSON
shapes; every rule lives in directory, apps, provisioning and usernames. The
protocol (SSWS authentication, Okta's error JSON, rate-limit headers, the
catch-all route) is protocol.py; reading requests (JSON types, ``limit``/``after``
paging with ``Link`` headers) parsing.py; Okta's shapes rendering.py; one module
per resource family; blueprint.py puts them together.
"""
