//! A plain-text stock report.

use crate::format_cents;
use crate::warehouse::Warehouse;
use crate::Priced;

/// Pads `text` with spaces on the right to `width` characters; longer text is cut to `width` and ends in `~`.
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        let mut out = String::from(text);
        out.extend(std::iter::repeat(' ').take(width - count));
        return out;
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('~');
    out
}

/// One line per item (code, name, level and value), then a total line; items out of stock are marked `(out)`.
pub fn render(warehouse: &Warehouse) -> String {
    let mut lines = Vec::new();
    for (item, level) in warehouse.items() {
        let value = item.total_price(level).unwrap_or(u64::MAX);
        let mark = if level == 0 { " (out)" } else { "" };
        lines.push(format!("{} {} {:>6} {:>10}{}", fit(item.sku.as_str(), 8), fit(&item.name, 16), level, format_cents(value), mark));
    }
    lines.push(format!("total {:>40}", format_cents(warehouse.stock_value())));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc~");
        assert_eq!(fit("", 0), "");
    }
}
