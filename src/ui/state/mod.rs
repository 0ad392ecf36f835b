//! App-wide state, provided as Leptos context by [`crate::ui::App`] and read with
//! `expect_context`: the language, the theme, the current route, the compute backend, the MNIST
//! lab (the model in use, for all three models) and the training run. Widgets read and change
//! it; nothing here imports a widget.

pub mod backend;
pub mod compare_run;
pub mod infer;
pub mod lab;
pub mod lab_ask;
pub mod lang;
pub mod quiz_hide;
pub mod route;
pub mod run_view;
pub mod theme;
pub mod train_run;
pub mod train_worker;

use crate::models::classifier::ModelKind;
use leptos::prelude::*;
use train_run::Run;

/// Provides what the app and an embedded widget share: the language (returned), the theme, the
/// compute backend, the MNIST lab and the training run; then applies the model the address
/// names (`?model=`), if any.
pub fn provide_shared() -> lang::LangState {
    let lang = lang::provide();
    theme::provide();
    backend::provide();
    let lab = lab::provide();
    infer::provide();
    lab_ask::provide(lab);
    train_run::provide();
    compare_run::provide();
    if let Some(kind) = model_from_address() {
        choose_model(kind);
    }
    // The lab's model is in the address (`?model=`, absent for the lesson's Net), so every
    // share link of a model-driven widget (drawing, maps, gallery, evaluation) reproduces it.
    if let Some(lab) = use_context::<lab::Lab>() {
        Effect::new(move |_| {
            let kind = lab.kind.get();
            let value = (kind != ModelKind::default()).then(|| kind.name());
            crate::ui::url_state::set_query("model", value);
        });
    }
    lang
}

/// Makes `kind` the lab's model and, if no run has started, the model to train. While a run
/// trains, nothing changes: the lab shows the model being trained.
pub fn choose_model(kind: ModelKind) {
    let run = use_context::<Run>();
    if run.is_some_and(Run::running_untracked) {
        return;
    }
    if let Some(lab) = use_context::<lab::Lab>() {
        lab.choose(kind);
    }
    if let Some(run) = run {
        run.pick_model(kind);
    }
}

/// The `model` the address asks for, if it names one.
pub fn model_from_address() -> Option<ModelKind> {
    crate::ui::platform::query_param("model").and_then(|m| ModelKind::parse(&m).ok())
}
