//! The course's Inception module for MNIST (GoogLeNet's idea, the lesson's sizes): four branches
//! that keep height and width, concatenated on the channel axis (`torch.cat(outputs, dim=1)`):
//!
//! ```python
//! branch1x1   = Conv2d(in, 16, kernel_size=1)
//! branch5x5   = Conv2d(in, 16, kernel_size=1) → Conv2d(16, 24, kernel_size=5, padding=2)
//! branch3x3   = Conv2d(in, 16, kernel_size=1) → Conv2d(16, 24, kernel_size=3, padding=1)
//!               → Conv2d(24, 24, kernel_size=3, padding=1)
//! branch_pool = avg_pool2d(kernel_size=3, stride=1, padding=1) → Conv2d(in, 24, kernel_size=1)
//! ```
//!
//! 16 + 24 + 24 + 24 = 88 output channels. Shapes and costs come from the layer parameters.

use crate::error::Result;
use crate::layers::{Conv2dParams, Pool2dParams};
use serde::Serialize;

/// One layer of a branch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Layer {
    /// A convolution.
    Conv(Conv2dParams),
    /// Average pooling.
    AvgPool(Pool2dParams),
}

/// A branch: its name and layers in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// PyTorch attribute name.
    pub name: &'static str,
    /// The layers.
    pub layers: Vec<Layer>,
}

/// The four branches for `in_channels` input channels.
pub fn branches(in_channels: usize) -> Vec<Branch> {
    let conv = |i, o, k: usize| Layer::Conv(Conv2dParams::new(i, o, k).padding(k / 2));
    vec![
        Branch {
            name: "branch1x1",
            layers: vec![conv(in_channels, 16, 1)],
        },
        Branch {
            name: "branch5x5",
            layers: vec![conv(in_channels, 16, 1), conv(16, 24, 5)],
        },
        Branch {
            name: "branch3x3",
            layers: vec![conv(in_channels, 16, 1), conv(16, 24, 3), conv(24, 24, 3)],
        },
        Branch {
            name: "branch_pool",
            layers: vec![
                Layer::AvgPool(Pool2dParams::new(3).stride(1).padding(1)),
                conv(in_channels, 24, 1),
            ],
        },
    ]
}

/// A layer's row in the module's summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The layer as PyTorch prints it.
    pub layer: String,
    /// Output shape `(B, C, H, W)`.
    pub output: [usize; 4],
    /// Multiplications for the batch.
    pub mults: u64,
}

/// Each branch's rows, and the concatenated output shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModuleSummary {
    /// `(branch name, rows)`.
    pub branches: Vec<(String, Vec<Row>)>,
    /// `torch.cat(outputs, dim=1)`'s shape.
    pub output: [usize; 4],
}

fn describe(layer: &Layer) -> String {
    match layer {
        Layer::Conv(p) if p.padding.0 > 0 => {
            format!(
                "Conv2d({}, {}, kernel_size={}, padding={})",
                p.in_channels, p.out_channels, p.kernel.0, p.padding.0
            )
        }
        Layer::Conv(p) => format!(
            "Conv2d({}, {}, kernel_size={})",
            p.in_channels, p.out_channels, p.kernel.0
        ),
        Layer::AvgPool(p) => format!(
            "avg_pool2d(kernel_size={}, stride={}, padding={})",
            p.kernel.0, p.stride.0, p.padding.0
        ),
    }
}

/// Shapes and costs of the module on an input `input` = `(B, C, H, W)`.
pub fn summary(input: [usize; 4]) -> Result<ModuleSummary> {
    let mut out = Vec::new();
    let mut channels = 0;
    for branch in branches(input[1]) {
        let mut shape = input;
        let mut rows = Vec::new();
        for layer in &branch.layers {
            let (next, mults) = match layer {
                Layer::Conv(p) => (
                    p.output_shape(shape)?,
                    p.mults(shape[2], shape[3])? * shape[0] as u64,
                ),
                Layer::AvgPool(p) => (p.output_shape(shape)?, 0),
            };
            rows.push(Row {
                layer: describe(layer),
                output: next,
                mults,
            });
            shape = next;
        }
        channels += shape[1];
        out.push((branch.name.to_string(), rows));
    }
    Ok(ModuleSummary {
        branches: out,
        output: [input[0], channels, input[2], input[3]],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_eight_channels_same_size() {
        let s = summary([1, 10, 12, 12]).expect("summary");
        assert_eq!(s.output, [1, 88, 12, 12]);
        assert_eq!(s.branches.len(), 4);
        for (_, rows) in &s.branches {
            let last = rows.last().expect("a layer").output;
            assert_eq!((last[2], last[3]), (12, 12));
        }
        assert_eq!(
            s.branches[1].1[1].layer,
            "Conv2d(16, 24, kernel_size=5, padding=2)"
        );
    }
}
