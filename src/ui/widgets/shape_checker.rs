//! The Net's architecture and the lesson's point about the 320: layer by layer, the output
//! shape, parameters and multiplications for an input of the chosen size. Convolution and
//! pooling accept any size; `Linear(320, 10)` only the one that flattens to 320, so for other
//! sizes the table stops at `fc` with the reason and the fix. All rows from
//! [`crate::models::Net::summary`].

use crate::models::Net;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::url_state::{Field, LinkNote, bind};
use crate::ui::widgets::format::{grouped, shape};
use crate::widget_state::ShapesState;
use leptos::prelude::*;

/// The architecture table with an input-size control.
#[component]
pub fn ShapeChecker() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let (state, link_notes) = bind(ShapesState::default());
    let side = Field::from(slice!(state.side));
    let summary = Memo::new(move |_| Net::summary(1, side.get(), side.get()));
    let rows = move || {
        summary.with(|s| {
            s.rows
                .iter()
                .map(|r| {
                    view! {
                        <tr>
                            <td><code>{r.name.clone()}</code></td>
                            <td><code>{r.layer.clone()}</code></td>
                            <td class="num"><code>{shape(&r.output)}</code></td>
                            <td class="num">{grouped(r.params as u64)}</td>
                            <td class="num">{grouped(r.mults)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    // Whether the table is wider than its box (measured after each change and on resize).
    let scroller = NodeRef::<leptos::html::Div>::new();
    let overflowing = RwSignal::new(false);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            overflowing.set(el.scroll_width() > el.client_width() + 1);
        }
    };
    let handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        scroller.track();
        summary.track();
        lang.track();
        request_animation_frame(measure);
    });
    let fix = move || {
        summary.with(|s| {
            s.error.as_ref().map(|(layer, err)| {
                let flat = s.rows.last().map(|r| r.output.iter().skip(1).product::<usize>()).unwrap_or(0);
                view! {
                    <p class="conv-error shape-error" role="alert">
                        <strong>{layer.clone()}": "</strong>{crate::i18n::core_errors::shape(lang.get(), err)}" "
                        {(layer == "fc" && flat > 0).then(|| format!("{} Linear({flat}, 10).", tr("shapes.fix")))}
                    </p>
                }
            })
        })
    };
    view! {
        <section class="widget shape-checker" aria-labelledby="shapes-heading">
            <h2 id="shapes-heading">{t("shapes.heading")}</h2>
            <label class="zoom">
                <span>{t("shapes.input")}</span>
                <input class="shapes-side" type="range" min="12" max="64" step="1"
                    prop:value=move || side.get().to_string()
                    on:input=move |ev| side.set(event_target_value(&ev).parse().unwrap_or(28)) />
                <output class="shapes-side-value">{move || format!("{0} × {0}", side.get())}</output>
            </label>
            <LinkNote notes=link_notes/>
            // On a narrow screen the table scrolls sideways: a shadow at the hidden side and a
            // line above say so, and the scroll box takes the keyboard focus (arrow keys scroll).
            <Show when=move || overflowing.get()>
                <p class="hint shapes-scroll-hint">{t("shapes.scroll_hint")}</p>
            </Show>
            <div class="shapes-scroll" node_ref=scroller class:overflowing=move || overflowing.get()
                tabindex=move || overflowing.get().then_some("0")
                role=move || overflowing.get().then_some("region")
                aria-label=move || overflowing.get().then(|| tr("shapes.table_label"))>
            <table class="cost-table shapes-table">
                <thead>
                    <tr>
                        <th>{t("shapes.name")}</th><th>{t("shapes.layer")}</th><th>{t("shapes.output")}</th>
                        <th>{t("cost.params")}</th><th>{t("cost.mults")}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr><td><code>"x"</code></td><td></td><td class="num"><code>{move || shape(&[1, 1, side.get(), side.get()])}</code></td><td></td><td></td></tr>
                    {rows}
                </tbody>
                <tfoot>
                    <tr>
                        <th colspan="3">{t("shapes.total")}</th>
                        <td class="num shapes-total-params">{move || grouped(summary.with(|s| s.total_params()) as u64)}</td>
                        <td class="num">{move || grouped(summary.with(|s| s.total_mults()))}</td>
                    </tr>
                </tfoot>
            </table>
            </div>
            {fix}
        </section>
    }
}
