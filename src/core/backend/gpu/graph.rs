//! The GPU recording tape: a model's training step on the GPU, recorded from its forward pass.
//!
//! Each model writes its forward pass once against [`Graph`]'s ops (conv, max/avg pooling, relu,
//! add, channel concatenation, linear), beside its CPU forward and backward (`models::*`,
//! trait `models::GpuRecord`). Each op allocates its output buffer and records its
//! dispatch; [`Graph::backward`] then walks the ops in reverse and records the gradient
//! dispatches, accumulating the gradient of a value used twice (a residual block's input, an
//! Inception module's input feeding four branches) with an `add`. Parameter gradients go
//! straight into the trainer's gradient buffers. The whole list is built once per batch size and
//! replayed every step by `train::gpu::GpuTrainer`.

use super::ops::{self, Dispatch, Operand, conv_params, pool_params};
use super::{GpuContext, GpuTensor};
use crate::error::Result;
use crate::layers::{Conv2dParams, Pool2dParams};

/// A value of the graph: an index into its buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value(usize);

/// What the backward pass needs of each op.
enum Op {
    Conv {
        x: Value,
        y: Value,
        w: usize,
        p: Conv2dParams,
    },
    MaxPool {
        x: Value,
        y: Value,
        argmax: Value,
        p: Pool2dParams,
    },
    AvgPool {
        x: Value,
        y: Value,
        p: Pool2dParams,
    },
    Relu {
        x: Value,
        y: Value,
    },
    Add {
        a: Value,
        b: Value,
        y: Value,
    },
    Concat {
        xs: Vec<Value>,
        y: Value,
    },
    Linear {
        x: Value,
        y: Value,
        w: usize,
        features: usize,
    },
}

/// A step being recorded (see the module docs).
pub struct Graph<'a> {
    ctx: &'a GpuContext,
    params: &'a [GpuTensor],
    grads: &'a [GpuTensor],
    values: Vec<GpuTensor>,
    ops: Vec<Op>,
    /// The dispatches recorded so far, in order.
    pub dispatches: Vec<Dispatch>,
}

fn dims(t: &GpuTensor) -> [usize; 4] {
    [t.shape[0], t.shape[1], t.shape[2], t.shape[3]]
}

impl<'a> Graph<'a> {
    /// A graph whose input is `x`; `params` and `grads` are in the model's `named` order.
    pub fn new(
        ctx: &'a GpuContext,
        params: &'a [GpuTensor],
        grads: &'a [GpuTensor],
        x: GpuTensor,
    ) -> (Self, Value) {
        let graph = Graph {
            ctx,
            params,
            grads,
            values: vec![x],
            ops: Vec::new(),
            dispatches: Vec::new(),
        };
        (graph, Value(0))
    }

    /// The buffer of `v`.
    pub fn tensor(&self, v: Value) -> &GpuTensor {
        &self.values[v.0]
    }

    fn alloc(&mut self, shape: &[usize]) -> Value {
        self.values.push(GpuTensor::zeros(self.ctx, shape));
        Value(self.values.len() - 1)
    }

    /// `conv(x)` with the parameters `w` (weight) and `w + 1` (bias).
    pub fn conv(&mut self, x: Value, w: usize, p: Conv2dParams) -> Result<Value> {
        let xd = dims(self.tensor(x));
        let yd = p.output_shape(xd)?;
        let y = self.alloc(&yd);
        let d = ops::conv2d_forward(
            self.ctx,
            self.tensor(x),
            &self.params[w],
            Some(&self.params[w + 1]),
            conv_params(&p, xd, yd, true),
            self.tensor(y),
        );
        self.dispatches.push(d);
        self.ops.push(Op::Conv { x, y, w, p });
        Ok(y)
    }

    /// Max pooling.
    pub fn max_pool(&mut self, x: Value, p: Pool2dParams) -> Result<Value> {
        let xd = dims(self.tensor(x));
        let yd = p.output_shape(xd)?;
        let (y, argmax) = (self.alloc(&yd), self.alloc(&yd));
        let d = ops::max_pool2d_forward(
            self.ctx,
            self.tensor(x),
            pool_params(&p, xd, yd),
            self.tensor(y),
            self.tensor(argmax),
        );
        self.dispatches.push(d);
        self.ops.push(Op::MaxPool { x, y, argmax, p });
        Ok(y)
    }

