"""The Okta admin console: sign-in, Directory, Applications, Tasks, Security > API and the System Log.

Server-rendered pages without JavaScript whose labels are the article's, word
for word ([Browse App Catalog], [Configure API Integration], [Force Sync],
...). Views only translate forms into calls of the domain modules and show an
:class:`~okta_sim.errors.OktaError` (message and causes) beside the form or as
a flash message; the rules live in the domain, shared with /api/v1 and the
scenario engine.

One module per menu, each a blueprint nested in the console's blueprint
(``blueprint.py``), whose sign-in rule, CSRF check, layout and error pages
(``pages.py``) every menu's pages share.
"""
