//! The MNIST lab's shared state: the model every lab widget uses, what it is looking at, and
//! the test set once loaded.
//!
//! - The model is one of the three [`ModelKind`]s (the lesson's Net, the residual net, the
//!   Inception net), picked by the learner. It starts as that kind's shipped weights
//!   (`models/<kind>.safetensors`, fetched once per kind and kept). Training in the page
//!   publishes its weights here as it goes, and an imported safetensors file replaces them (its
//!   names say which kind it is), so the drawing pad, the feature maps, the gallery and the
//!   evaluation all use the same model; [`ModelSource`] says where it came from.
//! - The input is the 28 × 28 normalised image being classified: the drawing, a test digit from
//!   the gallery or an uploaded picture.
//! - The 10,000 test digits are fetched on demand, with progress, and kept.

use crate::backend::cpu::SimdBackend;
use crate::i18n::{Lang, tr};
use crate::models::classifier::{self, Classifier, ModelKind};
use crate::models::feature_maps::FeatureLayer;
use crate::tensor::Tensor;
use crate::train::data::Mnist;
use crate::ui::platform;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::rc::Rc;

/// Where the lab's model came from.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelSource {
    /// The shipped weights are being fetched.
    Loading,
    /// The shipped weights, with their test accuracy (from the file's metadata).
    Shipped(String),
    /// Trained in this page, after this many steps.
    Trained(u64),
    /// Imported from a file of this name.
    Imported(String),
    /// The shipped weights could not be loaded.
    Failed(String),
}

/// What the lab is looking at.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// The drawing pad.
    Drawing,
    /// Test digit `index` with its label.
    Test(usize, u8),
    /// An uploaded picture (its file name).
    Upload(String),
}

/// An image for the network: 784 normalised values and where they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct LabInput {
    /// `(x / 255 − 0.1307) / 0.3081`, row-major 28 × 28.
    pub pixels: Vec<f32>,
    /// Its origin.
    pub origin: Origin,
}

impl LabInput {
    /// The image as grey levels 0–1 (for display).
    pub fn grey(&self) -> Vec<f32> {
        self.pixels.iter().map(|v| v * 0.3081 + 0.1307).collect()
    }
}

/// A shipped model and its test accuracy (from the file's metadata).
type Shipped = (Rc<dyn Classifier>, String);

/// The lab (see the module docs). Cheap to copy; provided once for the whole app.
#[derive(Clone, Copy)]
pub struct Lab {
    model: StoredValue<Option<Rc<dyn Classifier>>, LocalStorage>,
    /// Which kind of model the lab shows (changes with the model).
    pub kind: RwSignal<ModelKind>,
    /// The shipped models fetched so far, with their accuracy.
    shipped: StoredValue<HashMap<ModelKind, Shipped>, LocalStorage>,
    /// Changes whenever the model does.
    pub version: RwSignal<u64>,
    /// Which model it is.
    pub source: RwSignal<ModelSource>,
    /// The image being looked at.
    pub input: RwSignal<Option<LabInput>>,
    test: StoredValue<Option<Rc<Mnist>>, LocalStorage>,
    /// While the test set loads: the fraction received.
    pub test_progress: RwSignal<Option<f64>>,
    /// Whether the test set is here.
    pub test_ready: RwSignal<bool>,
    /// A test-set load that failed.
    pub test_error: RwSignal<Option<String>>,
    backend: StoredValue<SimdBackend, LocalStorage>,
    shipped_requested: StoredValue<bool>,
}

/// Provides the lab to the app.
pub fn provide() -> Lab {
    let lab = Lab {
        model: StoredValue::new_local(None),
        kind: RwSignal::new(ModelKind::Net),
        shipped: StoredValue::new_local(HashMap::new()),
        version: RwSignal::new(0),
        source: RwSignal::new(ModelSource::Loading),
        input: RwSignal::new(None),
        test: StoredValue::new_local(None),
        test_progress: RwSignal::new(None),
        test_ready: RwSignal::new(false),
        test_error: RwSignal::new(None),
        backend: StoredValue::new_local(SimdBackend::new()),
        shipped_requested: StoredValue::new(false),
    };
    provide_context(lab);
    lab
}

