"""Terminal views for people: a table of task records and the outline as a tree (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from textkit.records import Extraction


def _console() -> Console:
    return Console(soft_wrap=False)


def print_table(extraction: Extraction, console: Console | None = None) -> None:
    """One row per task: path, kind, heading or text, owners, deadline, cadence, targets."""
    console = console or _console()
    doc = extraction.document
    table = Table(title=f"{doc.title or doc.source or '(untitled)'}  {doc.date or ''}".strip(), show_lines=False)
    table.add_column("路径", style="cyan", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    # the task is the widest column; one line each, cut with … so the table stays scannable
    task_width = max(16, min(56, console.width - 62))
    table.add_column("工作任务", no_wrap=True, overflow="ellipsis", width=task_width)
    for name, style in (("责任单位", "green"), ("完成时限", "magenta"), ("频次", "yellow"), ("目标", "blue")):
        table.add_column(name, style=style, overflow="fold", min_width=6)
    for task in extraction.tasks:
        owners = "、".join(f"{o.name}({_ROLE[o.role]})" if o.role != "unspecified" else o.name for o in task.owners)
        deadline = ""
        if task.deadline:
            deadline = task.deadline.text + (f" → {task.deadline.due}" if task.deadline.due else "")
        label = task.heading if task.kind == "directive" and task.heading else task.text
        table.add_row(
            task.path,
            "要求" if task.kind == "directive" else "  子项",
            _short(label, 48),
            owners,
            deadline,
            "、".join(f"{c.text}({c.freq})" for c in task.cadence),
            "、".join(t.text for t in task.targets),
        )
    console.print(table)
    console.print(f"{len(extraction.directives)} directives, {len(extraction.tasks) - len(extraction.directives)} subtasks")


_ROLE = {"lead": "牵头", "support": "配合", "unspecified": ""}


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
