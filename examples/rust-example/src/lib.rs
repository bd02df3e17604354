//! Inventory bookkeeping: items, a warehouse of stock levels and a text report.
//!
//! The crate uses only the standard library.

pub mod report;
pub mod warehouse;

use std::fmt;

/// A stock-keeping unit: the code that names one kind of item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);

impl Sku {
    /// Builds a code from text, upper-cased and trimmed; `None` when nothing but spaces is left or when the
    /// text holds anything other than letters, digits and dashes.
    pub fn parse(text: &str) -> Option<Sku> {
        let code = text.trim().to_ascii_uppercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        Some(Sku(code))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Something that has a price per unit, in cents.
pub trait Priced {
    /// The price of one unit, in cents.
    fn unit_price(&self) -> u64;

    /// The price of `quantity` units, in cents, or `None` when it does not fit in 64 bits.
    fn total_price(&self, quantity: u64) -> Option<u64> {
        self.unit_price().checked_mul(quantity)
    }
}

/// An item the warehouse stocks: its code, a name and a unit price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub sku: Sku,
    pub name: String,
    pub price_cents: u64,
}

impl Priced for Item {
    fn unit_price(&self) -> u64 {
        self.price_cents
    }
}

/// Formats an amount of cents as `units.cents` with two digits after the point, e.g. `1234` as `12.34`.
pub fn format_cents(cents: u64) -> String {
    let units = cents / 100;
    let rest = cents % 100;
    format!("{}.{:02}", units, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_normalises_codes() {
        assert_eq!(Sku::parse("  ab-12 ").unwrap().as_str(), "AB-12");
        assert_eq!(Sku::parse("   "), None);
        assert_eq!(Sku::parse("a b"), None);
    }

    #[test]
    fn total_price_multiplies() {
        let item = Item { sku: Sku::parse("x1").unwrap(), name: "bolt".into(), price_cents: 25 };
        assert_eq!(item.total_price(4), Some(100));
        assert_eq!(item.total_price(u64::MAX), None);
    }

    #[test]
    fn cents_are_formatted_with_two_digits() {
        assert_eq!(format_cents(1234), "12.34");
        assert_eq!(format_cents(5), "0.05");
    }
}
