//! The Train page's "Compare two runs" in its link (`?compare=`): both runs' settings (the
//! core's [`CompareSettings`]), each clamped as the Train page's own settings are.

use super::WidgetState;
use crate::train::compare::CompareSettings;

impl WidgetState for CompareSettings {
    const KEY: &'static str = "compare";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        for (name, side) in [("A", &mut self.a), ("B", &mut self.b)] {
            let mut side_notes = Vec::new();
            side.clamp(&mut side_notes);
            notes.extend(side_notes.into_iter().map(|n| format!("{name}: {n}")));
        }
        // One seed for both (A's).
        self.b.seed = self.a.seed;
    }
}

#[cfg(test)]
mod tests {
    use crate::train::compare::CompareSettings;
    use crate::widget_state::{parse, to_json};

    #[test]
    fn both_runs_round_trip_through_the_link() {
        let mut s = CompareSettings::default();
        s.b.adam = true;
        s.b.lr = 0.001;
        assert_eq!(parse::<CompareSettings>(&to_json(&s)), (s, vec![]));
        let (s, notes) = parse::<CompareSettings>(r#"{"a":{"lr":5},"b":{"batch":0,"seed":4}}"#);
        assert_eq!((s.a.lr, s.b.batch, s.b.seed), (0.01, 1, 1));
        assert_eq!(notes, ["A: lr 5 → 0.01", "B: batch 0 → 1"]);
    }
}
