"""Price arithmetic shared by the inventory and the reports."""

from decimal import Decimal, ROUND_HALF_UP


def round_money(amount):
    """Round an amount to whole cents, halves away from zero."""
    return float(Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def apply_discount(price, percent):
    """Return the price after taking off the given percentage.

    The percentage is a number such as 15 for fifteen percent. Percentages outside 0..100 are clamped, so
    the result is never negative and never above the original price.
    """
    if price < 0:
        raise ValueError("price must not be negative")
    percent = min(max(percent, 0), 100)
    reduced = price * (100 - percent) / 100
    return round_money(reduced)


def bulk_price(unit_price, quantity, tiers=None):
    """Price for buying many units at once.

    Larger orders get the discount of the highest tier they reach. `tiers` maps a minimum quantity to a
    percentage; the default gives 5% from 10 units and 10% from 50 units.
    """
    if quantity <= 0:
        return 0.0
    tiers = tiers or {10: 5, 50: 10}
    percent = 0
    for minimum, tier_percent in sorted(tiers.items()):
        if quantity >= minimum:
            percent = tier_percent
    return round_money(apply_discount(unit_price, percent) * quantity)
