use inventory::report::render;
use inventory::warehouse::Warehouse;
use inventory::{Item, Sku};

#[test]
fn report_lists_items_and_total() {
    let mut w = Warehouse::new();
    let sku = Sku::parse("n-7").unwrap();
    w.register(Item { sku: sku.clone(), name: "nut".into(), price_cents: 12 });
    w.register(Item { sku: Sku::parse("w-1").unwrap(), name: "washer".into(), price_cents: 3 });
    w.receive(&sku, 5).unwrap();
    let text = render(&w);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("N-7"));
    assert!(lines[0].contains("0.60"));
    assert!(lines[1].ends_with("(out)"));
    assert!(lines[2].starts_with("total") && lines[2].ends_with("0.60"));
}
