//! App-wide state, provided as Leptos context by [`crate::ui::App`] and read with
//! `expect_context`: the language, the theme and the current route.

pub mod backend;
pub mod lab;
pub mod lang;
pub mod route;
pub mod theme;

use crate::ui::widgets::{model_link, train_run};

/// Provides what the app and an embedded widget share: the language (returned), the theme, the
/// compute backend, the MNIST lab and the training run; then applies the model the address
/// names (`?model=`), if any.
pub fn provide_shared() -> lang::LangState {
    let lang = lang::provide();
    theme::provide();
    backend::provide();
    lab::provide();
    train_run::provide();
    if let Some(kind) = model_link::from_address() {
        model_link::apply(kind);
    }
    lang
}
