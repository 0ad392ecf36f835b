//! The lab's model: which one it is, its weights as a safetensors download (PyTorch's names:
//! `Net().load_state_dict(safetensors.torch.load_file(…))` loads it, and likewise for the residual
//! and Inception nets) and an import of such a file — e.g. trained with PyTorch; its names say
//! which of the three models it holds. A file with wrong names, shapes or types is refused with
//! the reason, and the current model stays.

use crate::formats::limits::FileKind;
use crate::models::classifier::{self, ModelKind};
use crate::ui::platform;
use crate::ui::state::lab::{Lab, ModelSource};
use crate::ui::state::lang::{LangState, t, use_tr};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The model card.
#[component]
pub fn ModelCard() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let lab = Lab::shipped();
    let message = RwSignal::new(None::<(bool, String)>);
    let export = move |_| {
        let Some(net) = lab.model_untracked() else {
            return;
        };
        let kind = net.kind().unwrap_or_default().name();
        let meta = [
            ("format", "pt".to_string()),
            ("model", format!("convscope {kind} (PyTorch names)")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let result = classifier::save(net.as_ref(), Some(meta))
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                platform::download(
                    &format!("convscope-{kind}.safetensors"),
                    &bytes,
                    "application/octet-stream",
                )
            });
        if let Err(e) = result {
            web_sys::console::error_1(&format!("convscope: export: {e}").into());
            message.set(Some((false, e)));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = platform::chosen_file(&ev) else {
            return;
        };
        spawn_local(async move {
            let name = file.name();
            // The file's names say which model it holds; a file that fits none is refused with
            // the reason it does not fit the lab's current kind.
            let current = lab.kind.get_untracked();
            let lang_now = lang.get_untracked();
            let loaded = platform::read_file(&file, FileKind::Weights)
                .await
                .map_err(|e| e.message(lang_now))
                .and_then(|bytes| {
                    ModelKind::ALL
                        .into_iter()
                        .find_map(|k| k.load(&bytes).ok())
                        .ok_or_else(|| {
                            let why = current.load(&bytes).err().map_or_else(String::new, |e| {
                                crate::i18n::core_errors::weights(lang_now, &e)
                            });
                            format!("{name}: {why}")
                        })
                });
            match loaded {
                Ok(net) => {
                    lab.set_model(net, ModelSource::Imported(name.clone()));
                    message.set(Some((true, format!("{} {name}", tr("model.imported")))));
                }
                Err(e) => {
                    leptos::logging::log!("convscope: import of {name} refused: {e}");
                    message.set(Some((false, format!("{e} — {}", tr("model.kept")))));
                }
            }
        });
    };
    let source = move || lab.describe(lang.get());
    view! {
        <section class="widget model-card" aria-labelledby="model-heading">
            <h2 id="model-heading">{t("model.heading")}</h2>
            <p>{t("model.current")}" "<strong class="model-source">{source}</strong></p>
            <div class="button-row">
                <button type="button" class="model-export" prop:disabled=move || { lab.version.get(); lab.model_untracked().is_none() } on:click=export>
                    {t("model.export")}
                </button>
                <label class="file-button">
                    <span>{t("model.import")}</span>
                    <input type="file" class="model-import" accept=".safetensors,application/octet-stream" on:change=import/>
                </label>
            </div>
            <p class="hint">{t("model.hint")}</p>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "model-message ok" } else { "model-message conv-error" } role=if ok { "status" } else { "alert" }>{text}</p>
            })}
        </section>
    }
}
