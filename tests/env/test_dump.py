"""Reading ``declare -p``/``declare -F`` dumps leniently."""

from __future__ import annotations

from ebprof.env.dump import matches, parse_env

DUMP = r"""declare -- PLAIN="a \"quoted\" \$x \\ value"
declare -x EXPORTED="1"
declare -ar ARR=([0]="5" [1]="2")
declare -A ASSOC=()
declare -- ANSI=$'two\n\tlines \'q\' \x41\101'
declare -- NOVALUE
declare -i NUM="3"
declare -- OLDSTYLE="first
second"
declare -- __ebprof_seq="1"
something bash printed that is not a declaration
declare -f die
declare -fr __ebprof_enter
declare -f java-config
"""


def test_parse_variables_and_functions():
    dump = parse_env(DUMP)
    v = {x.name: x for x in dump.variables}
    assert v["PLAIN"].value == 'a "quoted" $x \\ value' and v["PLAIN"].attrs == ""
    assert v["EXPORTED"].exported and not v["PLAIN"].exported
    assert v["ARR"].is_array and v["ARR"].value == '([0]="5" [1]="2")' and v["ARR"].attrs == "ar"
    assert v["ASSOC"].is_array
    assert v["ANSI"].value == "two\n\tlines 'q' AA"
    assert v["NOVALUE"].value is None
    assert v["NUM"].value == "3" and v["NUM"].attrs == "i"
    assert v["OLDSTYLE"].value == "first\nsecond"
    assert v["__ebprof_seq"].internal and not v["PLAIN"].internal
    assert v["?"].value == "something bash printed that is not a declaration"
    assert dump.functions == ["die", "__ebprof_enter", "java-config"]


def test_unterminated_value_is_kept_raw():
    dump = parse_env('declare -- BROKEN="no end\n')
    assert dump.variables[0].name == "BROKEN" and dump.variables[0].value.startswith('"no end')


def test_matches():
    v = {x.name: x for x in parse_env(DUMP).variables}
    assert matches(v["PLAIN"], "")
    assert matches(v["EXPORTED"], "EXP*") and not matches(v["PLAIN"], "EXP*")
    assert matches(v["PLAIN"], "quoted")  # substring of the value
    assert matches(v["PLAIN"], "plain")  # case-insensitive name
    assert not matches(v["NOVALUE"], "zzz")
