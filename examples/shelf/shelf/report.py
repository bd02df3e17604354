"""Plain-text stock reports."""

from .models import Inventory


def format_line(item):
    """One report line: name, quantity and value, aligned in columns."""
    return f"{item.name:<20} {item.quantity:>5} {item.value():>10.2f}"


def stock_report(inventory: Inventory):
    """A full report of the inventory: one line per item and a total at the end."""
    lines = [format_line(item) for item in sorted(inventory._items.values(), key=lambda i: i.sku)]
    average = inventory.total_value() / len(inventory) if len(inventory) else 0.0
    lines.append(f"{'TOTAL':<20} {'':>5} {inventory.total_value():>10.2f}")
    lines.append(f"{'AVERAGE':<20} {'':>5} {average:>10.2f}")
    return "\n".join(lines)
