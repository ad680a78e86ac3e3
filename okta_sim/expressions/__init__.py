"""The Okta Expression Language subset used by an app's "Application username format".

An admin types an expression such as ``String.substringBefore(user.login, "@")`` (Custom format) or
Okta picks a template such as ``${fn:substringBefore(source.login, "@")}`` (the built-in formats). The
fake Okta must reject a bad expression when the admin clicks [Save] (``check``) and later turn a user
profile into the username it sends over SCIM (``render``). Both need a real parser: Python's ``eval``
would run arbitrary code typed into a web form, and a regular expression cannot report *where* an
expression is wrong.

The grammar, loosest binding first (docs/okta_sim.md gives the source of each form)::

    expression  := or ( "?" expression ":" expression             (right-associative)
                      | "?:" expression )?                        (Elvis: the right side if null or "")
    or          := and ( ("OR" | "||") and )*
    and         := compare ( ("AND" | "&&") compare )*
    compare     := sum ( ("==" | "!=" | "<" | ">" | "<=" | ">=") sum )?    (does not chain)
    sum         := product ( ("+" | "-") product )*
    product     := unary ( ("*" | "/" | "%") unary )*
    unary       := "!" unary | "-" unary | primary
    primary     := string | integer | true | false | null | "(" expression ")"
                 | ("user" | "source") "." attribute
                 | ("String" "." | "fn" ":") function "(" arguments? ")"
                 | legacy "(" arguments? ")"                     (toLowerCase, substringBefore, ...)

Each node knows the kind of value it gives (text, number, true/false or null), so mistakes like
``user.department ? "a" : "b"`` or ``user.login - 1`` are caught at [Save] instead of on the first
provisioning run, and evaluation never meets a value of the wrong type. ``+`` adds when both sides
give numbers and joins as text otherwise; numbers are Java ints (arithmetic.py), as in SpEL, which
Okta's language is based on.

Where this lab departs from (or has to guess at) Okta, on purpose:

* null: a missing attribute is null; ``null + "x"`` is ``"x"`` and ``null + null`` is null; a String
  function given null returns null, except ``len`` (0) and ``append``/``join`` (null counts as "");
  arithmetic on null gives null; a condition that gives null counts as false.
* ``replace``/``replaceFirst`` match literally, not as a Java regular expression (see functions.FUNCTIONS).
* ``substring`` clamps its indices instead of failing.
* strings escape with a backslash (``\\"``, ``\\\\``); no decimals, no ``matches``, no textual
  operators (``and``, ``lt``, ``div``...).

The package: values.py (the kinds of value, the error), arithmetic.py (Java's int arithmetic),
functions.py (the String functions), tree.py (the nodes, the attributes, the limits), parser.py
(tokens, the parser, ``parse`` and ``check``) and evaluation.py (``evaluate`` and ``render``).
"""
