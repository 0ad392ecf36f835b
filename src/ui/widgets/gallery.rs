//! Real MNIST test digits: the 10,000 are fetched on demand (with progress), shown a page at a
//! time with the lab model's prediction under each (computed in the lab's
//! inference worker) (green border: right, dashed pink: wrong);
//! choosing one makes it the lab's input, so the classifier and the feature maps show it.

use crate::train::fit::argmax;
use crate::ui::state::infer::Latest;
use crate::ui::state::lab::{Lab, Origin};
use crate::ui::state::lab_ask;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::url_state::{LinkNote, follow};
use crate::ui::widgets::heat_canvas::HeatCanvas;
use crate::ui::widgets::infer_note::InferNote;
use crate::ui::widgets::lab_result::{LabResult, ResultFor};
use crate::widget_state::{GALLERY_PER_PAGE, GalleryState};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Digits per page.
const PER_PAGE: usize = GALLERY_PER_PAGE;

/// A progress bar for the test set's download (nothing when not loading).
#[component]
pub fn TestSetProgress() -> impl IntoView {
    let lab = Lab::get();
    let lang = expect_context::<LangState>().0;
    move || {
        lab.test_progress.get().map(|f| {
            view! {
                <div class="progress-line">
                    <span>{move || crate::i18n::tr(lang.get(), "gallery.loading")}</span>
                    <progress class="test-progress" max="1" value=f.to_string()></progress>
                    <span>{format!("{:.0} %", f * 100.0)}</span>
                </div>
            }
        })
    }
}

/// The gallery.
#[component]
pub fn Gallery() -> impl IntoView {
    let tr = use_tr();
    let lab = Lab::shipped();
    let page = RwSignal::new(0usize);
    let load = move |_| {
        spawn_local(async move {
            let _ = lab.test_set().await;
        });
    };
    let pages = move || lab.test_set_now().map_or(1, |t| t.len().div_ceil(PER_PAGE));
    let at_last = move || page.get() + 1 >= pages();
    let current = move || match lab.input.with(|i| i.as_ref().map(|i| i.origin.clone())) {
        Some(Origin::Test(i, _)) => Some(i),
        _ => None,
    };
    // A link with a page or a digit loads the test set and shows them (the link asked for it).
    let (state, link_notes) = follow(GalleryState::default(), move || GalleryState {
        page: page.get(),
        digit: current(),
    });
    if state != GalleryState::default() {
        page.set(state.page);
        spawn_local(async move {
            if lab.test_set().await.is_ok()
                && let Some(i) = state.digit
            {
                lab.show_test_digit(i);
            }
        });
    }
    // The model's answers for the page shown (recomputed when the model or the page changes;
    // the tiles themselves stay, so keyboard focus does too).
    // (Computed in the lab's inference worker; answers to an older page or model are dropped.)
    let predicted = RwSignal::new(Vec::<Option<usize>>::new());
    let latest = Latest::new();
    Effect::new(move |_| {
        lab.version.track();
        let ticket = latest.next();
        let Some(test) = lab.test_set_now() else {
            predicted.set(Vec::new());
            return;
        };
        let start = page.get() * PER_PAGE;
        let indices: Vec<usize> = (start..(start + PER_PAGE).min(test.len())).collect();
        let (x, _) = test.batch(&indices);
        spawn_local(async move {
            let probs = lab_ask::probabilities(lab, x.into_data(), indices.len()).await;
            if latest.is(ticket) {
                predicted.try_set(probs.map_or_else(
                    || vec![None; indices.len()],
                    |p| p.chunks(10).map(|r| Some(argmax(r))).collect(),
                ));
            }
        });
    });
    let shown = move || {
        lab.test_set_now().map_or_else(Vec::new, |test| {
            let start = page.get() * PER_PAGE;
            (start..(start + PER_PAGE).min(test.len())).collect::<Vec<usize>>()
        })
    };
    let tile = move |i: usize| {
        let test = lab.test_set_now();
        let (pixels, label) = test.map_or((vec![0.0; 784], 0), |t| {
            (
                t.image(i).iter().map(|&b| f32::from(b) / 255.0).collect(),
                t.labels[i],
            )
        });
        let p = move || predicted.with(|v| v.get(i % PER_PAGE).copied().flatten());
        let class = move || match p() {
            None => "tile",
            Some(d) if d == label as usize => "tile right",
            Some(_) => "tile wrong",
        };
        let said = move || p().map_or("?".to_string(), |d| d.to_string());
        let aria = move || {
            format!(
                "{} #{i}: {} {label}, {} {}",
                tr("draw.from_test"),
                tr("draw.label"),
                tr("gallery.predicted"),
                said()
            )
        };
        view! {
            <button type="button" class=class data-index=i aria-label=aria
                aria-pressed=move || (current() == Some(i)).to_string()
                on:click=move |_| lab.show_test_digit(i)>
                <HeatCanvas values=pixels width=28 height=28/>
                <span class="tile-label">{said}</span>
            </button>
        }
    };
    view! {
        <section class="widget gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">{t("gallery.heading")}</h2>
            <p class="hint">{t("gallery.hint")}</p>
            <LinkNote notes=link_notes/>
            <InferNote/>
            <Show when=move || !lab.test_ready.get()>
                <button type="button" class="gallery-load primary" prop:disabled=move || lab.test_progress.get().is_some() on:click=load>
                    {t("gallery.load")}
                </button>
            </Show>
            <TestSetProgress/>
            {move || lab.test_error.get().map(|e| view! { <p class="conv-error" role="alert">{e}</p> })}
            <Show when=move || lab.test_ready.get()>
                <div class="stepper gallery-pager">
                    <button type="button" class="gallery-prev" aria-label=move || tr("gallery.prev") prop:disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"◀"</button>
                    <span class="gallery-page">{move || format!("{} {} / {}", tr("gallery.page"), page.get() + 1, pages())}</span>
                    <button type="button" class="gallery-next" aria-label=move || tr("gallery.next") prop:disabled=at_last
                        on:click=move |_| page.update(|p| *p = (*p + 1).min(pages() - 1))>"▶"</button>
                </div>
            </Show>
            <LabResult from=ResultFor::Test class="gallery-result"/>
            <div class="tiles">
                <For each=shown key=|i| *i children=tile/>
            </div>
        </section>
    }
}
