import unittest

from shelf.models import Inventory, Item
from shelf.report import stock_report


class ReportTest(unittest.TestCase):
    def test_report_lists_items_and_total(self):
        inv = Inventory()
        inv.add(Item("A1", "Bolt", 0.25, 100))
        inv.add(Item("B2", "Nut", 0.1, 50))
        text = stock_report(inv)
        self.assertIn("Bolt", text)
        self.assertIn("TOTAL", text)
        self.assertIn("30.00", text)

    def test_empty_inventory(self):
        text = stock_report(Inventory())
        self.assertIn("TOTAL", text)


if __name__ == "__main__":
    unittest.main()
