import unittest

from shelf.pricing import apply_discount, bulk_price, round_money


class PricingTest(unittest.TestCase):
    def test_round_money(self):
        self.assertEqual(round_money(2.675), 2.68)
        self.assertEqual(round_money(-1.005), -1.01)

    def test_apply_discount(self):
        self.assertEqual(apply_discount(200, 15), 170.0)
        self.assertEqual(apply_discount(19.99, 0), 19.99)

    def test_apply_discount_clamps_percent(self):
        self.assertEqual(apply_discount(50, 150), 0.0)
        self.assertEqual(apply_discount(50, -10), 50.0)

    def test_bulk_price(self):
        self.assertEqual(bulk_price(2.0, 5), 10.0)
        self.assertEqual(bulk_price(2.0, 10), 19.0)
        self.assertEqual(bulk_price(2.0, 60), 108.0)
        self.assertEqual(bulk_price(2.0, 0), 0.0)


if __name__ == "__main__":
    unittest.main()
