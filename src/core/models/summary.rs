//! Model summaries: one row per layer with its output shape, parameter count and
//! multiplications, as the UI renders them. Shapes come from the layer parameters, so a summary
//! for an input of the wrong size stops at the layer that breaks, with that layer's error.

use crate::error::ShapeError;
use serde::Serialize;

/// One layer of a summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerRow {
    /// The layer's name, as in PyTorch (`conv1`, `fc`, …) or the function (`relu`, `flatten`).
    pub name: String,
    /// The layer, as PyTorch prints it (`Conv2d(1, 10, kernel_size=5)`).
    pub layer: String,
    /// Output shape, batch first.
    pub output: Vec<usize>,
    /// Learnable parameters.
    pub params: usize,
    /// Multiplications for the whole batch.
    pub mults: u64,
}

/// A model summary; `error` is set when the input does not fit, after the last layer that did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The input shape.
    pub input: Vec<usize>,
    /// The layers that ran, in order.
    pub rows: Vec<LayerRow>,
    /// The layer that failed and why.
    pub error: Option<(String, ShapeError)>,
}

impl Summary {
    /// Total learnable parameters.
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|r| r.params).sum()
    }

    /// Total multiplications.
    pub fn total_mults(&self) -> u64 {
        self.rows.iter().map(|r| r.mults).sum()
    }

    /// A plain-text table, as the CLI prints it.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "{:<8} {:<32} {:<18} {:>8} {:>12}\n",
            "name", "layer", "output", "params", "mults"
        );
        out += &format!(
            "{:<8} {:<32} {:<18}\n",
            "input",
            "",
            format!("{:?}", self.input)
        );
        for r in &self.rows {
            out += &format!(
                "{:<8} {:<32} {:<18} {:>8} {:>12}\n",
                r.name,
                r.layer,
                format!("{:?}", r.output),
                r.params,
                r.mults
            );
        }
        out += &format!(
            "{:<8} {:<32} {:<18} {:>8} {:>12}\n",
            "total",
            "",
            "",
            self.total_params(),
            self.total_mults()
        );
        if let Some((layer, err)) = &self.error {
            out += &format!("error at {layer}: {err}\n");
        }
        out
    }
}
