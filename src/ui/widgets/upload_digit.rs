//! Your own picture of a digit: a photo or an image file goes through the same preprocessing as
//! a drawing — ink on black ([`ink_from_picture`]: grey levels, inverted when the paper is
//! lighter, background removed), then [`mnist_style`] (crop, 20 × 20 keeping the aspect ratio,
//! centre of mass in 28 × 28) — each step shown as a small image, and the result becomes the
//! lab's input. A file the browser cannot read, or a picture with no digit, gets a message (in
//! the page's language) and clears the previous upload's steps and classification.

use crate::preprocess::{Gray, ink_from_picture, mnist_style};
use crate::ui::platform;
use crate::ui::state::lab::{Lab, LabInput, Origin};
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::widgets::heat_canvas::HeatCanvas;
use crate::ui::widgets::lab_result::{LabResult, ResultFor};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The longer side pictures are scaled to before preprocessing.
const MAX_SIDE: u32 = 280;

/// One preprocessing step as an image.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    key: &'static str,
    image: Gray,
}

/// The upload widget.
#[component]
pub fn UploadDigit() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let lab = Lab::get();
    let steps = RwSignal::new(Vec::<Shown>::new());
    let error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = platform::chosen_file(&ev) else {
            return;
        };
        spawn_local(async move {
            let name = file.name();
            // The browser's own reason goes to the console; the learner reads ours, translated,
            // naming the file once.
            let decoded = platform::decode_image(&file, MAX_SIDE).await.map_err(|e| {
                let message = e.message(lang.get_untracked());
                leptos::logging::log!("convscope: upload refused: {message}");
                message
            });
            let result = decoded.and_then(|(rgba, w, h)| {
                let (w, h) = (w as usize, h as usize);
                let original = Gray {
                    width: w,
                    height: h,
                    pixels: rgba
                        .chunks_exact(4)
                        .map(|p| {
                            (0.299 * f32::from(p[0])
                                + 0.587 * f32::from(p[1])
                                + 0.114 * f32::from(p[2]))
                                / 255.0
                        })
                        .collect(),
                };
                let no_digit = || format!("{name}: {}", tr("upload.no_digit"));
                let ink = ink_from_picture(&rgba, w, h).ok_or_else(no_digit)?;
                let s = mnist_style(&ink).ok_or_else(no_digit)?;
                Ok((original, ink, s))
            });
            match result {
                Ok((original, ink, s)) => {
                    error.set(None);
                    steps.set(vec![
                        Shown {
                            key: "upload.step_original",
                            image: original,
                        },
                        Shown {
                            key: "upload.step_ink",
                            image: ink,
                        },
                        Shown {
                            key: "upload.step_crop",
                            image: s.cropped,
                        },
                        Shown {
                            key: "upload.step_scale",
                            image: s.scaled,
                        },
                        Shown {
                            key: "upload.step_centre",
                            image: s.centered,
                        },
                    ]);
                    lab.input.set(Some(LabInput {
                        pixels: s.input.into_data(),
                        origin: Origin::Upload(name),
                    }));
                }
                Err(e) => {
                    // Nothing of the previous picture stays: neither its steps nor, when it is
                    // what the lab shows, its classification.
                    steps.set(Vec::new());
                    if lab.input.with_untracked(|i| {
                        matches!(i.as_ref().map(|i| &i.origin), Some(Origin::Upload(_)))
                    }) {
                        lab.input.set(None);
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    let shown = move || {
        steps
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let (w, h) = (s.image.width as u32, s.image.height as u32);
                // The step, then its size on a line of its own.
                view! {
                    <figure class="upload-step">
                        <HeatCanvas values=s.image.pixels width=w height=h class="upload-canvas"/>
                        <figcaption>
                            <span class="upload-step-name">{move || format!("{}. {}", i + 1, tr(s.key))}</span>
                            <span class="upload-size">{move || tr("upload.size").replace("{w}", &w.to_string()).replace("{h}", &h.to_string())}</span>
                        </figcaption>
                    </figure>
                }
            })
            .collect_view()
    };
    view! {
        <section class="widget upload-digit" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{t("upload.heading")}</h2>
            <p class="hint">{t("upload.hint")}</p>
            <label class="file-button">
                <span>{t("upload.choose")}</span>
                <input type="file" class="upload-input" accept="image/*" on:change=on_file/>
            </label>
            {move || error.get().map(|e| view! { <p class="conv-error upload-error" role="alert">{e}</p> })}
            <div class="upload-steps">{shown}</div>
            <LabResult from=ResultFor::Upload class="upload-result"/>
        </section>
    }
}
