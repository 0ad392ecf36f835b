//! What each model "sees": the maps of its main layers for one image, with the convolution
//! that made each run of channels, for the MNIST lab's feature-map view.
//!
//! The maps come from the same modules' forward passes as training and testing use, one image
//! at a time:
//! - the lesson's Net: conv1 (10), relu(pool(conv1)) (10), conv2 (20), relu(pool(conv2)) (20);
//! - the residual net: conv1 (16), relu(pool(conv1)) (16), rblock1 (16), conv2 (32),
//!   relu(pool(conv2)) (32), rblock2 (32);
//! - the Inception net: conv1 (10), relu(pool(conv1)) (10), incep1 (88 = 16 + 24 + 24 + 24),
//!   conv2 (20), relu(pool(conv2)) (20), incep2 (88).

use super::Net;
use super::classifier::FeatureMaps;
use super::inception_net::{BRANCH_CHANNELS, InceptionA, InceptionNet};
use super::modules::Conv;
use super::residual::{ResNet, ResidualBlock};
use crate::backend::Backend;
use crate::error::Result;
use crate::layers::Pool2dParams;
use crate::tensor::Tensor;

/// One layer's maps for one image.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureLayer {
    /// The layer as PyTorch code reads it, e.g. `relu(pool(conv1))` or `incep1`.
    pub name: String,
    /// `[channels, height, width]`.
    pub maps: Tensor,
    /// `(first channel, convolution)`: from that channel on, the maps were made by that
    /// convolution's kernels (its parameters are `<name>.weight` and `<name>.bias`).
    pub made_by: Vec<(usize, String)>,
}

impl FeatureLayer {
    fn new(name: &str, t: &Tensor, made_by: &[(usize, &str)]) -> Result<Self> {
        let [_, c, h, w] = t.dims4(name)?;
        Ok(FeatureLayer {
            name: name.to_string(),
            maps: t.clone().reshape(&[c, h, w])?,
            made_by: made_by.iter().map(|&(c, n)| (c, n.to_string())).collect(),
        })
    }

    /// The convolution that made channel `c`, and the kernel's index in it.
    pub fn conv_of(&self, c: usize) -> Option<(&str, usize)> {
        self.made_by
            .iter()
            .rev()
            .find(|(first, _)| *first <= c)
            .map(|(first, name)| (name.as_str(), c - first))
    }
}

fn pool() -> Pool2dParams {
    Pool2dParams::new(2)
}

/// `conv`, then `relu(pool(conv))`: the two layers every model starts its stages with.
fn stage(
    be: &dyn Backend,
    conv: &Conv,
    name: &str,
    x: &Tensor,
    out: &mut Vec<FeatureLayer>,
) -> Result<Tensor> {
    let c = conv.forward(be, x)?;
    let r = be.relu_forward(&be.max_pool2d_forward(&c, &pool())?.0)?;
    out.push(FeatureLayer::new(name, &c, &[(0, name)])?);
    out.push(FeatureLayer::new(
        &format!("relu(pool({name}))"),
        &r,
        &[(0, name)],
    )?);
    Ok(r)
}

/// The lesson's Net.
pub fn net(be: &dyn Backend, net: &Net, x: &Tensor) -> Result<Vec<FeatureLayer>> {
    let a = net.forward(be, x)?;
    Ok(vec![
        FeatureLayer::new("conv1", &a.conv1, &[(0, "conv1")])?,
        FeatureLayer::new("relu(pool(conv1))", &a.relu1, &[(0, "conv1")])?,
        FeatureLayer::new("conv2", &a.conv2, &[(0, "conv2")])?,
        FeatureLayer::new(
            "relu(pool(conv2))",
            &a.flat.clone().reshape(&[x.shape()[0], 20, 4, 4])?,
            &[(0, "conv2")],
        )?,
    ])
}

fn block(
    be: &dyn Backend,
    b: &ResidualBlock,
    name: &str,
    x: &Tensor,
    out: &mut Vec<FeatureLayer>,
) -> Result<Tensor> {
    let y = b.forward(be, x)?.y;
    out.push(FeatureLayer::new(
        name,
        &y,
        &[(0, &format!("{name}.conv2"))],
    )?);
    Ok(y)
}