    /// Average pooling.
    pub fn avg_pool(&mut self, x: Value, p: Pool2dParams) -> Result<Value> {
        let xd = dims(self.tensor(x));
        let yd = p.output_shape(xd)?;
        let y = self.alloc(&yd);
        let d = ops::avg_pool2d_forward(
            self.ctx,
            self.tensor(x),
            pool_params(&p, xd, yd),
            self.tensor(y),
        );
        self.dispatches.push(d);
        self.ops.push(Op::AvgPool { x, y, p });
        Ok(y)
    }

    /// `relu(x)`.
    pub fn relu(&mut self, x: Value) -> Value {
        let shape = self.tensor(x).shape.clone();
        let y = self.alloc(&shape);
        let d = ops::relu_forward(self.ctx, self.tensor(x), self.tensor(y));
        self.dispatches.push(d);
        self.ops.push(Op::Relu { x, y });
        y
    }

    /// `a + b`.
    pub fn add(&mut self, a: Value, b: Value) -> Value {
        let shape = self.tensor(a).shape.clone();
        let y = self.alloc(&shape);
        let d = ops::add(self.ctx, self.tensor(a), self.tensor(b), self.tensor(y));
        self.dispatches.push(d);
        self.ops.push(Op::Add { a, b, y });
        y
    }

    /// `torch.cat(xs, dim=1)`.
    pub fn concat(&mut self, xs: &[Value]) -> Value {
        let [n, _, h, w] = dims(self.tensor(xs[0]));
        let c: usize = xs.iter().map(|&x| self.tensor(x).shape[1]).sum();
        let y = self.alloc(&[n, c, h, w]);
        let mut c0 = 0;
        for &x in xs {
            let cx = self.tensor(x).shape[1];
            let d = ops::channel_copy(
                self.ctx,
                self.tensor(x),
                0,
                self.tensor(y),
                c0,
                cx,
                n,
                h * w,
            );
            self.dispatches.push(d);
            c0 += cx;
        }
        self.ops.push(Op::Concat { xs: xs.to_vec(), y });
        y
    }

    /// `fc(x.view(b, -1))` with the parameters `w` (weight `[out, features]`) and `w + 1`.
    pub fn linear(&mut self, x: Value, w: usize) -> Value {
        let batch = self.tensor(x).shape[0];
        let features = self.tensor(x).len() / batch.max(1);
        let out = self.params[w].shape[0];
        let y = self.alloc(&[batch, out]);
        let d = ops::matmul(
            self.ctx,
            (batch, out, features),
            Operand::row_major(self.tensor(x), features),
            Operand::transposed(&self.params[w], features),
            Some(&self.params[w + 1]),
            self.tensor(y),
            false,
        );
        self.dispatches.push(d);
        self.ops.push(Op::Linear { x, y, w, features });
        y
    }

    /// Adds `g` to the gradient of `v` (the first contribution is kept as it is).
    fn accumulate(&mut self, grad: &mut [Option<Value>], v: Value, g: Value) {
        grad[v.0] = Some(match grad[v.0] {
            None => g,
            Some(old) => {
                let shape = self.tensor(g).shape.clone();
                let sum = self.alloc(&shape);
                let d = ops::add(self.ctx, self.tensor(old), self.tensor(g), self.tensor(sum));
                self.dispatches.push(d);
                sum
            }
        });
    }

    /// Records the backward pass from `dlogits` (the gradient of the graph's last op's output):
    /// every parameter's gradient lands in its gradient buffer. The input gets none.
    pub fn backward(&mut self, out: Value, dlogits: Value) {
        let mut grad: Vec<Option<Value>> = vec![None; self.values.len()];
        grad[out.0] = Some(dlogits);
        let ops = std::mem::take(&mut self.ops);
        for op in ops.iter().rev() {
            self.backward_op(op, &mut grad);
        }
        self.ops = ops;
    }

