"""The Okta Expression Language subset of "Application username format": parsing, evaluation, errors."""

from __future__ import annotations

import pytest

from okta_sim.expressions.evaluation import evaluate, render
from okta_sim.expressions.parser import check, parse
from okta_sim.expressions.tree import MAX_DEPTH, MAX_LENGTH, Attribute, Call
from okta_sim.expressions.values import ExpressionError

ALICE = {
    "login": "alice.smith@example.com",
    "email": "Alice.Smith@Example.com",
    "firstName": "Alice",
    "lastName": "Smith",
    "displayName": "Alice Smith",
    "locale": "en_US",
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("${source.login}", "alice.smith@example.com"),
        ('${fn:substringBefore(source.login, "@")}', "alice.smith"),
        ("${source.email}", "Alice.Smith@Example.com"),
        ('${fn:substringBefore(source.email, "@")}', "Alice.Smith"),
        ("  ${ source.login }  ", "alice.smith@example.com"),
    ],
)
def test_built_in_username_formats(template: str, expected: str) -> None:
    check(template)
    assert render(template, ALICE) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('String.substringBefore(user.login, "@")', "alice.smith"),
        ("String.toLowerCase(user.email)", "alice.smith@example.com"),
        ('user.firstName + "." + user.lastName', "Alice.Smith"),
        ('user.department == "Sales" ? "s-" + user.login : user.login', "alice.smith@example.com"),
        ('user.locale == "en_US" ? "us-" + user.firstName : user.firstName', "us-Alice"),
        ("source.login", "alice.smith@example.com"),
        ("(user.displayName)", "Alice Smith"),
        (" \t user.firstName\n+\t'-'+user.lastName ", "Alice-Smith"),
    ],
)
def test_custom_formats(expression: str, expected: str) -> None:
    assert render(expression, ALICE) == expected


def test_parse_once_evaluate_many() -> None:
    expression = parse('String.substringBefore(user.login, "@")')
    assert evaluate(expression, ALICE) == "alice.smith"
    assert evaluate(expression, {"login": "bob@example.org"}) == "bob"
    assert evaluate(expression, {}) is None


