//! Stepping shared by the explorers: the keyboard (← and → move one position, Home and End jump
//! to the first and last) and a player that advances the position on a timer.

use crate::ui::state::lang::use_tr;
use crate::ui::url_state::Field;
use leptos::prelude::*;
use std::time::Duration;

/// The position a key moves to from `current` (`usize::MAX` for "the last"; the caller clamps),
/// or `None` for other keys. Handled keys stop the page from scrolling.
pub fn step_key(ev: &web_sys::KeyboardEvent, current: usize) -> Option<usize> {
    let to = match ev.key().as_str() {
        "ArrowRight" => current + 1,
        "ArrowLeft" => current.saturating_sub(1),
        "Home" => 0,
        "End" => usize::MAX,
        _ => return None,
    };
    ev.prevent_default();
    Some(to)
}

/// Whether `ev` is Space on the grid area itself or on one of its number fields (where Space
/// types nothing); on a button or a select, Space keeps its own meaning.
fn play_key(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    if ev.key() != " " || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return false;
    }
    let target = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    match target {
        None => true,
        Some(el) => match el.tag_name().as_str() {
            "INPUT" => el.get_attribute("type").as_deref() == Some("number"),
            "BUTTON" | "SELECT" | "TEXTAREA" | "A" | "SUMMARY" => false,
            _ => true,
        },
    }
}

/// Plays a widget's positions `0..count` one after another; stops at the end, on any manual
/// step ([`Player::go`]) and when the widget leaves the page.
#[derive(Clone, Copy)]
pub struct Player {
    /// The position shown.
    pub step: Field<usize>,
    /// Whether it is playing.
    pub playing: RwSignal<bool>,
    /// Milliseconds per position.
    pub speed_ms: RwSignal<u64>,
    count: Signal<usize>,
    timer: StoredValue<Option<IntervalHandle>, LocalStorage>,
}

impl Player {
    /// A player over `step`, whose number of positions is `count`.
    pub fn new(step: Field<usize>, count: Signal<usize>) -> Self {
        let player = Player {
            step,
            playing: RwSignal::new(false),
            speed_ms: RwSignal::new(700),
            count,
            timer: StoredValue::new_local(None),
        };
        on_cleanup(move || player.clear_timer());
        // Keep the position in range when the sizes change.
        Effect::new(move |_| {
            let last = count.get().saturating_sub(1);
            if step.get_untracked() > last {
                step.set(last);
            }
        });
        player
    }

    fn clear_timer(self) {
        if let Some(h) = self.timer.try_get_value().flatten() {
            h.clear();
        }
        let _ = self.timer.try_set_value(None);
    }

    /// Stops playing.
    pub fn stop(self) {
        self.playing.set(false);
        self.clear_timer();
    }

    /// Plays from here (from the start when at the end).
    pub fn play(self) {
        self.stop();
        if self.step.get_untracked() + 1 >= self.count.get_untracked() {
            self.step.set(0);
        }
        self.playing.set(true);
        let handle = set_interval_with_handle(
            move || {
                if self.step.get_untracked() + 1 < self.count.get_untracked() {
                    self.step.update(|s| *s += 1);
                } else {
                    self.stop();
                }
            },
            Duration::from_millis(self.speed_ms.get_untracked()),
        );
        self.timer.set_value(handle.ok());
    }

    /// Play or pause.
    pub fn toggle(self) {
        if self.playing.get_untracked() {
            self.stop()
        } else {
            self.play()
        }
    }

    /// Stops and shows position `to` (clamped to the last).
    pub fn go(self, to: usize) {
        self.stop();
        self.step
            .set(to.min(self.count.get_untracked().saturating_sub(1)));
    }

    /// The keyboard handler for the widget's focusable grid area: the arrow keys, Home and End
    /// step ([`step_key`]); Space plays or pauses.
    pub fn on_key(self) -> impl Fn(leptos::ev::KeyboardEvent) + Copy + 'static {
        move |ev| {
            if play_key(&ev) {
                ev.prevent_default();
                self.toggle();
            } else if let Some(to) = step_key(&ev, self.step.get_untracked()) {
                self.go(to);
            }
        }
    }

    /// [`Player::on_key`] for a grid area whose output cells (`[data-i]`) take the focus: it does
    /// nothing while `paused()` (a pending prediction would be given away), and after a key
    /// pressed on an output cell it calls `refocus(cell)` so the focus follows the step.
    pub fn on_cell_key(
        self,
        paused: impl Fn() -> bool + Copy + 'static,
        refocus: impl Fn(web_sys::Element) + Copy + 'static,
    ) -> impl Fn(leptos::ev::KeyboardEvent) + Copy + 'static {
        let step_key = self.on_key();
        move |ev| {
            use wasm_bindgen::JsCast;
            if paused() {
                return;
            }
            let from_output = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .filter(|el| el.has_attribute("data-i"));
            step_key(ev);
            if let Some(cell) = from_output {
                refocus(cell);
            }
        }
    }
}

/// The player's timeline: a slider over its positions (`label`: the translation key of its
/// accessible name); moving it stops playing and shows that position.
#[component]
pub fn Timeline(
    player: Player,
    #[prop(default = "conv.timeline")] label: &'static str,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <input
            class="conv-timeline"
            type="range"
            min="0"
            prop:max=move || player.count.get().saturating_sub(1).to_string()
            prop:value=move || player.step.get().to_string()
            aria-label=move || tr(label)
            on:input=move |ev| player.go(event_target_value(&ev).parse().unwrap_or(0))
        />
    }
}
