"""okta_sim: a fake Okta org administering the Cybozu (cybozu.com) catalog app and
provisioning users into cybozu_sim over real SCIM 2.0 HTTP.

The package root imports nothing: the app factory is okta_sim.app.create_app, and
what the lab's orchestration may use (seed logins, console labels, username formats,
service attributes) is okta_sim.public.
"""
