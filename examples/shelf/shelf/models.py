"""The items an inventory holds and the inventory itself."""

from dataclasses import dataclass, field

from .pricing import round_money


@dataclass
class Item:
    """One kind of article kept in stock."""

    sku: str
    name: str
    unit_price: float
    quantity: int = 0
    tags: list = field(default_factory=list)

    def value(self):
        """What all units of this article are worth together."""
        return round_money(self.unit_price * self.quantity)


class Inventory:
    """A collection of items keyed by their stock-keeping unit."""

    def __init__(self):
        self._items = {}

    def add(self, item):
        """Put an item in stock, merging quantities when the SKU is already known."""
        existing = self._items.get(item.sku)
        if existing is None:
            self._items[item.sku] = item
        else:
            existing.quantity += item.quantity
        return self._items[item.sku]

    def remove(self, sku, quantity):
        """Take units out of stock and return how many were actually removed."""
        item = self._items[sku]
        taken = min(quantity, item.quantity)
        item.quantity -= taken
        return taken

    def total_value(self):
        """Sum of the value of every item in stock."""
        return round_money(sum(item.value() for item in self._items.values()))

    def find_by_tag(self, tag):
        """Items carrying the given tag, sorted by name."""
        matches = [item for item in self._items.values() if tag in item.tags]
        return sorted(matches, key=lambda item: item.name)

    def __len__(self):
        return len(self._items)
