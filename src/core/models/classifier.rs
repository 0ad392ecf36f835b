//! What the training loop, the evaluation and the command line need of a model, so that the
//! lesson's `Net`, the residual network, the Inception network and the depth experiment's stacks
//! train and test the same way.
//!
//! Each model implements small traits beside its own forward and backward (the last three only
//! where it has them):
//! - [`Trainable`]: the maths. A forward pass that keeps its activations, a backward pass from
//!   `∂L/∂logits` to every parameter's gradient, the parameters with PyTorch's names.
//! - [`FeatureMaps`]: the main layers' maps for one image (the lab's feature-map view).
//! - [`GpuRecord`]: the forward pass recorded on the GPU tape ([`Graph`]), from which the GPU
//!   trainer derives the whole step.
//! - [`GradientProbe`]: the gradient reaching each block (the depth experiment's stacks only).
//!
//! [`Classifier`] is the object-safe face the rest of the app uses (`Box<dyn Classifier>`): a
//! blanket impl gives every [`Trainable`] its logits, its loss gradients (mean cross-entropy)
//! and its parameters; [`Trainable::as_feature_maps`], [`Trainable::as_gpu_record`] and
//! [`Trainable::as_gradient_probe`] say which of the other three a model has.

use super::Net;
use super::feature_maps::FeatureLayer;
use super::inception_net::InceptionNet;
use super::residual::ResNet;
use crate::backend::Backend;
use crate::backend::gpu::graph::{Graph, Value};
use crate::error::{Result, ShapeError};
use crate::formats::weights::{self, WeightsError};
use crate::tensor::Tensor;

/// A model's maths: forward, backward and parameters.
pub trait Trainable: Clone + 'static {
    /// What the forward pass keeps for the backward pass (the logits among it).
    type Acts;
    /// The forward pass of a batch `(B,1,28,28)`.
    fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<Self::Acts>;
    /// The logits `(B,10)` kept in `acts`.
    fn logits_of(acts: &Self::Acts) -> &Tensor;
    /// Every parameter's gradient, in [`Trainable::parameters`] order, from `∂L/∂logits`.
    fn backward(
        &self,
        be: &dyn Backend,
        acts: &Self::Acts,
        dlogits: &Tensor,
    ) -> Result<Vec<Tensor>>;
    /// The gradient reaching the input `(B,1,28,28)` from `dlogits` (for a one-hot `dlogits`, a
    /// class score's saliency map). Only the saliency view asks for it: [`Trainable::backward`]
    /// stops at the first layer's weights, so training never computes it. A model without it
    /// says so.
    fn backward_input(
        &self,
        _be: &dyn Backend,
        _acts: &Self::Acts,
        _dlogits: &Tensor,
    ) -> Result<Tensor> {
        Err(ShapeError::Device(
            "this model has no input gradient".into(),
        ))
    }
    /// The parameters with PyTorch's names, in `state_dict` order.
    fn parameters(&self) -> Vec<(String, &Tensor)>;
    /// The same parameters, mutable, in the same order.
    fn parameters_mut(&mut self) -> Vec<&mut Tensor>;
    /// Which of the lab's models this is (`None` for the depth experiment's stacks).
    fn model_kind(&self) -> Option<ModelKind> {
        None
    }
    /// Its feature maps, if it has a view of them.
    fn as_feature_maps(&self) -> Option<&dyn FeatureMaps> {
        None
    }
    /// Its GPU recording, if it trains on the GPU.
    fn as_gpu_record(&self) -> Option<&dyn GpuRecord> {
        None
    }
    /// Its per-block gradient probe, if it is a stack of blocks the depth experiment measures.
    fn as_gradient_probe(&self) -> Option<&dyn GradientProbe> {
        None
    }
}

/// The main layers' maps of a model for one image.
pub trait FeatureMaps {
    /// The maps for `x` (one image, `(1,1,28,28)`).
    fn maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>>;
}

/// A model's forward pass on the GPU tape (parameters in `named` order from index 0).
pub trait GpuRecord {
    /// Records the forward pass of `x` and returns the logits.
    fn record(&self, g: &mut Graph, x: Value) -> Result<Value>;
}

