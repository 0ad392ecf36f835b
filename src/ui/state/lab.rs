//! The MNIST lab's shared state: the model every lab widget uses, what it is looking at, and
//! the test set once loaded.
//!
//! - The model starts as the shipped weights (`models/net.safetensors`, fetched once). Training
//!   in the page publishes its weights here as it goes, and an imported safetensors file
//!   replaces them, so the drawing pad, the feature maps, the gallery and the evaluation all use
//!   the same model; [`ModelSource`] says which it is.
//! - The input is the 28 × 28 normalised image being classified: the drawing, a test digit from
//!   the gallery or an uploaded picture.
//! - The 10,000 test digits are fetched on demand, with progress, and kept.

use crate::backend::cpu::SimdBackend;
use crate::models::Net;
use crate::models::net::Activations;
use crate::tensor::Tensor;
use crate::train::data::Mnist;
use crate::ui::platform;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// Where the lab's model came from.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelSource {
    /// The shipped weights are being fetched.
    Loading,
    /// The shipped weights (98.93 % on the test set).
    Shipped,
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

/// The lab (see the module docs). Cheap to copy; provided once for the whole app.
#[derive(Clone, Copy)]
pub struct Lab {
    net: StoredValue<Option<Rc<Net>>, LocalStorage>,
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
        net: StoredValue::new_local(None),
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

    /// Fetches the shipped weights (once), unless a model is already set.
    pub fn load_shipped(self) {
        if self.shipped_requested.get_value() {
            return;
        }
        self.shipped_requested.set_value(true);
        spawn_local(async move {
            let loaded = platform::fetch_bytes("models/net.safetensors")
                .await
                .and_then(|bytes| Net::from_safetensors(&bytes).map_err(|e| e.to_string()));
            // A model set meanwhile (training, an import) wins.
            if self.net.get_value().is_some() {
                return;
            }
            match loaded {
                Ok(net) => self.set_net(net, ModelSource::Shipped),
                Err(e) => {
                    web_sys::console::error_1(
                        &format!("convscope: cannot load the weights: {e}").into(),
                    );
                    self.source.set(ModelSource::Failed(e));
                }
            }
        });
    }

    /// Goes back to the shipped weights (fetched again if needed).
    pub fn use_shipped(self) {
        self.net.set_value(None);
        self.source.set(ModelSource::Loading);
        self.version.update(|v| *v += 1);
        self.shipped_requested.set_value(false);
        self.load_shipped();
    }

    /// The model (tracks changes).
    pub fn net(self) -> Option<Rc<Net>> {
        self.version.track();
        self.net.get_value()
    }

    /// The model, without tracking.
    pub fn net_untracked(self) -> Option<Rc<Net>> {
        self.net.get_value()
    }

    /// Replaces the model.
    pub fn set_net(self, net: Net, source: ModelSource) {
        self.net.set_value(Some(Rc::new(net)));
        self.source.set(source);
        self.version.update(|v| *v += 1);
    }

    /// Runs `f` with the lab's SIMD backend.
    pub fn with_backend<R>(self, f: impl FnOnce(&SimdBackend) -> R) -> R {
        self.backend.with_value(f)
    }

    /// Every layer's output for one normalised 28 × 28 image (tracks the model).
    pub fn activations(self, pixels: &[f32]) -> Option<Activations> {
        let net = self.net()?;
        let x = Tensor::new(&[1, 1, 28, 28], pixels.to_vec()).ok()?;
        self.with_backend(|be| net.forward(be, &x)).ok()
    }

    /// The ten probabilities for one normalised image (tracks the model).
    pub fn probabilities(self, pixels: &[f32]) -> Option<Vec<f32>> {
        let net = self.net()?;
        let x = Tensor::new(&[1, 1, 28, 28], pixels.to_vec()).ok()?;
        self.with_backend(|be| net.predict(be, &x))
            .ok()
            .map(Tensor::into_data)
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
        let result = async {
            let progress = move |f: f64| self.test_progress.set(Some(f * 0.95));
            let images = platform::fetch_bytes_with_progress(
                "data/mnist/t10k-images-idx3-ubyte.gz",
                progress,
            )
            .await?;
            let labels = platform::fetch_bytes("data/mnist/t10k-labels-idx1-ubyte.gz").await?;
            Mnist::parse(&images, &labels).map_err(|e| e.to_string())
        }
        .await;
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
