//! The lab's answer for its current image, shown inside the widget that chose the image (the
//! gallery, the upload), so the learner sees it where they are looking, not only in the
//! classifier at the top of the page. The probabilities are the lab's (the model's), from its answer
//! ([`LabAnswer`], computed off the main thread).

use crate::train::fit::argmax;
use crate::ui::state::lab::{Lab, LabInput, Origin};
use crate::ui::state::lab_ask::LabAnswer;
use crate::ui::state::lang::use_tr;
use leptos::prelude::*;

/// Which images a result line speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultFor {
    /// Test digits picked in the gallery.
    Test,
    /// Uploaded pictures.
    Upload,
}

/// "Test digit #3 (label 0): model says 0 (99.9 %)" while the lab shows an image of `from`;
/// nothing otherwise. `class`: the paragraph's class.
#[component]
pub fn LabResult(from: ResultFor, class: &'static str) -> impl IntoView {
    let tr = use_tr();
    let lab = Lab::get();
    let answer = LabAnswer::get();
    let text = move || {
        let input: LabInput = lab.input.get()?;
        let origin = match (&input.origin, from) {
            (Origin::Test(i, label), ResultFor::Test) => {
                format!(
                    "{} #{i} ({} {label})",
                    tr("draw.from_test"),
                    tr("draw.label")
                )
            }
            (Origin::Upload(name), ResultFor::Upload) => {
                format!("{} {name}", tr("draw.from_upload"))
            }
            _ => return None,
        };
        // The lab's answer, once it is the answer for this image (in the worker, it comes a
        // moment after the image).
        let probs = answer
            .probs
            .get()
            .filter(|_| answer.of.get().as_ref() == Some(&input.origin))?;
        let d = argmax(&probs);
        Some((
            format!(
                "{origin}: {} {d} ({:.1} %)",
                tr("gallery.predicted"),
                probs[d] * 100.0
            ),
            d,
        ))
    };
    view! {
        <p class=format!("lab-result {class}") role="status" aria-live="polite"
            data-guess=move || text().map(|(_, d)| d.to_string())>
            {move || text().map(|(s, _)| s)}
        </p>
    }
}
