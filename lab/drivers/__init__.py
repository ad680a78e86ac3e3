"""The drivers: how a scenario's verbs are performed.

``client`` is one HTTP client for both apps (requests, names, setup, the state
expectations read); ``protocol`` is what the runner relies on of a driver;
``lab_verbs`` holds what every driver does through the lab API (the ``lab.*``
verbs); ``api`` performs the article's verbs over /api/v1 and the lab API, ``ui``
clicks them through the consoles (``consoles``: the browser and its pages).
"""
