"""shelf: a small inventory toolkit."""

from .models import Item, Inventory
from .pricing import apply_discount, bulk_price, round_money

__all__ = ["Item", "Inventory", "apply_discount", "bulk_price", "round_money"]