/// The deeper nets' shape: conv1's stage, the first block, conv2's stage, the second block.
fn two_stages<B>(
    be: &dyn Backend,
    convs: [&Conv; 2],
    blocks: [(&B, &str); 2],
    x: &Tensor,
    block: impl Fn(&dyn Backend, &B, &str, &Tensor, &mut Vec<FeatureLayer>) -> Result<Tensor>,
) -> Result<Vec<FeatureLayer>> {
    let mut out = Vec::new();
    let mut x = x.clone();
    for (i, (conv, (b, name))) in convs.into_iter().zip(blocks).enumerate() {
        let r = stage(be, conv, &format!("conv{}", i + 1), &x, &mut out)?;
        x = block(be, b, name, &r, &mut out)?;
    }
    Ok(out)
}

/// The residual net.
pub fn resnet(be: &dyn Backend, m: &ResNet, x: &Tensor) -> Result<Vec<FeatureLayer>> {
    let blocks = [(&m.rblock1, "rblock1"), (&m.rblock2, "rblock2")];
    two_stages(be, [&m.conv1, &m.conv2], blocks, x, block)
}

fn inception(
    be: &dyn Backend,
    m: &InceptionA,
    name: &str,
    x: &Tensor,
    out: &mut Vec<FeatureLayer>,
) -> Result<Tensor> {
    let y = m.forward(be, x)?.y;
    // Each branch's last convolution makes its run of the 88 channels.
    let last = ["branch1x1", "branch5x5_2", "branch3x3_3", "branch_pool"];
    let mut first = 0;
    let mut made_by = Vec::new();
    for (conv, channels) in last.iter().zip(BRANCH_CHANNELS) {
        made_by.push((first, format!("{name}.{conv}")));
        first += channels;
    }
    let refs: Vec<(usize, &str)> = made_by.iter().map(|(c, n)| (*c, n.as_str())).collect();
    out.push(FeatureLayer::new(name, &y, &refs)?);
    Ok(y)
}

/// The Inception net.
pub fn inception_net(be: &dyn Backend, m: &InceptionNet, x: &Tensor) -> Result<Vec<FeatureLayer>> {
    let blocks = [(&m.incep1, "incep1"), (&m.incep2, "incep2")];
    two_stages(be, [&m.conv1, &m.conv2], blocks, x, inception)
}

impl FeatureMaps for Net {
    fn maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>> {
        net(be, self, x)
    }
}

impl FeatureMaps for ResNet {
    fn maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>> {
        resnet(be, self, x)
    }
}

impl FeatureMaps for InceptionNet {
    fn maps(&self, be: &dyn Backend, x: &Tensor) -> Result<Vec<FeatureLayer>> {
        inception_net(be, self, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::SimdBackend;
    use crate::models::classifier::ModelKind;

    #[test]
    fn every_model_shows_its_layers_with_the_convs_that_made_them() {
        let be = SimdBackend::new();
        let x = Tensor::new(
            &[1, 1, 28, 28],
            (0..784).map(|i| (i % 7) as f32 * 0.1).collect(),
        )
        .unwrap();
        let shapes = |kind: ModelKind| -> Vec<(String, Vec<usize>)> {
            kind.build(1)
                .feature_maps(&be, &x)
                .unwrap()
                .into_iter()
                .map(|l| (l.name, l.maps.shape().to_vec()))
                .collect()
        };
        let names = |v: &[(String, Vec<usize>)]| v.iter().map(|l| l.0.clone()).collect::<Vec<_>>();
        let net = shapes(ModelKind::Net);
        assert_eq!(net[3].1, vec![20, 4, 4]);
        let res = shapes(ModelKind::ResNet);
        assert_eq!(
            names(&res),
            [
                "conv1",
                "relu(pool(conv1))",
                "rblock1",
                "conv2",
                "relu(pool(conv2))",
                "rblock2"
            ]
        );
        assert_eq!(res[5].1, vec![32, 4, 4]);
        let inc = shapes(ModelKind::Inception);
        assert_eq!(inc[2].1, vec![88, 12, 12]);
        assert_eq!(inc[5].1, vec![88, 4, 4]);
        // Channel 40 of incep1 is the first of the 3×3 branch.
        let layers = ModelKind::Inception.build(1).feature_maps(&be, &x).unwrap();
        assert_eq!(layers[2].conv_of(40), Some(("incep1.branch3x3_3", 0)));
        assert_eq!(layers[2].conv_of(87), Some(("incep1.branch_pool", 23)));
        // The maps are the forward pass's own: the Net's pooled conv2 maps are its flat features.
        let n = Net::new(1);
        let flat = n.forward(&be, &x).unwrap().flat;
        let maps = ModelKind::Net.build(1).feature_maps(&be, &x).unwrap();
        assert_eq!(maps[3].maps.data(), flat.data());
    }
}
