//! Optimizers with PyTorch's exact update rules (`torch.optim.SGD` and `torch.optim.Adam`,
//! default arguments where not given), applied parameter by parameter.

use crate::tensor::Tensor;

/// The optimizer and its hyper-parameters (PyTorch's meaning and defaults).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerConfig {
    /// `torch.optim.SGD`.
    Sgd {
        /// Learning rate.
        lr: f32,
        /// Momentum.
        momentum: f32,
        /// Dampening.
        dampening: f32,
        /// L2 penalty.
        weight_decay: f32,
        /// Nesterov momentum.
        nesterov: bool,
    },
    /// `torch.optim.Adam`.
    Adam {
        /// Learning rate.
        lr: f32,
        /// β1.
        beta1: f32,
        /// β2.
        beta2: f32,
        /// ε.
        eps: f32,
        /// L2 penalty.
        weight_decay: f32,
    },
}

impl OptimizerConfig {
    /// The lesson's optimizer: SGD, lr 0.01, momentum 0.5.
    pub fn lesson() -> Self {
        Self::Sgd {
            lr: 0.01,
            momentum: 0.5,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
        }
    }
}

impl OptimizerConfig {
    /// A CPU optimizer with these settings, resuming from `state` (fresh if `None`).
    pub fn build(self, state: Option<OptState>) -> Box<dyn Optimizer> {
        let mut opt: Box<dyn Optimizer> = match self {
            OptimizerConfig::Sgd {
                lr,
                momentum,
                dampening,
                weight_decay,
                nesterov,
            } => Box::new(Sgd {
                lr,
                momentum,
                dampening,
                weight_decay,
                nesterov,
                buffers: Vec::new(),
            }),
            OptimizerConfig::Adam {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            } => Box::new(Adam {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
                step: 0,
                m: Vec::new(),
                v: Vec::new(),
            }),
        };
        if let Some(state) = state {
            opt.import_state(state);
        }
        opt
    }
}

/// An optimizer's state, portable between backends: the steps taken and, per parameter, the
/// first buffer (SGD's momentum, Adam's first moment) and the second (Adam's second moment).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OptState {
    /// Steps taken.
    pub steps: u64,
    /// SGD momentum buffers or Adam first moments, one per parameter (empty before a step).
    pub a: Vec<Vec<f32>>,
    /// Adam second moments (empty for SGD).
    pub b: Vec<Vec<f32>>,
}

/// An optimizer: updates parameters in place from their gradients.
pub trait Optimizer {
    /// Its state, to continue elsewhere.
    fn export_state(&self) -> OptState;
    /// Continues from `state` (as exported by any backend).
    fn import_state(&mut self, state: OptState);
    /// One step: `params[i] ← update(params[i], grads[i])`.
    fn step(&mut self, params: &mut [&mut Tensor], grads: &[Tensor]);
    /// The current learning rate.
    fn lr(&self) -> f32;
    /// Sets the learning rate (for schedules).
    fn set_lr(&mut self, lr: f32);
}

/// `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)`:
///
/// ```text
/// g ← g + weight_decay·p
/// if momentum ≠ 0: b ← g on the first step, else momentum·b + (1 − dampening)·g
///                  g ← g + momentum·b if nesterov, else b
/// p ← p − lr·g
/// ```
#[derive(Clone, Debug)]
pub struct Sgd {
    /// Learning rate.
    pub lr: f32,
    /// Momentum factor.
    pub momentum: f32,
    /// Dampening for momentum.
    pub dampening: f32,
    /// L2 penalty.
    pub weight_decay: f32,
    /// Nesterov momentum.
    pub nesterov: bool,
    buffers: Vec<Vec<f32>>,
}

impl Sgd {
    /// SGD with `lr` and `momentum`, no dampening, weight decay or Nesterov.
    pub fn new(lr: f32, momentum: f32) -> Self {
        Self {
            lr,
            momentum,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
            buffers: Vec::new(),
        }
    }
}

impl Optimizer for Sgd {
    fn export_state(&self) -> OptState {
        let steps = u64::from(!self.buffers.is_empty());
        OptState {
            steps,
            a: self.buffers.clone(),
            b: Vec::new(),
        }
    }

    fn import_state(&mut self, state: OptState) {
        // The buffers only matter after the first step (which initialises them).
        self.buffers = if state.steps == 0 {
            Vec::new()
        } else {
            state.a
        };
    }