impl Lab {
    /// The lab from the context.
    pub fn get() -> Lab {
        expect_context::<Lab>()
    }

    /// The lab from the context, with its shipped weights requested ([`Lab::load_shipped`]):
    /// what a widget that shows the model starts with.
    pub fn shipped() -> Lab {
        let lab = Lab::get();
        lab.load_shipped();
        lab
    }

    /// Fetches the shipped weights of the lab's kind (once per kind), unless a model is
    /// already set.
    pub fn load_shipped(self) {
        if self.shipped_requested.get_value() {
            return;
        }
        self.shipped_requested.set_value(true);
        let kind = self.kind.get_untracked();
        if let Some((model, accuracy)) = self.shipped.with_value(|s| s.get(&kind).cloned()) {
            self.set_rc(model, ModelSource::Shipped(accuracy));
            return;
        }
        spawn_local(async move {
            let loaded = platform::fetch_bytes(&format!("models/{}.safetensors", kind.name()))
                .await
                .and_then(|bytes| {
                    let accuracy = crate::formats::weights::metadata(&bytes)
                        .remove("test_accuracy")
                        .unwrap_or_default();
                    let model = kind.load(&bytes).map_err(|e| e.to_string())?;
                    Ok((Rc::<dyn Classifier>::from(model), accuracy))
                });
            if let Ok((model, accuracy)) = &loaded {
                self.shipped
                    .update_value(|s| _ = s.insert(kind, (Rc::clone(model), accuracy.clone())));
            }
            // A model set meanwhile (training, an import, another kind) wins.
            if self.model.get_value().is_some() || self.kind.get_untracked() != kind {
                return;
            }
            match loaded {
                Ok((model, accuracy)) => self.set_rc(model, ModelSource::Shipped(accuracy)),
                Err(e) => {
                    web_sys::console::error_1(
                        &format!("convscope: cannot load the {} weights: {e}", kind.name()).into(),
                    );
                    self.source.set(ModelSource::Failed(e));
                }
            }
        });
    }

    /// Goes back to the shipped weights (fetched again if needed).
    pub fn use_shipped(self) {
        self.model.set_value(None);
        self.source.set(ModelSource::Loading);
        self.version.update(|v| *v += 1);
        self.shipped_requested.set_value(false);
        self.load_shipped();
    }

    /// Shows the shipped weights of another kind of model.
    pub fn choose(self, kind: ModelKind) {
        if self.kind.get_untracked() == kind && self.model.get_value().is_some() {
            return;
        }
        self.kind.set(kind);
        self.use_shipped();
    }

    /// The model (tracks changes).
    pub fn model(self) -> Option<Rc<dyn Classifier>> {
        self.version.track();
        self.model.get_value()
    }

    /// The model, without tracking.
    pub fn model_untracked(self) -> Option<Rc<dyn Classifier>> {
        self.model.get_value()
    }

    /// Replaces the model (and the lab's kind with the model's).
    pub fn set_model(self, model: Box<dyn Classifier>, source: ModelSource) {
        self.set_rc(Rc::from(model), source);
    }

    fn set_rc(self, model: Rc<dyn Classifier>, source: ModelSource) {
        if let Some(kind) = model.kind() {
            self.kind.set(kind);
        }
        self.model.set_value(Some(model));
        self.source.set(source);
        self.version.update(|v| *v += 1);
    }

    /// "Inception net · shipped weights (99.2 %)": which model the lab uses, in `lang`.
    pub fn describe(self, lang: Lang) -> String {
        let kind = tr(lang, self.kind.get().key());
        let source = match self.source.get() {
            ModelSource::Loading => return format!("{kind} · {}", tr(lang, "draw.loading")),
            ModelSource::Failed(e) => format!("{}: {e}", tr(lang, "draw.failed")),
            ModelSource::Shipped(acc) if acc.is_empty() => tr(lang, "lab.model_shipped").into(),
            ModelSource::Shipped(acc) => format!("{} ({acc} %)", tr(lang, "lab.model_shipped")),
            ModelSource::Trained(steps) => format!(
                "{} ({steps} {})",
                tr(lang, "lab.model_trained"),
                tr(lang, "lab.steps")
            ),
            ModelSource::Imported(name) => format!("{} {name}", tr(lang, "lab.model_imported")),
        };
        format!("{kind} · {source}")
    }

