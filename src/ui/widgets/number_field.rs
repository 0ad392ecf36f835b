//! A labelled number field of a run's settings, as the Train page's panel and each compared
//! run's settings show them: the text of `key` above an `<input type="number">` of class
//! `class` with its `min`/`max`/`step`, showing `value()`, locked while `disabled()`;
//! `on_change` reads a change (and keeps the old value for anything out of range).

use crate::ui::state::lang::t;
use leptos::prelude::*;

/// A field's `(min, max, step)`; `max` `None` for no maximum.
pub type Range = (&'static str, Option<&'static str>, &'static str);

/// The field (see the module docs).
pub fn number_field(
    key: &'static str,
    class: String,
    (min, max, step): Range,
    value: impl Fn() -> String + Send + Sync + 'static,
    disabled: impl Fn() -> bool + Send + Sync + 'static,
    on_change: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    view! {
        <label>
            <span>{t(key)}</span>
            <input class=class type="number" min=min max=max step=step
                prop:value=value prop:disabled=disabled on:change=on_change/>
        </label>
    }
}
