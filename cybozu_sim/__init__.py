"""cybozu_sim: a fake cybozu.com (tenants, admin console, API tokens, Propagate
Provisioning, IP address restriction, service licences, SCIM 2.0 service provider).

The package root imports nothing: the app factory is cybozu_sim.app.create_app, and
what the lab's orchestration may use (seed logins, service codes, console labels) is
cybozu_sim.public.
"""