    fn backward_op(&mut self, op: &Op, grad: &mut Vec<Option<Value>>) {
        let ctx = self.ctx;
        grad.resize(self.values.len(), None);
        let out = match op {
            Op::Conv { y, .. }
            | Op::MaxPool { y, .. }
            | Op::AvgPool { y, .. }
            | Op::Relu { y, .. }
            | Op::Add { y, .. }
            | Op::Concat { y, .. }
            | Op::Linear { y, .. } => *y,
        };
        // A value nothing downstream used has no gradient (and needs none).
        let Some(dy) = grad[out.0] else {
            return;
        };
        match op {
            Op::Conv { x, y, w, p } => {
                let (xd, yd) = (dims(self.tensor(*x)), dims(self.tensor(*y)));
                let cp = conv_params(p, xd, yd, false);
                let d = ops::conv2d_backward_weight(
                    ctx,
                    self.tensor(*x),
                    self.tensor(dy),
                    cp,
                    &self.grads[*w],
                );
                self.dispatches.push(d);
                let plane = yd[2] * yd[3];
                let d = ops::bias_grad(
                    ctx,
                    self.tensor(dy),
                    yd[0],
                    yd[1],
                    plane,
                    &self.grads[w + 1],
                );
                self.dispatches.push(d);
                if x.0 != 0 {
                    let dx = self.alloc(&xd);
                    let d = ops::conv2d_backward_input(
                        ctx,
                        self.tensor(dy),
                        &self.params[*w],
                        None,
                        cp,
                        self.tensor(dx),
                    );
                    self.dispatches.push(d);
                    self.accumulate(grad, *x, dx);
                }
            }
            Op::MaxPool { x, y, argmax, p } => {
                let (xd, yd) = (dims(self.tensor(*x)), dims(self.tensor(*y)));
                let dx = self.alloc(&xd);
                let d = ops::max_pool2d_backward(
                    ctx,
                    self.tensor(dy),
                    self.tensor(*argmax),
                    pool_params(p, xd, yd),
                    self.tensor(dx),
                );
                self.dispatches.push(d);
                self.accumulate(grad, *x, dx);
            }
            Op::AvgPool { x, y, p } => {
                let (xd, yd) = (dims(self.tensor(*x)), dims(self.tensor(*y)));
                let dx = self.alloc(&xd);
                let d = ops::avg_pool2d_backward(
                    ctx,
                    self.tensor(dy),
                    pool_params(p, xd, yd),
                    self.tensor(dx),
                );
                self.dispatches.push(d);
                self.accumulate(grad, *x, dx);
            }
            Op::Relu { x, y } => {
                let shape = self.tensor(*x).shape.clone();
                let dx = self.alloc(&shape);
                let d = ops::relu_backward(ctx, self.tensor(dy), self.tensor(*y), self.tensor(dx));
                self.dispatches.push(d);
                self.accumulate(grad, *x, dx);
            }
            Op::Add { a, b, .. } => {
                self.accumulate(grad, *a, dy);
                self.accumulate(grad, *b, dy);
            }
            Op::Concat { xs, y } => {
                let [n, _, h, w] = dims(self.tensor(*y));
                let mut c0 = 0;
                for &x in xs {
                    let shape = self.tensor(x).shape.clone();
                    let dx = self.alloc(&shape);
                    let d = ops::channel_copy(
                        ctx,
                        self.tensor(dy),
                        c0,
                        self.tensor(dx),
                        0,
                        shape[1],
                        n,
                        h * w,
                    );
                    self.dispatches.push(d);
                    c0 += shape[1];
                    self.accumulate(grad, x, dx);
                }
            }
            Op::Linear { x, w, features, .. } => {
                let batch = self.tensor(*x).shape[0];
                let out = self.params[*w].shape[0];
                let d = ops::matmul(
                    ctx,
                    (out, *features, batch),
                    Operand::transposed(self.tensor(dy), out),
                    Operand::row_major(self.tensor(*x), *features),
                    None,
                    &self.grads[*w],
                    false,
                );
                self.dispatches.push(d);
                let d = ops::bias_grad(ctx, self.tensor(dy), batch, out, 1, &self.grads[w + 1]);
                self.dispatches.push(d);
                let shape = self.tensor(*x).shape.clone();
                let dx = self.alloc(&shape);
                let d = ops::matmul(
                    ctx,
                    (batch, *features, out),
                    Operand::row_major(self.tensor(dy), out),
                    Operand::row_major(&self.params[*w], *features),
                    None,
                    self.tensor(dx),
                    false,
                );
                self.dispatches.push(d);
                self.accumulate(grad, *x, dx);
            }
        }
    }

    /// Allocates a value of `shape` (for the loss's outputs).
    pub fn value(&mut self, shape: &[usize]) -> Value {
        self.alloc(shape)
    }

    /// Records a dispatch made outside the graph's ops (the loss).
    pub fn push(&mut self, d: Dispatch) {
        self.dispatches.push(d);
    }

    /// The buffers, to keep alive with the dispatches.
    pub fn into_parts(self) -> (Vec<Dispatch>, Vec<GpuTensor>) {
        (self.dispatches, self.values)
    }
}