/// How much learning signal reaches each block of a stack (the depth experiment's bars). It
/// measures; it never updates the weights (training is the loop's, `train::run`).
pub trait GradientProbe {
    /// Mean |∂L/∂input| of each block for the mean cross-entropy of `x` and `targets`, from the
    /// top block (next to the loss) down.
    fn block_gradients(&self, be: &dyn Backend, x: &Tensor, targets: &[usize]) -> Result<Vec<f32>>;
}

/// A classifier of `(B,1,28,28)` images into ten classes: what the training loop, evaluation,
/// sessions and the UI hold (`Box<dyn Classifier>`). Every [`Trainable`] is one.
pub trait Classifier {
    /// The ten scores per image.
    fn logits(&self, be: &dyn Backend, x: &Tensor) -> Result<Tensor>;
    /// The logits and every parameter's gradient of the mean cross-entropy for `targets`
    /// (in [`Classifier::named`] order).
    fn logits_and_grads(
        &self,
        be: &dyn Backend,
        x: &Tensor,
        targets: &[usize],
    ) -> Result<(Tensor, Vec<Tensor>)>;
    /// The logits `(B,10)` and, for each image, the gradient of its logit `class` with respect
    /// to the image `(B,1,28,28)` ([`Trainable::backward_input`] from a one-hot `∂/∂logits`).
    fn logit_input_gradient(
        &self,
        be: &dyn Backend,
        x: &Tensor,
        class: usize,
    ) -> Result<(Tensor, Tensor)>;
    /// The parameters with PyTorch's names, in `state_dict` order.
    fn named(&self) -> Vec<(String, &Tensor)>;
    /// The same parameters, mutable, in the same order.
    fn params_mut(&mut self) -> Vec<&mut Tensor>;
    /// Which of the lab's models this is (`None` for the depth experiment's stacks).
    fn kind(&self) -> Option<ModelKind>;
    /// A copy.
    fn boxed(&self) -> Box<dyn Classifier>;
    /// The main layers' maps for `x` (one image), for the lab's feature-map view (none for a
    /// model without that view).
    fn feature_maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>>;
    /// Its GPU recording, if it trains on the GPU.
    fn gpu_record(&self) -> Option<&dyn GpuRecord>;
    /// Its per-block gradient probe (the depth experiment's stacks only).
    fn gradient_probe(&self) -> Option<&dyn GradientProbe>;
}

impl<T: Trainable> Classifier for T {
    fn logits(&self, be: &dyn Backend, x: &Tensor) -> Result<Tensor> {
        Ok(T::logits_of(&self.forward(be, x)?).clone())
    }
    fn logits_and_grads(
        &self,
        be: &dyn Backend,
        x: &Tensor,
        targets: &[usize],
    ) -> Result<(Tensor, Vec<Tensor>)> {
        let acts = self.forward(be, x)?;
        let logits = T::logits_of(&acts);
        let log_probs = be.log_softmax_forward(logits)?;
        let dlogits = be.log_softmax_nll_backward(&log_probs, targets)?;
        let grads = self.backward(be, &acts, &dlogits)?;
        Ok((logits.clone(), grads))
    }
    fn logit_input_gradient(
        &self,
        be: &dyn Backend,
        x: &Tensor,
        class: usize,
    ) -> Result<(Tensor, Tensor)> {
        let acts = self.forward(be, x)?;
        let logits = T::logits_of(&acts);
        let [batch, classes] = logits.dims2("logits")?;
        if class >= classes {
            return Err(ShapeError::Device(format!(
                "class {class} of {classes} classes"
            )));
        }
        let one_hot = Tensor::from_fn(&[batch, classes], |i| f32::from(i % classes == class));
        let dx = self.backward_input(be, &acts, &one_hot)?;
        Ok((logits.clone(), dx))
    }
    fn named(&self) -> Vec<(String, &Tensor)> {
        self.parameters()
    }
    fn params_mut(&mut self) -> Vec<&mut Tensor> {
        self.parameters_mut()
    }
    fn kind(&self) -> Option<ModelKind> {
        self.model_kind()
    }
    fn boxed(&self) -> Box<dyn Classifier> {
        Box::new(self.clone())
    }
    fn feature_maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>> {
        self.as_feature_maps()
            .map_or_else(|| Ok(Vec::new()), |m| m.maps(be, x))
    }
    fn gpu_record(&self) -> Option<&dyn GpuRecord> {
        self.as_gpu_record()
    }
    fn gradient_probe(&self) -> Option<&dyn GradientProbe> {
        self.as_gradient_probe()
    }
}

