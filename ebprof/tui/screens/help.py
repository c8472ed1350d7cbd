"""The help screen: every key binding, one table per screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# ebprof tui

Browse the results store: where sourcing time goes, what failed, what changed.
Everything works with the mouse too: click tabs, headers (to sort) and rows.

## Everywhere

| key | action |
|---|---|
| `p` `e` `r` | Packages, Eclasses, Runs |
| `?` / `F1` | this help |
| `F5` | reload: show the newest run (after `ebprof source` wrote one elsewhere) |
| `q` | quit |
| `↑` `↓` `PgUp` `PgDn` `Home` `End` (`j` `k` `g` `G`) | move in a table |
| `s` / `S` | sort by the next column / reverse the order (or click a header) |

## Packages

| key | action |
|---|---|
| `/` | filter: words in the cpv, `c:CATEGORY` (`c:dev-*`), `e:ECLASS`, `s:failed` |
| `Esc` | clear the filter |
| `Enter` | package detail |
| `x` | re-source the highlighted package |
| `R` | source the whole repository |

## Eclasses

| key | action |
|---|---|
| `Enter` | go to the eclass's users (lower table); `Enter` there opens a package |
| `Tab` | switch between the eclass and user tables |
| `x` | re-source every user of the highlighted eclass |
| `f` | show the eclass's users in Packages |

## Package detail

| key | action |
|---|---|
| `1` `2` `3` `4` | Source, Metadata, Environment, Findings |
| `Enter` on an inherit | show that eclass's source |
| `Enter` on a finding | jump to its line in the source |
| `/` | filter the environment (`CMAKE_*` globs names, other text matches names and values) |
| `x` | re-source this package |
| `Esc` | back |

## Runs

| key | action |
|---|---|
| `Space` | mark a run (two at most) |
| `c` | compare the marked runs, or the highlighted run with the one before |
| `o` / `Enter` | show this run in Packages and Eclasses |

Re-sourcing runs in the background with a progress bar and writes a new run: the
re-sourced packages plus every other package of the run on show, so comparing it with
that run shows exactly what changed.
"""


class HelpScreen(ModalScreen[None]):
    """Key bindings of every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
