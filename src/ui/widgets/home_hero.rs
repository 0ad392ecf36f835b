//! Home's first screen: a live convolution. A 3 × 3 Sobel-x kernel slides over a real MNIST
//! digit (the built-in test image 0, a 7) while the feature map fills in beside it, one output
//! value per position; the caption gives the current value. The output comes from the core's
//! reference backend (`conv2d_forward`), the kernel from the explorer's presets. The figure links
//! to the Convolution chapter. With `prefers-reduced-motion` it starts still, on the finished
//! map; a Pause / Play button (outside the link) stops or starts the motion either way.

use crate::backend::Backend;
use crate::backend::cpu::ReferenceBackend;
use crate::explain::kernel_preset;
use crate::layers::Conv2dParams;
use crate::pages::Page;
use crate::sample_digit::SAMPLE_DIGIT;
use crate::tensor::Tensor;
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::format::num;
use crate::ui::widgets::heat_canvas::{HeatCanvas, Palette, max_abs};
use leptos::prelude::*;

const SIDE: usize = 28;
const K: usize = 3;
const OUT: usize = SIDE - K + 1;
/// Milliseconds per tick; two positions a tick, then a pause on the finished map.
const TICK_MS: u32 = 45;
const PER_TICK: usize = 2;
const HOLD_TICKS: usize = 40;

/// The digit, the kernel and the feature map, from the core.
fn demo() -> Option<(Vec<f32>, Vec<f32>)> {
    let input: Vec<f32> = SAMPLE_DIGIT.iter().map(|&p| f32::from(p) / 255.0).collect();
    let kernel = kernel_preset("sobel_x", K)?;
    let x = Tensor::new(&[1, 1, SIDE, SIDE], input.clone()).ok()?;
    let w = Tensor::new(&[1, 1, K, K], kernel).ok()?;
    let p = Conv2dParams::new(1, 1, K).bias(false);
    let y = ReferenceBackend.conv2d_forward(&x, &w, None, &p).ok()?;
    Some((input, y.data().to_vec()))
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The live convolution on Home.
#[component]
pub fn HomeHero() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let Some((input, output)) = demo() else {
        return ().into_any();
    };
    let scale = max_abs(&output);
    let last = OUT * OUT - 1;
    let still = reduced_motion();
    // The position shown (0..OUT², then held), and whether it moves.
    let tick = RwSignal::new(if still { last } else { 0 });
    let playing = RwSignal::new(!still);
    let handle = StoredValue::new_local(None::<gloo::timers::callback::Interval>);
    let start = move || {
        let interval = gloo::timers::callback::Interval::new(TICK_MS, move || {
            if playing.get_untracked() {
                tick.update(|t| {
                    *t = if *t >= last + HOLD_TICKS * PER_TICK {
                        0
                    } else {
                        *t + PER_TICK
                    }
                });
            }
        });
        handle.set_value(Some(interval));
    };
    start();
    on_cleanup(move || handle.update_value(|h| drop(h.take())));
    let pos = Memo::new(move |_| tick.get().min(last));
    let output_so_far = {
        let output = output.clone();
        Signal::derive(move || {
            let p = pos.get();
            output
                .iter()
                .enumerate()
                .map(|(i, v)| if i <= p { *v } else { f32::NAN })
                .collect::<Vec<f32>>()
        })
    };
    let input = Signal::derive(move || input.clone());
    // A square of `size` cells at the current position, on a map `of` cells wide.
    let square = move |size: usize, of: usize| {
        let p = pos.get();
        let pct = |v: usize| format!("{:.4}%", v as f64 * 100.0 / of as f64);
        format!(
            "left: {}; top: {}; width: {2}; height: {2}",
            pct(p % OUT),
            pct(p / OUT),
            pct(size)
        )
    };
    let window_style = move || square(K, SIDE);
    let cell_style = move || square(1, OUT);
    let caption = move || {
        let p = pos.get();
        crate::i18n::tr(lang.get(), "hero.value")
            .replace("{y}", &(p / OUT).to_string())
            .replace("{x}", &(p % OUT).to_string())
            .replace("{v}", &num(output[p]))
    };
    view! {
        <section class="home-hero" aria-labelledby="hero-heading">
            <h2 id="hero-heading" class="sr-only">{t("hero.heading")}</h2>
            <a class="hero-link" href=Page::Convolution.href()>
                <div class="hero-panels">
                    <figure class="hero-panel">
                        <div class="hero-frame">
                            <HeatCanvas values=input width=SIDE as u32 height=SIDE as u32 class="hero-canvas"/>
                            <span class="hero-window" style=window_style></span>
                        </div>
                        <figcaption>{t("hero.input")}</figcaption>
                    </figure>
                    <span class="hero-arrow" aria-hidden="true">"→"</span>
                    <figure class="hero-panel">
                        <div class="hero-frame">
                            <HeatCanvas values=output_so_far width=OUT as u32 height=OUT as u32 palette=Palette::Signed scale=Signal::derive(move || scale) class="hero-canvas"/>
                            <span class="hero-cell" style=cell_style></span>
                        </div>
                        <figcaption>{t("hero.output")}</figcaption>
                    </figure>
                </div>
                <p class="hero-caption"><code class="hero-value">{caption}</code></p>
                <p class="hero-cta">{t("hero.open")}</p>
            </a>
            <button type="button" class="hero-play" aria-pressed=move || playing.get().to_string()
                on:click=move |_| playing.update(|p| *p = !*p)>
                {move || crate::i18n::tr(lang.get(), if playing.get() { "conv.pause" } else { "conv.play" })}
            </button>
        </section>
    }
    .into_any()
}