impl Clone for Box<dyn Classifier> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

/// Class probabilities (softmax of the logits) for each image.
pub fn probabilities(model: &dyn Classifier, be: &dyn Backend, x: &Tensor) -> Result<Tensor> {
    probabilities_of(be, &model.logits(be, x)?)
}

/// Softmax of `logits` `[n, 10]` on `be` (logits computed on the GPU take this way too).
pub fn probabilities_of(be: &dyn Backend, logits: &Tensor) -> Result<Tensor> {
    let mut probs = be.log_softmax_forward(logits)?;
    probs.data_mut().iter_mut().for_each(|v| *v = v.exp());
    Ok(probs)
}

/// The parameter `name`, if the model has it.
pub fn param<'a>(model: &'a dyn Classifier, name: &str) -> Option<&'a Tensor> {
    model
        .named()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t)
}

/// The error for a model that has no GPU training step.
pub fn no_gpu_step() -> ShapeError {
    ShapeError::Device("this model has no GPU training step".into())
}

/// The models convscope can train.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// The lesson's Net (8,490 parameters).
    #[default]
    Net,
    /// The course's residual network.
    ResNet,
    /// The course's Inception network.
    Inception,
}

impl ModelKind {
    /// Every kind.
    pub const ALL: [ModelKind; 3] = [ModelKind::Net, ModelKind::ResNet, ModelKind::Inception];

    /// Its command-line name.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Net => "net",
            ModelKind::ResNet => "resnet",
            ModelKind::Inception => "inception",
        }
    }

    /// Its learnable parameters (8,490, 41,514 or 97,298).
    pub fn param_count(self) -> usize {
        self.build(0).named().iter().map(|(_, t)| t.len()).sum()
    }

    /// Its translation key (its name in the UI).
    pub fn key(self) -> &'static str {
        match self {
            ModelKind::Net => "model.kind.net",
            ModelKind::ResNet => "model.kind.resnet",
            ModelKind::Inception => "model.kind.inception",
        }
    }

    /// The kind named `name`, or a message listing the names.
    pub fn parse(name: &str) -> std::result::Result<ModelKind, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| format!("unknown model '{name}' (net, resnet or inception)"))
    }

    /// A new model of this kind, initialised as PyTorch does from `seed`.
    pub fn build(self, seed: u64) -> Box<dyn Classifier> {
        match self {
            ModelKind::Net => Box::new(Net::new(seed)),
            ModelKind::ResNet => Box::new(ResNet::new(seed)),
            ModelKind::Inception => Box::new(InceptionNet::new(seed)),
        }
    }

    /// A model of this kind from a PyTorch `state_dict` saved as safetensors (every name and
    /// shape checked).
    pub fn load(self, bytes: &[u8]) -> std::result::Result<Box<dyn Classifier>, WeightsError> {
        let mut model = self.build(0);
        let expected: Vec<(String, Vec<usize>)> = model
            .named()
            .into_iter()
            .map(|(n, t)| (n, t.shape().to_vec()))
            .collect();
        let expected_ref: Vec<(&str, Vec<usize>)> = expected
            .iter()
            .map(|(n, s)| (n.as_str(), s.clone()))
            .collect();
        let mut loaded = weights::load(bytes, &expected_ref)?;
        for ((name, _), param) in expected.iter().zip(model.params_mut()) {
            if let Some(t) = loaded.remove(name) {
                *param = t;
            }
        }
        Ok(model)
    }
}

/// Saves a model's parameters as safetensors with PyTorch's names.
pub fn save(
    model: &dyn Classifier,
    metadata: Option<std::collections::HashMap<String, String>>,
) -> std::result::Result<Vec<u8>, WeightsError> {
    let named = model.named();
    let refs: Vec<(&str, &Tensor)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    weights::save(&refs, metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_safetensors() {
        for kind in ModelKind::ALL {
            let model = kind.build(3);
            let bytes = save(model.as_ref(), None).unwrap();
            let back = kind.load(&bytes).unwrap();
            for ((n1, a), (n2, b)) in model.named().iter().zip(back.named()) {
                assert_eq!((n1, a.data()), (&n2, b.data()));
            }
        }
        // A Net's file is not a ResNet's: the first missing or unexpected name is reported.
        let net = save(ModelKind::Net.build(1).as_ref(), None).unwrap();
        assert!(ModelKind::ResNet.load(&net).is_err());
    }
}
