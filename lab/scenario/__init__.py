"""The scenario engine: YAML scenarios that replay the article against a fresh lab.

``source`` reads a file keeping every value's line and column, ``schema`` and
``verbs`` validate it, ``sandbox`` starts a lab for one scenario, ``api_driver``
performs the verbs over HTTP, ``expectations`` compares state, ``runner`` ties
them together and ``reports`` writes the console summary, JUnit XML and HTML.
"""
