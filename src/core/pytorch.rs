//! The PyTorch code the explorers show next to their numbers: the same layer, parameters and
//! input, with the shapes it prints (from the core's shape rules, [`Conv2dParams`] and
//! [`Pool2dParams`]), so that pasting it into Python reproduces the page.

use crate::layers::{Conv2dParams, Pool2dParams};

/// A value for generated code: exact (the shortest text that reads back as the same `f32`), so
/// that running the code gives the numbers on screen.
pub fn py_num(v: f32) -> String {
    if v.fract() == 0.0 && v.abs() < 1e7 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Values as the inside of a Python list: `1, 2.5, -3`.
pub fn py_list(v: &[f32]) -> String {
    v.iter().map(|&x| py_num(x)).collect::<Vec<_>>().join(", ")
}

/// `torch.nn.Conv2d(1, 1, k, …)` on one `n × n` channel with the given weights and bias.
pub fn conv2d_code(
    n: usize,
    input: &[f32],
    k: usize,
    kernel: &[f32],
    bias: f32,
    p: &Conv2dParams,
) -> String {
    let (bias_arg, bias_line) = if bias == 0.0 {
        ("False", String::new())
    } else {
        (
            "True",
            format!(
                "conv.bias.data = torch.tensor([{}], dtype=torch.float32)\n",
                py_num(bias)
            ),
        )
    };
    let out = p
        .output_shape([1, 1, n, n])
        .map_or_else(|e| format!("error: {e}"), |s| format!("torch.Size({s:?})"));
    format!(
        "import torch\n\ninput = torch.tensor([{}], dtype=torch.float32).view(1, 1, {n}, {n})\n\
         conv = torch.nn.Conv2d(1, 1, kernel_size={k}, stride={}, padding={}, dilation={}, bias={bias_arg})\n\
         conv.weight.data = torch.tensor([{}], dtype=torch.float32).view(1, 1, {k}, {k})\n\
         {bias_line}output = conv(input)\n\
         print(input.shape)        # torch.Size([1, 1, {n}, {n}])\n\
         print(output.shape)       # {out}\n\
         print(conv.weight.shape)  # torch.Size([1, 1, {k}, {k}])\n\
         print(output)",
        py_list(input),
        p.stride.0,
        p.padding.0,
        p.dilation.0,
        py_list(kernel),
    )
}

/// `torch.nn.MaxPool2d` (`max`) or `AvgPool2d` on `c` channels of `n × n` (`values`, channel
/// after channel); `default_stride` leaves the stride out (PyTorch's default, the window);
/// `backward` adds the backward pass with the upstream gradient 1, 2, 3, … in every channel.
pub fn pool2d_code(
    c: usize,
    n: usize,
    values: &[f32],
    max: bool,
    p: &Pool2dParams,
    default_stride: bool,
    backward: bool,
) -> String {
    let layer = if max { "MaxPool2d" } else { "AvgPool2d" };
    let stride_arg = if default_stride {
        String::new()
    } else {
        format!(", stride={}", p.stride.0)
    };
    let out = p
        .output_shape([1, c, n, n])
        .map_or_else(|e| e.to_string(), |s| format!("torch.Size({s:?})"));
    let backward_code = match (backward, p.out_hw(n, n)) {
        (true, Ok((oh, ow))) => format!(
            "\n\n# backward: the upstream gradient 1, 2, 3, … in every channel\n\
             input.requires_grad_(True)\n\
             output = pooling(input)\n\
             output.backward(torch.arange(1., {}).view(1, 1, {oh}, {ow}).expand(1, {c}, {oh}, {ow}))\n\
             print(input.grad)",
            oh * ow + 1
        ),
        _ => String::new(),
    };
    format!(
        "import torch\n\ninput = torch.tensor([{}], dtype=torch.float32).view(1, {c}, {n}, {n})\n\
         pooling = torch.nn.{layer}(kernel_size={}{stride_arg})\n\
         output = pooling(input)\n\
         print(output.shape)  # {out}\n\
         print(output){backward_code}",
        py_list(values),
        p.kernel.0
    )
}

/// An explorer's convolution as one line of code (groups only when not 1), as its editable code box shows it
/// and reads it back ([`crate::layer_code::find`]).
pub fn conv2d_layer(p: &Conv2dParams, bias: bool) -> String {
    let groups = if p.groups == 1 {
        String::new()
    } else {
        format!(", groups={}", p.groups)
    };
    format!(
        "nn.Conv2d({}, {}, kernel_size={}, stride={}, padding={}, dilation={}{groups}, bias={})",
        p.in_channels,
        p.out_channels,
        p.kernel.0,
        p.stride.0,
        p.padding.0,
        p.dilation.0,
        if bias { "True" } else { "False" }
    )
}

/// The pooling explorer's layer as one line of code (`stride: None` is PyTorch's default).
pub fn pool2d_layer(max: bool, kernel: usize, stride: Option<usize>) -> String {
    let layer = if max { "MaxPool2d" } else { "AvgPool2d" };
    match stride {
        Some(s) => format!("nn.{layer}(kernel_size={kernel}, stride={s})"),
        None => format!("nn.{layer}(kernel_size={kernel})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_exactly() {
        assert_eq!(py_list(&[1.0, -2.0, 0.1]), "1, -2, 0.1");
    }

    #[test]
    fn pool_code_names_the_layer_and_the_shape() {
        let p = Pool2dParams::new(2).stride(2);
        let values: Vec<f32> = (0..16).map(|v| v as f32).collect();
        let code = pool2d_code(1, 4, &values, true, &p, true, false);
        assert!(
            code.contains("torch.nn.MaxPool2d(kernel_size=2)\n"),
            "{code}"
        );
        assert!(code.contains("# torch.Size([1, 1, 2, 2])"), "{code}");
        let code = pool2d_code(1, 4, &values, false, &p, false, true);
        assert!(
            code.contains("AvgPool2d(kernel_size=2, stride=2)"),
            "{code}"
        );
        assert!(
            code.contains("torch.arange(1., 5).view(1, 1, 2, 2)"),
            "{code}"
        );
    }

    #[test]
    fn conv_code_has_the_bias_only_when_set() {
        let p = Conv2dParams::new(1, 1, 3).bias(false);
        let code = conv2d_code(5, &[0.0; 25], 3, &[1.0; 9], 0.0, &p);
        assert!(code.contains("bias=False"), "{code}");
        assert!(code.contains("# torch.Size([1, 1, 3, 3])"), "{code}");
        let code = conv2d_code(5, &[0.0; 25], 3, &[1.0; 9], 0.5, &p);
        assert!(
            code.contains("conv.bias.data = torch.tensor([0.5]"),
            "{code}"
        );
    }

    /// The one-line layers read back as the settings they came from.
    #[test]
    fn layer_lines_read_back() {
        use crate::layer_code::{LayerCode, Padding, PoolKind, find};
        let p = Conv2dParams::new(1, 1, 5).stride(2).padding(1).dilation(2);
        let line = conv2d_layer(&p, false);
        assert_eq!(
            line,
            "nn.Conv2d(1, 1, kernel_size=5, stride=2, padding=1, dilation=2, bias=False)"
        );
        let Ok(LayerCode::Conv(c)) = find(&line) else {
            panic!("{line}")
        };
        assert_eq!(
            (c.kernel, c.stride, c.padding, c.dilation, c.bias),
            (Some(5), 2, Padding::Size(1), 2, false)
        );
        let line = pool2d_layer(false, 3, Some(1));
        assert_eq!(line, "nn.AvgPool2d(kernel_size=3, stride=1)");
        let Ok(LayerCode::Pool(q)) = find(&line) else {
            panic!("{line}")
        };
        assert_eq!((q.kind, q.kernel, q.stride), (PoolKind::Avg, 3, 1));
        assert_eq!(pool2d_layer(true, 2, None), "nn.MaxPool2d(kernel_size=2)");
    }
}