def test_tree_shape() -> None:
    assert parse("source.login") == Attribute("login", 1)
    assert parse("fn:toUpperCase(source.login)") == Call("toUpperCase", (Attribute("login", 16),), 1)
    call = parse('  String.len("a")')
    assert isinstance(call, Call) and call.name == "len" and call.column == 3


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # append and join treat null as ""
        ('String.append(user.firstName, "!")', "Alice!"),
        ('String.append(user.title, "!")', "!"),
        ("String.append(user.title, user.nickName)", ""),
        ('String.join(".", user.firstName, user.lastName)', "Alice.Smith"),
        ('String.join("", "a", "b", "c", "d")', "abcd"),
        ('String.join("-", user.title, user.firstName)', "-Alice"),
        ('String.join(null, "a", "b")', "ab"),
        # len gives a number; null has length 0
        ("String.len(user.firstName)", "5"),
        ('String.len("")', "0"),
        ("String.len(user.title)", "0"),
        ("String.len(user.firstName + user.lastName)", "10"),
        # removeSpaces removes space characters only
        ("String.removeSpaces(user.displayName)", "AliceSmith"),
        ('String.removeSpaces("  a b  ")', "ab"),
        ('String.removeSpaces("a\\tb")', "a\tb"),
        # replace and replaceFirst are literal
        ('String.replace(user.login, ".", "_")', "alice_smith@example_com"),
        ('String.replace(user.login, "x", "y")', "alice.smith@eyample.com"),
        ('String.replace("a+b+c", "+", "")', "abc"),
        ('String.replace(user.login, "zzz", "y")', "alice.smith@example.com"),
        ('String.replaceFirst(user.login, ".", "_")', "alice_smith@example.com"),
        ('String.replaceFirst("aaa", "a", "bb")', "bbaa"),
        # stringContains
        ('String.stringContains(user.login, "@example.com")', "true"),
        ('String.stringContains(user.login, "@example.org")', "false"),
        ('String.stringContains(user.login, "")', "true"),
        # stringSwitch: first key contained in the input, else the default
        ('String.stringSwitch(user.login, "other", "bob", "B", "smith", "S", "alice", "A")', "S"),
        ('String.stringSwitch(user.login, "other", "bob", "B")', "other"),
        ('String.stringSwitch(user.login, "other", null, "N", "alice", "A")', "A"),
        ('String.stringSwitch(user.title, "other", "a", "A")', None),
        # substring: 0-based, end exclusive, clamped
        ("String.substring(user.login, 0, 5)", "alice"),
        ("String.substring(user.firstName, 1, 3)", "li"),
        ("String.substring(user.firstName, -3, 2)", "Al"),
        ("String.substring(user.firstName, 2, 100)", "ice"),
        ("String.substring(user.firstName, 4, 2)", ""),
        ("String.substring(user.firstName, 9, 12)", ""),
        ("String.substring(user.firstName, 0, String.len(user.firstName))", "Alice"),
        # substringAfter: after the first match, "" when absent
        ('String.substringAfter(user.login, "@")', "example.com"),
        ('String.substringAfter(user.login, ".")', "smith@example.com"),
        ('String.substringAfter(user.firstName, "@")', ""),
        ('String.substringAfter(user.firstName, "")', "Alice"),
        # substringBefore: before the first match, the whole text when absent
        ('String.substringBefore(user.login, ".")', "alice"),
        ('String.substringBefore(user.firstName, "@")', "Alice"),
        ('String.substringBefore(user.firstName, "")', ""),
        # case
        ("String.toUpperCase(user.firstName)", "ALICE"),
        ("String.toLowerCase(user.displayName)", "alice smith"),
        ('String.toUpperCase("straße")', "STRASSE"),
        # the fn: spelling reaches the same functions
        ('fn:substringAfter(source.email, "@")', "Example.com"),
        ('fn:join("_", source.firstName, source.lastName)', "Alice_Smith"),
        ("fn:len(source.locale)", "5"),
    ],
)
def test_functions(expression: str, expected: str | None) -> None:
    assert render(expression, ALICE) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("user.title", None),
        ('user.title + "x"', "x"),
        ('"x" + user.title', "x"),
        ("user.title + user.nickName", None),
        ("user.title + null + user.nickName", None),
        ('user.title + null + "x"', "x"),
        ("null", None),
        ("String.toUpperCase(user.title)", None),
        ('String.substringBefore(user.title, "@")', None),
        ("String.substringBefore(user.login, user.title)", None),
        ("String.substring(user.login, null, 3)", None),
        ('String.replace(user.login, "@", user.title)', None),
        ('String.stringContains(user.title, "x")', None),
        ('String.stringContains(user.title, "x") ? "yes" : "no"', "no"),
        ('!String.stringContains(user.title, "x") ? "yes" : "no"', "yes"),
        ("user.title == null", "true"),
        ("user.login == null", "false"),
        ('user.title != "x"', "true"),
        ("user.title == null ? user.login : user.title", "alice.smith@example.com"),
        ('true ? null : "x"', None),
    ],
)
def test_null_handling(expression: str, expected: str | None) -> None:
    assert render(expression, ALICE) == expected


def test_explicit_none_and_non_text_profile_values() -> None:
    assert render("user.title", {"title": None}) is None
    assert render('user.employeeNumber + "-x"', {"employeeNumber": 42}) == "42-x"
    assert render("user.userType", {"userType": True}) == "true"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("42", "42"),
        ("-3", "-3"),
        ("true", "true"),
        ("false", "false"),
        ('"a" + 1', "a1"),
        ('1 + "a"', "1a"),
        ('"a" + 1 + 2', "a12"),
        ('"x" + true', "xtrue"),
        ('"It\'s" + \' "quoted"\'', 'It\'s "quoted"'),
        ('"a\\"b\\\\c\\nd\\te\\\'f"', "a\"b\\c\nd\te'f"),
        ("'single \\' and \"double\"'", 'single \' and "double"'),
        ('""', ""),
        # comparison is exact: text never equals a number or a boolean
        ('"1" == 1', "false"),
        ("1 == 1", "true"),
        ("true == true", "true"),
        ("null == null", "true"),
        ('user.firstName == "alice"', "false"),
        ('user.firstName != "alice"', "true"),
        # boolean logic, both spellings; AND binds tighter than OR
        ('user.firstName == "Alice" AND user.lastName == "Smith"', "true"),
        ('user.firstName == "Alice" && user.lastName == "Jones"', "false"),
        ('user.firstName == "Bob" OR user.lastName == "Smith"', "true"),
        ('user.firstName == "Bob" || user.lastName == "Jones"', "false"),
        ("true OR false AND false", "true"),
        ("(true OR false) AND false", "false"),
        ("!true", "false"),
        ("!!true", "true"),
        ('!(user.firstName == "Alice")', "false"),
        # the ternary is the loosest operator and right-associative
        ('false ? "a" : true ? "b" : "c"', "b"),
        ('false ? "a" : false ? "b" : "c"', "c"),
        ('true ? true ? "a" : "b" : "c"', "a"),
        ('(true ? "a" : "b") + "!"', "a!"),
        ('true ? "a" : "b" + "!"', "a"),
        ('user.locale == "en_US" ? 1 : "x"', "1"),
        ('user.locale == "ja_JP" ? 1 : "x"', "x"),
        ('String.substring(user.login, 0, user.locale == "en_US" ? 5 : 3)', "alice"),
        ('user.firstName == "Alice" AND String.stringContains(user.login, "@") ? "ok" : "no"', "ok"),
    ],
)
def test_literals_and_operators(expression: str, expected: str) -> None:
    assert render(expression, ALICE) == expected


