"""A sortable, filterable table that renders only the rows on screen.

Textual's DataTable builds every row up front: on 30 000 packages it took ~6 s to open
and ~3 s to refilter here. This table keeps the caller's row objects, an index list
(the current filter and sort) and formats cells only for the lines being painted, so
sorting or filtering is one ``list.sort`` over indices.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ebprof.runs.browse import ordered

T = TypeVar("T")
id_of = id  # the default row identity: the same object


@dataclass(frozen=True)
class Column:
    """One column: ``key`` names it for sorting, ``width`` is in cells."""

    key: str
    label: str
    width: int
    align: str = "left"  # or "right"

    def fitted(self, sortable: bool) -> Column:
        """At least as wide as the label, and its sort arrow when it can be sorted by."""
        need = len(self.label) + (2 if sortable else 0)
        return self if self.width >= need else Column(self.key, self.label, need, self.align)


class VirtualTable(ScrollView, Generic[T], can_focus=True):
    """Rows are any objects; ``cell(row, key)`` formats them, ``sort_keys`` orders them.

    ``row_key`` identifies a row across ``set_rows`` calls (new objects for the same
    package after a reload), so the cursor stays on it.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vtable--header",
        "vtable--sorted",
        "vtable--cursor",
        "vtable--failed",
        "vtable--timeout",
        "vtable--warning",
        "vtable--dim",
    }
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; background: $surface; color: $foreground; }
    VirtualTable > .vtable--header { text-style: bold; background: $panel; color: $foreground; }
    VirtualTable > .vtable--sorted {
        text-style: bold underline; color: $accent; background: $panel;
    }
    VirtualTable > .vtable--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    VirtualTable:focus > .vtable--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    VirtualTable > .vtable--failed { color: $text-error; }
    VirtualTable > .vtable--timeout { color: $text-warning; text-style: bold; }
    VirtualTable > .vtable--warning { color: $text-warning; }
    VirtualTable > .vtable--dim { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Open"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "reverse", "Reverse"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class _TableMessage(Message):
        """A message about this table; ``control`` lets handlers filter by widget id."""

        table: VirtualTable

        @property
        def control(self) -> VirtualTable:
            return self.table

    @dataclass
    class RowHighlighted(_TableMessage):
        row: Any

    @dataclass
    class RowSelected(_TableMessage):
        row: Any

    @dataclass
    class Sorted(_TableMessage):
        key: str
        reverse: bool

    def __init__(
        self,
        columns: Sequence[Column],
        cell: Callable[[T, str], str],
        sort_keys: dict[str, Callable[[T], Any]],
        row_class: Callable[[T], str | None] | None = None,
        sort: str | None = None,
        reverse: bool = False,
        *,
        row_key: Callable[[T], Hashable] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = [c.fitted(c.key in sort_keys) for c in columns]
        self._cell = cell
        self._sort_keys = sort_keys
        self._row_class = row_class
        self._row_key = row_key or id_of
        self.sort_key = sort or self.columns[0].key
        self.reverse = reverse
        self.rows: Sequence[T] = ()
        self.keep: Callable[[T], bool] | None = None
        self.view: list[int] = []
        self._styles: dict[str | None, Style] = {}  # component and row styles, by name

    # -- data ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        """Replace the rows, keeping filter, sort and (when it is still there) the cursor row."""
        current = self.current
        self.rows = rows
        self._reorder(current)

    def set_filter(self, keep: Callable[[T], bool] | None) -> None:
        self.keep = keep
        self._reorder(self.current)

    def sort_by(self, key: str, reverse: bool | None = None) -> None:
        """Sort by ``key``; asking for the current key again flips the order. The cursor
        and the view go to the first row, as a reader of a newly sorted table expects."""
        if key not in self._sort_keys:
            raise KeyError(key)
        if reverse is None:
            reverse = not self.reverse if key == self.sort_key else False
        self.sort_key, self.reverse = key, reverse
        self._reorder(None)  # a new order starts at its first row, cursor and view
        self.scroll_to(y=0, animate=False)
        self.post_message(self.Sorted(self, key, reverse))

    def set_width(self, key: str, width: int) -> None:
        self.columns = [
            Column(c.key, c.label, width, c.align).fitted(key in self._sort_keys)
            if c.key == key
            else c
            for c in self.columns
        ]
        self._resize()

    @property
    def current(self) -> T | None:
        """The row under the cursor."""
        if 0 <= self.cursor < len(self.view):
            return self.rows[self.view[self.cursor]]
        return None

    def visible_rows(self) -> list[T]:
        """Rows in display order (the filter and sort applied)."""
        return [self.rows[i] for i in self.view]

    def _reorder(self, keep_row: T | None) -> None:
        rows = self.rows
        view = ordered(rows, self.keep, self._sort_keys[self.sort_key], self.reverse)
        self.view = view
        self._resize()
        target = 0
        if keep_row is not None:
            ident, want = self._row_key, self._row_key(keep_row)
            target = next((n for n, i in enumerate(view) if ident(rows[i]) == want), 0)
        self.cursor = target
        self.refresh()

    def _resize(self) -> None:
        width = sum(c.width for c in self.columns) + 2 * len(self.columns)
        self.virtual_size = Size(width, len(self.view) + 1)

    # -- rendering ----------------------------------------------------------------------

    def _style(self, name: str | None) -> Style:
        if name not in self._styles:
            self._styles[name] = (
                self.get_component_rich_style(f"vtable--{name}") if name else Style()
            )
        return self._styles[name]

    def _row_style(self, name: str | None, cursor: bool) -> Style:
        """A row's style: its class gives the text colour, which shows on the cursor too."""
        key = f"{name}/{cursor}"
        if key not in self._styles:
            style = self.rich_style
            if cursor:
                style += self._style("cursor")
            if name:
                cls = self._style(name)
                style += Style(color=cls.color, bold=cls.bold or None, dim=cls.dim or None)
            self._styles[key] = style
        return self._styles[key]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _format(self, text: str, col: Column) -> str:
        if len(text) > col.width:
            text = text[: max(col.width - 1, 0)] + "…"
        return (text.rjust if col.align == "right" else text.ljust)(col.width) + "  "

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            segments = []
            for c in self.columns:
                label, style = c.label, self._style("header")
                if c.key == self.sort_key:
                    label += " ▼" if self.reverse else " ▲"
                    style = self._style("sorted")
                segments.append(Segment(self._format(label, c), style))
            strip = Strip(segments)
            return strip.crop(scroll_x, scroll_x + width).extend_cell_length(
                width, self._style("header")
            )
        n = scroll_y + y - 1
        if n >= len(self.view):
            return Strip.blank(width, base)
        row = self.rows[self.view[n]]
        name = self._row_class(row) if self._row_class is not None else None
        style = self._row_style(name, n == self.cursor)
        text = "".join(self._format(self._cell(row, c.key), c) for c in self.columns)
        return (
            Strip([Segment(text, style)])
            .crop(scroll_x, scroll_x + width)
            .extend_cell_length(width, style)
        )

    # -- movement -----------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if not self.view:
            return
        clamped = min(max(new, 0), len(self.view) - 1)
        if clamped != new:
            self.cursor = clamped
            return
        body = max(self.size.height - 1, 1)
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_y + body:
            self.scroll_to(y=new - body + 1, animate=False)
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.rows[self.view[new]]))

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.size.height - 2, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.view) - 1

    def action_select(self) -> None:
        if (row := self.current) is not None:
            self.post_message(self.RowSelected(self, row))

    def action_sort_next(self) -> None:
        keys = [c.key for c in self.columns if c.key in self._sort_keys]
        nxt = (
            keys[(keys.index(self.sort_key) + 1) % len(keys)] if self.sort_key in keys else keys[0]
        )
        self.sort_by(nxt, reverse=False)

    def action_reverse(self) -> None:
        self.sort_by(self.sort_key, reverse=not self.reverse)

    def column_at(self, x: int) -> Column | None:
        """The column under content offset ``x`` (scrolling included)."""
        x += int(self.scroll_x)
        for c in self.columns:
            if x < c.width + 2:
                return c
            x -= c.width + 2
        return None

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        if event.y == 0:
            col = self.column_at(event.x)
            if col is not None and col.key in self._sort_keys:
                self.sort_by(col.key)
            return
        n = int(self.scroll_y) + event.y - 1
        if 0 <= n < len(self.view):
            if n == self.cursor or event.chain > 1:
                self.cursor = n
                self.action_select()
            else:
                self.cursor = n

    def on_resize(self) -> None:
        self._resize()
