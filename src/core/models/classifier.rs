//! What the training loop, the evaluation and the command line need of a model, so that the
//! lesson's `Net`, the residual network and the Inception network train and test the same way:
//! logits for a batch, the loss and every parameter's gradient, the parameters (with PyTorch's
//! names, for safetensors both ways).

use super::Net;
use super::feature_maps::{self, FeatureLayer};
use super::inception_net::InceptionNet;
use super::residual::ResNet;
use crate::backend::Backend;
use crate::error::{Result, ShapeError};
use crate::formats::weights::{self, WeightsError};
use crate::tensor::Tensor;
use crate::train::gpu_graph::{self, Graph, Value};

/// A classifier of `(B,1,28,28)` images into ten classes.
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
    /// The parameters with PyTorch's names, in `state_dict` order.
    fn named(&self) -> Vec<(String, &Tensor)>;
    /// The same parameters, mutable, in the same order.
    fn params_mut(&mut self) -> Vec<&mut Tensor>;
    /// Which of the lab's models this is (`None` for the depth experiment's stacks).
    fn kind(&self) -> Option<ModelKind>;
    /// A copy.
    fn boxed(&self) -> Box<dyn Classifier>;
    /// The main layers' maps for `x` (one image), for the lab's feature-map view.
    fn feature_maps(&self, _be: &dyn Backend, _x: &Tensor) -> Result<Vec<FeatureLayer>> {
        Ok(Vec::new())
    }
    /// The lesson's Net, if this is one (the GPU trainer has a hand-written step for it).
    fn as_net(&self) -> Option<&Net> {
        None
    }
    /// Records the forward pass on the GPU (see [`crate::train::gpu_graph`]); the models without
    /// one (the depth experiment's stacks, and the Net, whose step is written out) say so.
    fn gpu_forward(&self, _g: &mut Graph, _x: Value) -> Result<Value> {
        Err(ShapeError::Device(
            "this model has no GPU training step".into(),
        ))
    }
}

impl Clone for Box<dyn Classifier> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

/// Class probabilities (softmax of the logits) for each image.
pub fn probabilities(model: &dyn Classifier, be: &dyn Backend, x: &Tensor) -> Result<Tensor> {
    let mut probs = be.log_softmax_forward(&model.logits(be, x)?)?;
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

/// Logits and gradients of the mean cross-entropy, from a model's forward and backward passes.
pub(crate) fn grads_from<A>(
    be: &dyn Backend,
    x: &Tensor,
    targets: &[usize],
    forward: impl Fn(&Tensor) -> Result<A>,
    logits: fn(&A) -> &Tensor,
    backward: impl Fn(&A, &Tensor) -> Result<Vec<Tensor>>,
) -> Result<(Tensor, Vec<Tensor>)> {
    let acts = forward(x)?;
    let log_probs = be.log_softmax_forward(logits(&acts))?;
    let dlogits = be.log_softmax_nll_backward(&log_probs, targets)?;
    let grads = backward(&acts, &dlogits)?;
    Ok((logits(&acts).clone(), grads))
}

/// A [`Classifier`]'s `logits` and `logits_and_grads` from the model's own `forward` (whose
/// activations hold `logits`) and `backward`, whose result `$grads` turns into the gradients in
/// `named` order.
macro_rules! forward_backward {
    ($grads:expr) => {
        fn logits(&self, be: &dyn Backend, x: &Tensor) -> Result<Tensor> {
            Ok(self.forward(be, x)?.logits)
        }
        fn logits_and_grads(
            &self,
            be: &dyn Backend,
            x: &Tensor,
            targets: &[usize],
        ) -> Result<(Tensor, Vec<Tensor>)> {
            $crate::models::classifier::grads_from(
                be,
                x,
                targets,
                |x| self.forward(be, x),
                |a| &a.logits,
                |a, d| self.backward(be, a, d).map($grads),
            )
        }
    };
}
pub(crate) use forward_backward;

impl Classifier for Net {
    forward_backward!(Vec::from);
    fn named(&self) -> Vec<(String, &Tensor)> {
        super::net::PARAM_NAMES
            .iter()
            .map(|n| n.to_string())
            .zip(self.params())
            .collect()
    }
    fn params_mut(&mut self) -> Vec<&mut Tensor> {
        Net::params_mut(self).into()
    }
    fn kind(&self) -> Option<ModelKind> {
        Some(ModelKind::Net)
    }
    fn boxed(&self) -> Box<dyn Classifier> {
        Box::new(self.clone())
    }
    fn feature_maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>> {
        feature_maps::net(be, self, x)
    }
    fn as_net(&self) -> Option<&Net> {
        Some(self)
    }
}

/// The deeper models share one shape: `forward` keeps activations with the logits, `backward`
/// returns every gradient in `named` order.
macro_rules! deeper_classifier {
    ($model:ty, $kind:expr, $maps:path, $gpu:path) => {
        impl Classifier for $model {
            forward_backward!(std::convert::identity);
            fn named(&self) -> Vec<(String, &Tensor)> {
                <$model>::named(self)
            }
            fn params_mut(&mut self) -> Vec<&mut Tensor> {
                <$model>::params_mut(self)
            }
            fn kind(&self) -> Option<ModelKind> {
                Some($kind)
            }
            fn boxed(&self) -> Box<dyn Classifier> {
                Box::new(self.clone())
            }
            fn feature_maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>> {
                $maps(be, self, x)
            }
            fn gpu_forward(&self, g: &mut Graph, x: Value) -> Result<Value> {
                $gpu(g, x, self)
            }
        }
    };
}

deeper_classifier!(
    ResNet,
    ModelKind::ResNet,
    feature_maps::resnet,
    gpu_graph::resnet
);
deeper_classifier!(
    InceptionNet,
    ModelKind::Inception,
    feature_maps::inception_net,
    gpu_graph::inception_net
);

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