    /// Runs `f` with the lab's SIMD backend.
    pub fn with_backend<R>(self, f: impl FnOnce(&SimdBackend) -> R) -> R {
        self.backend.with_value(f)
    }

    /// The main layers' maps for one normalised 28 × 28 image (tracks the model).
    pub fn feature_maps(self, pixels: &[f32]) -> Option<Vec<FeatureLayer>> {
        let model = self.model()?;
        let x = Tensor::new(&[1, 1, 28, 28], pixels.to_vec()).ok()?;
        self.with_backend(|be| model.feature_maps(be, &x)).ok()
    }

    /// The ten probabilities for one normalised image (tracks the model).
    pub fn probabilities(self, pixels: &[f32]) -> Option<Vec<f32>> {
        let x = Tensor::new(&[1, 1, 28, 28], pixels.to_vec()).ok()?;
        self.predict(&x).map(Tensor::into_data)
    }

    /// The main layers' maps for one normalised image (without tracking).
    pub fn feature_maps_untracked(self, pixels: &[f32]) -> Option<Vec<FeatureLayer>> {
        let model = self.model_untracked()?;
        let x = Tensor::new(&[1, 1, 28, 28], pixels.to_vec()).ok()?;
        self.with_backend(|be| model.feature_maps(be, &x)).ok()
    }

    /// Probabilities for a batch of normalised images (without tracking).
    pub fn predict_untracked(self, x: &Tensor) -> Option<Tensor> {
        let model = self.model_untracked()?;
        self.with_backend(|be| classifier::probabilities(model.as_ref(), be, x))
            .ok()
    }

    /// Probabilities for a batch of normalised images (tracks the model).
    pub fn predict(self, x: &Tensor) -> Option<Tensor> {
        let model = self.model()?;
        self.with_backend(|be| classifier::probabilities(model.as_ref(), be, x))
            .ok()
    }

    /// The test set if it is loaded (tracks its arrival).
    pub fn test_set_now(self) -> Option<Rc<Mnist>> {
        self.test_ready.track();
        self.test.get_value()
    }

    /// The test set, fetched (with progress) on first use.
    pub async fn test_set(self) -> Result<Rc<Mnist>, String> {
        if let Some(t) = self.test.get_value() {
            return Ok(t);
        }
        // Another caller is already fetching it: wait for that download.
        if self.test_progress.get_untracked().is_some() {
            while self.test_progress.get_untracked().is_some() {
                gloo::timers::future::TimeoutFuture::new(100).await;
            }
            return self
                .test
                .get_value()
                .ok_or_else(|| self.test_error.get_untracked().unwrap_or_default());
        }
        self.test_error.set(None);
        self.test_progress.set(Some(0.0));
        let progress = move |f: f64| self.test_progress.set(Some(f * 0.95));
        let result = convscope_worker::fetch::load_mnist("t10k", progress).await;
        self.test_progress.set(None);
        match result {
            Ok(t) => {
                let t = Rc::new(t);
                self.test.set_value(Some(Rc::clone(&t)));
                self.test_ready.set(true);
                Ok(t)
            }
            Err(e) => {
                web_sys::console::error_1(&format!("convscope: test set: {e}").into());
                self.test_error.set(Some(e.clone()));
                Err(e)
            }
        }
    }

    /// Shows test digit `i` (normalised as in training).
    pub fn show_test_digit(self, i: usize) {
        if let Some(t) = self.test.get_value() {
            let (x, labels) = t.batch(&[i]);
            self.input.set(Some(LabInput {
                pixels: x.into_data(),
                origin: Origin::Test(i, labels[0] as u8),
            }));
        }
    }
}
