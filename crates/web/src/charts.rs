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

/// A point of a line chart: the x label (a year) and the value.
#[derive(Debug, Clone)]
pub struct Point {
    /// Position on the x axis (e.g. the year).
    pub x: f64,
    /// Value.
    pub y: f64,
    /// Text shown at the point.
    pub label: String,
}

/// A line chart of one series over x (years), with the value at every point.
pub fn line_chart(id: &str, title: &str, points: &[Point]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 260.0;
    const PAD: f64 = 50.0;
    let (min_x, max_x) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.x), hi.max(p.x))
    });
    let max_y = points.iter().map(|p| p.y).fold(0.0_f64, f64::max);
    let span_x = if max_x > min_x { max_x - min_x } else { 1.0 };
    let sx = |x: f64| PAD + (x - min_x) / span_x * (WIDTH - 2.0 * PAD);
    let sy = |y: f64| {
        if max_y > 0.0 {
            HEIGHT - PAD - y / max_y * (HEIGHT - 2.0 * PAD)
        } else {
            HEIGHT - PAD
        }
    };
    let description: Vec<String> = points
        .iter()
        .map(|p| format!("{}: {}", p.x, p.label))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg id="{id}" class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><line x1="{PAD}" y1="{b}" x2="{r}" y2="{b}" stroke="#5b6472"/>"##,
        escape(title),
        escape(&description.join("; ")),
        b = HEIGHT - PAD,
        r = WIDTH - PAD,
    );
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", sx(p.x), sy(p.y)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#b3261e" stroke-width="3"/>"##,
        path.join(" ")
    );
    for p in points {
        let _ = write!(
            svg,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="#b3261e"/><text x="{x:.1}" y="{ty:.1}" text-anchor="middle" font-size="13" fill="#1d2330">{label}</text><text x="{x:.1}" y="{ay:.1}" text-anchor="middle" font-size="13" fill="#5b6472">{year}</text>"##,
            x = sx(p.x),
            y = sy(p.y),
            ty = sy(p.y) - 12.0,
            ay = HEIGHT - PAD + 20.0,
            label = escape(&p.label),
            year = p.x,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A place on a proportional-symbol map.
#[derive(Debug, Clone)]
pub struct Place {
    /// Name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Size of the symbol (area proportional to it).
    pub value: f64,
    /// Text shown beside the symbol.
    pub value_text: String,
}

/// A proportional-symbol map: each place a circle whose area follows its value, placed by its
/// coordinates (equirectangular, framed to the places shown). No base map: the positions carry
/// the geography, and the text alternative lists every place.
pub fn symbol_map(id: &str, title: &str, places: &[Place]) -> String {
    let frame = Frame::around(places.iter().map(|p| (p.lat, p.lon)));
    let (sx, sy) = (|lon| frame.x(lon), |lat| frame.y(lat));
    let max = places.iter().map(|p| p.value).fold(0.0_f64, f64::max);
    let description: Vec<String> = places
        .iter()
        .map(|p| format!("{}: {}", p.name, p.value_text))
        .collect();
    let mut svg = Frame::open_svg(id, title, &description.join("; "));
    for p in places {
        let r = if max > 0.0 {
            4.0 + 36.0 * (p.value.max(0.0) / max).sqrt()
        } else {
            4.0
        };
        let _ = write!(
            svg,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="#b3261e" fill-opacity="0.55" stroke="#b3261e"/><text x="{tx:.1}" y="{y:.1}" font-size="13" fill="#1d2330">{name} {value}</text>"##,
            x = sx(p.lon),
            y = sy(p.lat),
            tx = sx(p.lon) + r + 4.0,
            name = escape(&p.name),
            value = escape(&p.value_text),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// An equirectangular frame fitted to a set of coordinates, shared by the maps.
struct Frame {
    lat_min: f64,
    lon_min: f64,
    span: f64,
}

impl Frame {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 420.0;
    const PAD: f64 = 60.0;

    fn around(points: impl Iterator<Item = (f64, f64)>) -> Frame {
        let (mut lat, mut lon) = ((f64::MAX, f64::MIN), (f64::MAX, f64::MIN));
        for (la, lo) in points {
            lat = (lat.0.min(la), lat.1.max(la));
            lon = (lon.0.min(lo), lon.1.max(lo));
        }
        Frame {
            lat_min: lat.0,
            lon_min: lon.0,
            span: ((lat.1 - lat.0).max(lon.1 - lon.0)).max(1.0),
        }
    }

    /// The opening of a map's SVG: its text alternative and the sea.
    fn open_svg(id: &str, title: &str, description: &str) -> String {
        format!(
            r##"<svg id="{id}" class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect x="0" y="0" width="{w}" height="{h}" fill="#eef3f8"/>"##,
            escape(title),
            escape(description),
            w = Frame::WIDTH,
            h = Frame::HEIGHT,
        )
    }

    fn x(&self, lon: f64) -> f64 {
        Self::PAD + (lon - self.lon_min) / self.span * (Self::WIDTH - 2.0 * Self::PAD)
    }

    fn y(&self, lat: f64) -> f64 {
        Self::HEIGHT
            - Self::PAD
            - (lat - self.lat_min) / self.span * (Self::HEIGHT - 2.0 * Self::PAD)
    }
}

/// A plant or a market on a [`flow_map`].
#[derive(Debug, Clone)]
pub struct FlowNode {
    /// Name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// A plant (circle, sized by its units) or a market (square).
    pub is_plant: bool,
    /// Units made (plants) or demanded (markets), for the size and the text.
    pub units: f64,
    /// Text shown beside it.
    pub value_text: String,
}

/// Units shipped between two nodes of a [`flow_map`] (indices into its nodes).
#[derive(Debug, Clone)]
pub struct FlowLine {
    /// The plant.
    pub from: usize,
    /// The market.
    pub to: usize,
    /// Units (the line's width follows them).
    pub units: f64,
    /// Text for the text alternative.
    pub value_text: String,
}

/// A network footprint: open plants as circles sized by what they make, markets as squares,
/// and a line for each flow whose width follows its units. The text alternative lists every
/// flow.
pub fn flow_map(id: &str, title: &str, nodes: &[FlowNode], lines: &[FlowLine]) -> String {
    let frame = Frame::around(nodes.iter().map(|n| (n.lat, n.lon)));
    let max_units = nodes.iter().map(|n| n.units).fold(0.0_f64, f64::max);
    let max_flow = lines.iter().map(|l| l.units).fold(0.0_f64, f64::max);
    let description: Vec<String> = lines
        .iter()
        .map(|l| {
            format!(
                "{} → {}: {}",
                nodes[l.from].name, nodes[l.to].name, l.value_text
            )
        })
        .collect();
    let mut svg = Frame::open_svg(id, title, &description.join("; "));
    for l in lines {
        let (a, b) = (&nodes[l.from], &nodes[l.to]);
        let width = if max_flow > 0.0 {
            1.0 + 9.0 * l.units / max_flow
        } else {
            1.0
        };
        let _ = write!(
            svg,
            r##"<line class="flow" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1f5fa8" stroke-opacity="0.45" stroke-width="{width:.1}"/>"##,
            frame.x(a.lon),
            frame.y(a.lat),
            frame.x(b.lon),
            frame.y(b.lat),
        );
    }
    for n in nodes {
        let size = if max_units > 0.0 {
            4.0 + 26.0 * (n.units.max(0.0) / max_units).sqrt()
        } else {
            4.0
        };
        let (x, y) = (frame.x(n.lon), frame.y(n.lat));
        if n.is_plant {
            let _ = write!(
                svg,
                r##"<circle class="plant" cx="{x:.1}" cy="{y:.1}" r="{size:.1}" fill="#b3261e" fill-opacity="0.6" stroke="#b3261e"/>"##
            );
        } else {
            let _ = write!(
                svg,
                r##"<rect class="market" x="{:.1}" y="{:.1}" width="12" height="12" fill="#1d2330"/>"##,
                x - 6.0,
                y - 6.0
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="13" fill="#1d2330">{} {}</text>"##,
            x + size.max(6.0) + 4.0,
            y + 4.0,
            escape(&n.name),
            escape(&n.value_text)
        );
    }
    svg.push_str("</svg>");
    svg
}