    fn step(&mut self, params: &mut [&mut Tensor], grads: &[Tensor]) {
        let first = self.buffers.is_empty();
        if first {
            self.buffers = params.iter().map(|p| vec![0.0; p.len()]).collect();
        }
        for ((p, g), buf) in params.iter_mut().zip(grads).zip(&mut self.buffers) {
            for ((pv, &gv), bv) in p.data_mut().iter_mut().zip(g.data()).zip(buf.iter_mut()) {
                let mut d = gv + self.weight_decay * *pv;
                if self.momentum != 0.0 {
                    *bv = if first {
                        d
                    } else {
                        self.momentum * *bv + (1.0 - self.dampening) * d
                    };
                    d = if self.nesterov {
                        d + self.momentum * *bv
                    } else {
                        *bv
                    };
                }
                *pv -= self.lr * d;
            }
        }
    }

    fn lr(&self) -> f32 {
        self.lr
    }

    fn set_lr(&mut self, lr: f32) {
        self.lr = lr;
    }
}

/// `torch.optim.Adam(params, lr, betas, eps, weight_decay)`:
///
/// ```text
/// g ← g + weight_decay·p
/// m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
/// p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
/// ```
#[derive(Clone, Debug)]
pub struct Adam {
    /// Learning rate.
    pub lr: f32,
    /// β1 (first-moment decay).
    pub beta1: f32,
    /// β2 (second-moment decay).
    pub beta2: f32,
    /// Added to the denominator.
    pub eps: f32,
    /// L2 penalty.
    pub weight_decay: f32,
    step: i32,
    m: Vec<Vec<f32>>,
    v: Vec<Vec<f32>>,
}

impl Adam {
    /// Adam with `lr` and PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
    pub fn new(lr: f32) -> Self {
        Self {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            step: 0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }
}

impl Optimizer for Adam {
    fn export_state(&self) -> OptState {
        OptState {
            steps: self.step as u64,
            a: self.m.clone(),
            b: self.v.clone(),
        }
    }

    fn import_state(&mut self, state: OptState) {
        self.step = state.steps as i32;
        self.m = state.a;
        self.v = state.b;
    }

    fn step(&mut self, params: &mut [&mut Tensor], grads: &[Tensor]) {
        if self.m.is_empty() {
            self.m = params.iter().map(|p| vec![0.0; p.len()]).collect();
            self.v = self.m.clone();
        }
        self.step += 1;
        let bias1 = 1.0 - self.beta1.powi(self.step);
        let bias2_sqrt = (1.0 - self.beta2.powi(self.step)).sqrt();
        let step_size = self.lr / bias1;
        for (((p, g), m), v) in params
            .iter_mut()
            .zip(grads)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            for (((pv, &gv), mv), vv) in p
                .data_mut()
                .iter_mut()
                .zip(g.data())
                .zip(m.iter_mut())
                .zip(v.iter_mut())
            {
                let d = gv + self.weight_decay * *pv;
                *mv = self.beta1 * *mv + (1.0 - self.beta1) * d;
                *vv = self.beta2 * *vv + (1.0 - self.beta2) * d * d;
                let denom = vv.sqrt() / bias2_sqrt + self.eps;
                *pv -= step_size * *mv / denom;
            }
        }
    }

    fn lr(&self) -> f32 {
        self.lr
    }

    fn set_lr(&mut self, lr: f32) {
        self.lr = lr;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(opt: &mut dyn Optimizer, grads: &[[f32; 2]]) -> Vec<f32> {
        let mut p = Tensor::new(&[2], vec![1.0, -2.0]).expect("p");
        for g in grads {
            let g = Tensor::new(&[2], g.to_vec()).expect("g");
            opt.step(&mut [&mut p], &[g]);
        }
        p.into_data()
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6)
    }

    const GRADS: [[f32; 2]; 3] = [[0.5, -1.0], [0.25, 2.0], [-0.75, 0.5]];

    #[test]
    fn sgd_momentum_matches_pytorch() {
        // p = torch.tensor([1., -2.]); o = torch.optim.SGD([p], lr=0.1, momentum=0.5)
        // for g in GRADS: p.grad = torch.tensor(g); o.step()   → p = [0.95, -2.175]
        let got = run(&mut Sgd::new(0.1, 0.5), &GRADS);
        assert!(close(&got, &[0.95, -2.175]), "{got:?}");
    }

    #[test]
    fn sgd_nesterov_weight_decay_matches_pytorch() {
        // torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True), same loop
        let mut sgd = Sgd::new(0.1, 0.9);
        sgd.weight_decay = 0.01;
        sgd.nesterov = true;
        let got = run(&mut sgd, &GRADS);
        assert!(close(&got, &[0.89536977, -2.2773368]), "{got:?}");
    }

    #[test]
    fn adam_matches_pytorch() {
        // torch.optim.Adam([p], lr=0.01), same loop (torch 2.15)
        let got = run(&mut Adam::new(0.01), &GRADS);
        assert!(close(&got, &[0.98149794, -1.9978175]), "{got:?}");
    }
}
