"""Where a statement may start: outside quotes, heredoc bodies, substitutions, continuations."""

from __future__ import annotations

from ebprof.bashsyntax.lexer import neutral_lines, split_lines


def _marks(src: str) -> str:
    return "".join("1" if n else "0" for n in neutral_lines(split_lines(src.encode())))


def test_heredocs() -> None:
    assert _marks("a\ncat <<EOF\nDon't\nEOF\nb\n") == "11001"
    assert _marks("f() {\n\tcat <<-EOF\n\tbody\n\tEOF\n}\n") == "11001"
    assert _marks("cat <<'E1' <<E2\na\nE1\nb\nE2\nz\n") == "100001"
    assert _marks('x=$(cmd <<<"$y")\nz\n') == "11"  # a here-string is no heredoc


def test_quotes_substitutions_continuations() -> None:
    assert _marks('x="a\nb"\ny\n') == "101"
    assert _marks("a=$(\ncmd\n)\nb\n") == "1001"
    assert _marks("x=$((1+\n2))\ny\n") == "101"
    assert _marks("foo \\\ncd /\nz\n") == "101"
    assert _marks("echo ${x:-'a\nb'}\nz\n") == "101"
    assert _marks("r=( a\nb )\nz\n") == "101"
    assert _marks("echo $'it\\'s'\nz\n") == "11"


def test_what_does_not_open_anything() -> None:
    assert _marks("# it's\ny\n") == "11"
    assert _marks("case x in\na) y ;;\nesac\nz\n") == "1111"
    assert _marks("[[ ${a} =~ /((x)+)?|y ]]\nz\n") == "11"  # a regex, not arithmetic
    assert _marks('a="$(echo \\${#X_${y}[*]})"\nz\n') == "11"  # {# is not a comment
    assert _marks('RDEPEND="${U}${U:+? (} x )"\nz\n') == "11"


def test_what_bash_itself_does_with_less_usual_forms() -> None:
    assert _marks("x=$(cat <<EOF\nhello\nEOF\n)\nfoo\n") == "10001"  # heredoc in $( )
    assert _marks('cat <<E"O"F\nbody\nEOF\nx\n') == "1001"  # quotes in the word
    assert _marks("a \\\r\nb\r\n") == "11"  # \ before CR LF joins nothing
    assert _marks("x=$(\n[[ $a =~ (b) ]] && echo\ncd /\n)\nz\n") == "10001"


def test_a_case_inside_a_substitution_does_not_end_it() -> None:
    # the patterns' ``)`` used to close the ``$(``, so the lines after looked like code
    assert _marks("x=$(case $a in\nb) echo 1;;\nesac)\ny\n") == "1001"
    assert _marks("x=$(case $a in\n(b)\necho $(date)\n;;\nesac\n)\ny\n") == "1000001"
    assert _marks("x=$( case $a in b) case $c in d) :;; esac;; esac )\ny\n") == "11"
    # ``case`` and ``esac`` as arguments are words, not keywords
    assert _marks("x=$(echo case in\nb)\ny\n") == "101"
    assert _marks("x=$(case $a in\nb) echo esac;;\nesac)\ny\n") == "1001"