def test_limits_are_inclusive() -> None:
    nested = "(" * MAX_DEPTH + "user.login" + ")" * MAX_DEPTH
    assert render(nested, ALICE) == "alice.smith@example.com"
    calls = "fn:toUpperCase(" * 20 + "source.firstName" + ")" * 20
    assert render(calls, ALICE) == "ALICE"
    assert render("!" * MAX_DEPTH + "true", ALICE) == "true"
    longest = '"' + "a" * (MAX_LENGTH - 2) + '"'
    assert render(longest, ALICE) == "a" * (MAX_LENGTH - 2)
    chain = "+".join(['"a"'] * 250)  # long but flat: no nesting, so no deep recursion either
    assert len(chain) == 999 and render(chain, ALICE) == "a" * 250
    conditions = " OR ".join(["false"] * 100) + ' ? "yes" : "no"'
    assert render(conditions, ALICE) == "no"


@pytest.mark.parametrize(
    ("expression", "message", "column"),
    [
        ("", "The expression is empty.", None),
        ("   \t ", "The expression is empty.", None),
        ("${}", "The expression is empty.", None),
        ("${  }", "The expression is empty.", None),
        ("user.login +", "Unexpected end of the expression at column 13", 13),
        ('user.login + + "x"', 'Unexpected "+" at column 14', 14),
        ('String.len(user.login) ++ "x"', 'Unexpected "+" at column 25', 25),
        ("user.login user.email", 'Unexpected "user" at column 12', 12),
        ('user.login "x"', 'Unexpected string "x" at column 12', 12),
        ("user.login)", 'Unexpected ")" at column 11', 11),
        ("user.login.x", 'Unexpected "." at column 11', 11),
        ('user.login == "a" == "b"', 'Unexpected "==" at column 19', 19),
        ("user.login # x", 'Unexpected "#" at column 12', 12),
        ("$source.login", 'Unexpected "$" at column 1', 1),
        ("AND", 'Unexpected "AND" at column 1', 1),
        ("1-2", 'Unexpected "-2" at column 2', 2),
        ("user.login + }", 'Unexpected "}" at column 14', 14),
        ('"abc', "Unterminated string starting at column 1", 1),
        ('user.login + "abc', "Unterminated string starting at column 14", 14),
        ("fn:substringBefore(source.login, '@)", "Unterminated string starting at column 34", 34),
        ('"abc\\"', "Unterminated string starting at column 1", 1),
        ('"abc\\', "Unterminated string starting at column 1", 1),
        ('"a\\qb"', 'Unknown escape "\\q" at column 3; use \\", \\\', \\\\, \\n or \\t', 3),
        ("String.foo(user.login)", 'Unknown function "String.foo" at column 1', 1),
        ('fn:nope("x")', 'Unknown function "fn:nope" at column 1', 1),
        (
            "String.toLowercase(user.email)",
            'Unknown function "String.toLowercase" at column 1; did you mean String.toLowerCase?',
            1,
        ),
        ("string.len(user.login)", 'Unknown name "string" at column 1; did you mean String?', 1),
        ("user.foo", 'Unknown attribute "user.foo" at column 1', 1),
        (
            '"x" + source.firstname',
            'Unknown attribute "source.firstname" at column 7; did you mean source.firstName?',
            7,
        ),
        ("usr.login", 'Unknown name "usr" at column 1; did you mean user?', 1),
        ("firstName", 'Unknown name "firstName" at column 1; did you mean user.firstName?', 1),
        ("hello", 'Unknown name "hello" at column 1; put text in quotes: "hello"', 1),
        ("user", 'Expected "." after "user" at column 5', 5),
        ("user.", 'Expected an attribute name after "user." at column 6', 6),
        ('user."login"', 'Expected an attribute name after "user." at column 6', 6),
        ("String.len", 'Expected "(" after String.len at column 11', 11),
        ("fn.len(user.login)", 'Expected ":" after "fn" at column 3', 3),
        ("String:len(user.login)", 'Expected "." after "String" at column 7', 7),
        ("String.substring(user.login, 0)", "String.substring takes 3 arguments (2 given) at column 1", 1),
        ("String.len()", "String.len takes 1 argument (0 given) at column 1", 1),
        (
            '"x" + fn:toUpperCase(source.login, 1)',
            "fn:toUpperCase takes 1 argument (2 given) at column 7",
            7,
        ),
        ('String.join(",")', "String.join takes at least 2 arguments (1 given) at column 1", 1),
        (
            'String.stringSwitch(user.login, "d")',
            "String.stringSwitch takes at least 4 arguments (2 given)",
            1,
        ),
        (
            'String.stringSwitch(user.login, "d", "k", "v", "k2")',
            "String.stringSwitch needs a value for every key (5 arguments given) at column 1",
            1,
        ),
        ('fn:substringBefore(source.login "@")', 'Expected "," or ")" at column 33', 33),
        ('String.substringBefore(user.login, "@",)', 'Unexpected ")" at column 40', 40),
        ('String.substringBefore(user.login, "@"', 'Expected "," or ")" at column 39', 39),
        ("(user.login", 'Expected ")" at column 12', 12),
        ('((user.firstName + "x")', 'Expected ")" at column 24', 24),
        ('true ? "a"', 'Expected ":" of "?" at column 11', 11),
        ("${source.login", 'Expected "}" to close "${" at column 15', 15),
        ('${fn:substringBefore(source.login, "@")', 'Expected "}" to close "${" at column 40', 40),
        (
            "${source.login}.example",
            "Unexpected text at column 16; a template must be a single ${...} with nothing around it",
            16,
        ),
        (
            "${source.login} ${source.email}",
            "Unexpected text at column 17; a template must be a single ${...} with nothing around it",
            17,
        ),
        (
            "user.login ${source.email}",
            "Unexpected text at column 12; a template must be a single ${...} with nothing around it",
            12,
        ),
        ("${source.login}@example.com", 'Unexpected "@" at column 16', 16),
        ('user.login + ${"x"}', 'Unexpected "${" at column 14', 14),
        (
            'user.department ? "a" : "b"',
            "The condition at column 1 gives text; it must give true or false",
            1,
        ),
        ('null ? "a" : "b"', "The condition at column 1 gives null; it must give true or false", 1),
        ("user.login AND true", "The operand of AND at column 1 gives text; it must give true or false", 1),
        ("true || String.len(user.login)", "The operand of || at column 9 gives a number", 9),
        ("!user.login", 'The operand of "!" at column 2 gives text; it must give true or false', 2),
        (
            'String.substring(user.login, "0", 1)',
            "Argument 2 of String.substring at column 30 gives text; it must give a number",
            30,
        ),
        (
            "String.substring(user.login, 0, true)",
            "Argument 3 of String.substring at column 33 gives true",
            33,
        ),
        ('1 + 2 + "x"', 'Adding numbers with "+" at column 3 is not supported; "+" joins text', 3),
    ],
)
def test_invalid_expressions(expression: str, message: str, column: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        check(expression)
    assert str(caught.value).startswith(message)
    assert caught.value.column == column


def test_too_long() -> None:
    text = '"' + "a" * MAX_LENGTH + '"'
    with pytest.raises(ExpressionError) as caught:
        check(text)
    assert str(caught.value) == "The expression is 1,002 characters long; the limit is 1,000."
    assert caught.value.column is None


@pytest.mark.parametrize(
    ("expression", "column"),
    [
        ("(" * 200 + "user.login" + ")" * 200, 51),
        ("(" * 200, 51),
        ("!" * 200 + "true", 51),
        ("fn:toLowerCase(" * 55 + "source.login" + ")" * 55, 50 * 15 + 15),
        ("true ? " * 60 + '"a"' + ' : "b"' * 60, 50 * 7 + 6),
        ("(" * (MAX_DEPTH + 1) + "user.login" + ")" * (MAX_DEPTH + 1), MAX_DEPTH + 1),
    ],
)
def test_too_deep_is_an_expression_error_not_a_recursion_error(expression: str, column: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        check(expression)
    assert str(caught.value) == f"The expression is nested more than 50 levels deep at column {column}"
    assert caught.value.column == column


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r'Unknown attribute "user\.foo" at column 1'):
        render("user.foo", ALICE)
