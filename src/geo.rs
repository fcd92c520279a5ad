//! District geometries from GeoJSON, for maps in reports.
//!
//! A scenario may name a GeoJSON FeatureCollection (`[map] geojson = "districts.geojson"`) whose
//! features carry the district's name in a property (`[map] property`, default `"name"`) and a
//! `Polygon` or `MultiPolygon` geometry in longitude/latitude. Only outer rings are kept. A run
//! writes the shapes of the scenario's districts into its result directory as
//! `districts.geojson` (property `district`), so a report can draw a choropleth map from the
//! directory alone.

use serde_json::{Value, json};

/// One district's outline: its name and its polygons (outer rings of (longitude, latitude)).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub district: String,
    pub polygons: Vec<Vec<(f64, f64)>>,
}

fn ring(v: &Value) -> Option<Vec<(f64, f64)>> {
    v.as_array()?
        .iter()
        .map(|p| {
            let p = p.as_array()?;
            Some((p.first()?.as_f64()?, p.get(1)?.as_f64()?))
        })
        .collect()
}

/// Reads the shapes from GeoJSON text; `property` names the district property. Errors say what
/// is wrong in words.
pub fn parse(text: &str, property: &str) -> Result<Vec<Shape>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err("not a GeoJSON FeatureCollection".into());
    }
    let features = doc.get("features").and_then(Value::as_array).ok_or("the FeatureCollection has no `features`")?;
    let mut out = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let name = f
            .get("properties")
            .and_then(|p| p.get(property))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("feature {i} has no string property \"{property}\""))?;
        let geometry = f.get("geometry").ok_or_else(|| format!("feature {i} (\"{name}\") has no geometry"))?;
        let coords = geometry.get("coordinates");
        let polygons = match geometry.get("type").and_then(Value::as_str) {
            Some("Polygon") => vec![coords.and_then(|c| c.get(0)).and_then(ring)],
            Some("MultiPolygon") => coords
                .and_then(Value::as_array)
                .map(|ps| ps.iter().map(|p| p.get(0).and_then(ring)).collect())
                .unwrap_or_default(),
            other => {
                return Err(format!("feature {i} (\"{name}\"): geometry {other:?} is not a Polygon or MultiPolygon"));
            }
        };
        let polygons: Option<Vec<Vec<(f64, f64)>>> = polygons.into_iter().collect();
        let polygons = polygons.ok_or_else(|| format!("feature {i} (\"{name}\"): malformed coordinates"))?;
        if polygons.iter().any(|p| p.len() < 3 || p.iter().any(|(x, y)| !x.is_finite() || !y.is_finite())) {
            return Err(format!("feature {i} (\"{name}\"): a polygon needs at least three finite points"));
        }
        out.push(Shape { district: name.to_string(), polygons });
    }
    Ok(out)
}

/// The shapes as GeoJSON with the district in the property `district`.
pub fn to_geojson(shapes: &[Shape]) -> String {
    let features: Vec<Value> = shapes
        .iter()
        .map(|s| {
            let polygons: Vec<Value> =
                s.polygons.iter().map(|p| json!([p.iter().map(|(x, y)| json!([x, y])).collect::<Vec<_>>()])).collect();
            json!({
                "type": "Feature",
                "properties": { "district": s.district },
                "geometry": { "type": "MultiPolygon", "coordinates": polygons },
            })
        })
        .collect();
    serde_json::to_string(&json!({ "type": "FeatureCollection", "features": features })).expect("serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_and_multipolygons_round_trip() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3]]]}},
          {"type":"Feature","properties":{"name":"B"},"geometry":{"type":"MultiPolygon","coordinates":[[[[2,0],[3,0],[3,1]]],[[[4,0],[5,0],[5,1]]]]}}
        ]}"#;
        let shapes = parse(text, "name").unwrap();
        assert_eq!(shapes.len(), 2);
        assert_eq!(shapes[0].polygons, vec![vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]], "holes dropped");
        assert_eq!(shapes[1].polygons.len(), 2);
        assert_eq!(parse(&to_geojson(&shapes), "district").unwrap(), shapes);
    }

    #[test]
    fn bad_geojson_is_explained() {
        assert!(parse("{", "name").unwrap_err().starts_with("not valid JSON"));
        assert_eq!(parse(r#"{"type":"Feature"}"#, "name").unwrap_err(), "not a GeoJSON FeatureCollection");
        let no_name = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#;
        assert_eq!(parse(no_name, "name").unwrap_err(), "feature 0 has no string property \"name\"");
        let point = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
        assert!(parse(point, "name").unwrap_err().contains("is not a Polygon or MultiPolygon"));
    }
}
