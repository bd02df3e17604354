//! Stock levels per item and the movements that changed them.

use std::collections::BTreeMap;

use crate::{Item, Priced, Sku};

/// Why a movement was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockError {
    /// The item is not known to the warehouse.
    UnknownItem(Sku),
    /// Taking out more than is in stock.
    Insufficient { sku: Sku, available: u64, requested: u64 },
}

/// One change of a stock level: positive when goods came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub sku: Sku,
    pub delta: i64,
}

/// Items, their stock levels and the history of movements, in order.
#[derive(Debug, Default)]
pub struct Warehouse {
    items: BTreeMap<Sku, Item>,
    levels: BTreeMap<Sku, u64>,
    history: Vec<Movement>,
}

impl Warehouse {
    /// An empty warehouse.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers an item with a stock level of zero; registering a known item again replaces its details and
    /// keeps its stock.
    pub fn register(&mut self, item: Item) {
        self.levels.entry(item.sku.clone()).or_insert(0);
        self.items.insert(item.sku.clone(), item);
    }

    /// The stock level of an item, or `None` when the item is unknown.
    pub fn level(&self, sku: &Sku) -> Option<u64> {
        self.levels.get(sku).copied()
    }

    /// Adds `quantity` units of a known item and records the movement.
    pub fn receive(&mut self, sku: &Sku, quantity: u64) -> Result<u64, StockError> {
        let level = self.levels.get_mut(sku).ok_or_else(|| StockError::UnknownItem(sku.clone()))?;
        *level += quantity;
        self.history.push(Movement { sku: sku.clone(), delta: quantity as i64 });
        Ok(*level)
    }

    /// Takes `quantity` units of a known item out of stock and records the movement; refuses to go below zero.
    pub fn ship(&mut self, sku: &Sku, quantity: u64) -> Result<u64, StockError> {
        let level = self.levels.get_mut(sku).ok_or_else(|| StockError::UnknownItem(sku.clone()))?;
        if *level < quantity {
            return Err(StockError::Insufficient { sku: sku.clone(), available: *level, requested: quantity });
        }
        *level -= quantity;
        self.history.push(Movement { sku: sku.clone(), delta: -(quantity as i64) });
        Ok(*level)
    }

    /// The total value of the stock in cents: every item's level times its unit price.
    pub fn stock_value(&self) -> u64 {
        let value_of = |item: &Item| item.total_price(self.levels.get(&item.sku).copied().unwrap_or(0)).unwrap_or(u64::MAX);
        self.items.values().map(value_of).fold(0u64, |acc, v| acc.saturating_add(v))
    }

    /// The items in code order, with their stock levels.
    pub fn items(&self) -> impl Iterator<Item = (&Item, u64)> + '_ {
        self.items.values().map(move |item| (item, self.levels.get(&item.sku).copied().unwrap_or(0)))
    }

    /// The movements so far, oldest first.
    pub fn history(&self) -> &[Movement] {
        &self.history
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bolt() -> Item {
        Item { sku: Sku::parse("B-1").unwrap(), name: "bolt".into(), price_cents: 30 }
    }

    #[test]
    fn receive_and_ship_move_the_level() {
        let mut w = Warehouse::new();
        let item = bolt();
        let sku = item.sku.clone();
        w.register(item);
        assert_eq!(w.receive(&sku, 10), Ok(10));
        assert_eq!(w.ship(&sku, 4), Ok(6));
        assert_eq!(w.history().len(), 2);
        assert_eq!(w.ship(&sku, 7), Err(StockError::Insufficient { sku: sku.clone(), available: 6, requested: 7 }));
    }

    #[test]
    fn unknown_items_are_refused() {
        let mut w = Warehouse::new();
        let sku = Sku::parse("nope").unwrap();
        assert_eq!(w.receive(&sku, 1), Err(StockError::UnknownItem(sku.clone())));
        assert_eq!(w.level(&sku), None);
    }

    #[test]
    fn stock_value_sums_levels_times_prices() {
        let mut w = Warehouse::new();
        let item = bolt();
        let sku = item.sku.clone();
        w.register(item);
        w.receive(&sku, 3).unwrap();
        assert_eq!(w.stock_value(), 90);
    }
}
