"""Okta's provisioning to the Cybozu (cybozu.com) app, along its seams: records (app users and
app groups), mapping (what is pushed), integration (the SCIM client, [Test API Credentials],
the Provisioning settings), push (one app user brought in line), outcomes (sync states,
tasks, System Log), assignments, events (reactions to directory changes) and actions
([Force Sync], Provision User, [Retry Selected])."""
