"""Replaying scenarios: ``sandbox`` starts a fresh lab for one scenario, ``runner`` sets it
up and performs each step through a driver (lab.drivers), ``expectations`` compares an
``expect:`` block with the lab's state, ``end_state`` captures what two drivers must agree
on, ``reports`` writes the console summary, JUnit XML and HTML, ``har`` the wire log as HAR,
both masking secrets through ``masking``; ``command`` is ``lab check``
and ``lab run``, ``plugin`` the pytest plugin that makes each scenario a test.
"""
