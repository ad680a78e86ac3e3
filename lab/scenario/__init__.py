"""The scenario language: YAML scenarios that replay the article against a fresh lab.

``source`` reads a file keeping every value's line and column; ``verbs`` (with
``fieldtypes``), ``setup``, ``expect`` and ``metadata`` are the schemas; ``loader``
validates a document against them and builds the ``model``'s Steps, ``problems``
placing every error in the file; ``selection`` (``-k``) and ``shards`` (``--shard``)
choose which scenarios run. ``jsonschema``, ``reference`` and ``coverage`` make
the published schema and docs from the same tables. Performing the verbs is
``lab.drivers``'; replaying a scenario is ``lab.replay``'s.
"""
