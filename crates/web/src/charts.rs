//! SVG charts drawn on the server: no script, readable without colour, each with a text
//! alternative (`role="img"`, `<title>`, `<desc>`) that lists the values.

use std::fmt::Write;

/// One bar: its label, its length, and the text printed at its end.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Label at the left.
    pub label: String,
    /// Length (any unit; bars are scaled to the largest).
    pub value: f64,
    /// Text shown after the bar, e.g. `HK$28.2bn (1.0%)`.
    pub value_text: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart. `id` names the element for links and tests.
pub fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    const ROW: f64 = 28.0;
    const LABEL_WIDTH: f64 = 300.0;
    const BAR_WIDTH: f64 = 380.0;
    const WIDTH: f64 = LABEL_WIDTH + BAR_WIDTH + 160.0;
    let height = ROW * bars.len() as f64 + 10.0;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let description: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.value_text))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(&description.join("; "))
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let length = if max > 0.0 && bar.value.is_finite() {
            (bar.value.max(0.0) / max) * BAR_WIDTH
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty}" text-anchor="end" font-size="13" fill="#1d2330">{label}</text><rect x="{bx}" y="{y}" width="{length:.1}" height="{bh}" fill="#b3261e"/><text x="{vx:.1}" y="{ty}" font-size="13" fill="#1d2330">{value}</text>"##,
            lx = LABEL_WIDTH - 8.0,
            ty = y + 15.0,
            label = escape(&bar.label),
            bx = LABEL_WIDTH,
            bh = ROW - 8.0,
            vx = LABEL_WIDTH + length + 6.0,
            value = escape(&bar.value_text),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_escapes_labels_and_lists_every_value_in_its_description() {
        let svg = bar_chart(
            "c",
            "Value <added>",
            &[
                Bar {
                    label: "R&D".into(),
                    value: 2.0,
                    value_text: "2".into(),
                },
                Bar {
                    label: "Other".into(),
                    value: 1.0,
                    value_text: "1".into(),
                },
            ],
        );
        assert!(svg.contains("<title id=\"c-title\">Value &lt;added&gt;</title>"));
        assert!(svg.contains("<desc id=\"c-desc\">R&amp;D: 2; Other: 1</desc>"));
        assert!(svg.contains("width=\"380.0\"") && svg.contains("width=\"190.0\""));
    }
}
