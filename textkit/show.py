"""Terminal views for people: a table of task records and the outline as a tree (rich)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from textkit.records import Extraction, TaskRecord


def _console() -> Console:
    return Console(soft_wrap=False)


def print_table(extraction: Extraction, console: Console | None = None) -> None:
    """One row per task: path, kind, heading or text, owners, deadline, cadence, targets."""
    console = console or _console()
    doc = extraction.document
    table = Table(title=f"{doc.title or doc.source or '(untitled)'}  {doc.date or ''}".strip(), show_lines=False)
    # One owner, cadence or target a line, each column as wide as its widest line (up to 24 cells):
    # rich wraps only at whitespace, so "A、B" in a narrow column was folded inside a name. The task
    # text takes what is left, one line each, cut with … so the table stays scannable.
    rows = [_row(task) for task in extraction.tasks]
    widths = [min(24, max([6, *(cell_len(line) for row in rows for line in row[i].splitlines())])) for i in range(3, 7)]
    task_width = max(16, min(56, console.width - 26 - sum(w + 3 for w in widths)))
    table.add_column("路径", style="cyan", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("工作任务", no_wrap=True, overflow="ellipsis", width=task_width)
    for (name, style), width in zip((("责任单位", "green"), ("完成时限", "magenta"), ("频次", "yellow"),
                                     ("目标", "blue")), widths, strict=True):
        table.add_column(name, style=style, overflow="fold", min_width=width)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(f"{len(extraction.directives)} directives, {len(extraction.tasks) - len(extraction.directives)} subtasks")


_ROLE = {"lead": "牵头", "support": "配合", "unspecified": ""}


def _row(task: TaskRecord) -> tuple[str, ...]:
    owners = "\n".join(f"{o.name}({_ROLE[o.role]})" if o.role != "unspecified" else o.name for o in task.owners)
    deadline = ""
    if task.deadline:
        deadline = task.deadline.text + (f"\n→ {task.deadline.due}" if task.deadline.due else "")
    label = task.heading if task.kind == "directive" and task.heading else task.text
    return (
        task.path,
        "要求" if task.kind == "directive" else "  子项",
        _short(label, 48),
        owners,
        deadline,
        "\n".join(f"{c.text}({c.freq})" for c in task.cadence),
        "\n".join(t.text for t in task.targets),
    )


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_outline(text: str, source: str | None = None, console: Console | None = None) -> None:
    """The outline as a tree: each node with marker, family, heading, directive verdict and span."""
    from textkit.clean import clean
    from textkit.extractors.directives import decide
    from textkit.outline import parse

    console = console or _console()
    cleaned = clean(text)
    outline = parse(cleaned)
    verdicts = {id(d.node): d for d in decide(outline)}
    title = outline.title or "(no title found)"
    tree = Tree(f"[bold]{title}[/bold]  {outline.date or ''}  [dim]{source or ''}[/dim]")
    branches: dict[int, Tree] = {}
    for node in outline.walk():
        decision = verdicts[id(node)]
        start, end = cleaned.to_original(node.start, node.end)
        heading = cleaned.as_written(node.body_start, node.heading_end).strip()
        kind = "[green]directive[/green]" if decision.directive else (
            "[dim]container[/dim]" if node.children else "[yellow]not work[/yellow]")
        label = f"[cyan]{node.path}[/cyan] {node.marker} {_short(heading, 40)}  {kind} [dim]span {start}–{end}[/dim]"
        parent = branches.get(id(node.parent), tree) if node.parent else tree
        branches[id(node)] = parent.add(label)
    console.print(tree)
