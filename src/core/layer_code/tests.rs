use super::*;

fn conv(text: &str) -> ConvCode {
    match find(text) {
        Ok(LayerCode::Conv(c)) => c,
        other => panic!("{text}: {other:?}"),
    }
}

fn pool(text: &str) -> PoolCode {
    match find(text) {
        Ok(LayerCode::Pool(p)) => p,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn the_issue_s_conv_positional_and_keyword() {
    let full = ConvCode {
        in_channels: Some(3),
        out_channels: Some(8),
        kernel: Some(3),
        stride: 2,
        padding: Padding::Size(1),
        dilation: 1,
        groups: 1,
        bias: true,
    };
    assert_eq!(
        conv(
            "nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1, dilation=1, groups=1, bias=True)"
        ),
        full
    );
    assert_eq!(conv("nn.Conv2d(3, 8, 3, 2, 1, 1, 1, True)"), full);
    assert_eq!(
        conv(
            "torch.nn.Conv2d(in_channels=3, out_channels=8, kernel_size=(3, 3), stride=(2, 2), padding=1)"
        ),
        full
    );
    // Inside a snippet, after an assignment, over several lines, with a trailing comma.
    assert_eq!(
        conv(
            "import torch\nx = torch.randn(1, 3, 5, 5)\nconv = torch.nn.Conv2d(\n    3, 8,\n    kernel_size=3, stride=2, padding=1,\n)\nprint(conv(x).shape)"
        ),
        full
    );
    let c = conv("nn.Conv2d(1, 1, 5, padding='same', dilation=2, bias=False)");
    assert_eq!((c.padding.size(5, 2), c.bias, c.dilation), (4, false, 2));
    assert_eq!(
        conv("nn.Conv2d(1, 1, 3, padding='valid')").padding,
        Padding::Size(0)
    );
}

#[test]
fn functional_conv_takes_its_shapes_from_the_tensors() {
    let c = conv("y = F.conv2d(x, w, stride=2, padding=1)");
    assert_eq!(
        (c.in_channels, c.kernel, c.stride, c.bias),
        (None, None, 2, false)
    );
    assert!(conv("torch.nn.functional.conv2d(x, weight, b, 1, 2)").bias);
    assert_eq!(
        conv("F.conv2d(torch.randn(1, 1, 5, 5), w, groups=2)").groups,
        2
    );
}

#[test]
fn pooling_defaults_its_stride_to_the_kernel() {
    let p = pool("nn.MaxPool2d(2)");
    assert_eq!(
        (p.kind, p.kernel, p.stride, p.padding),
        (PoolKind::Max, 2, 2, 0)
    );
    let p = pool("nn.AvgPool2d(3, stride=1, padding=1)");
    assert_eq!(
        (p.kind, p.kernel, p.stride, p.padding),
        (PoolKind::Avg, 3, 1, 1)
    );
    assert_eq!(
        pool("F.max_pool2d(x, 3, stride=None, dilation=2)").dilation,
        2
    );
    assert_eq!(pool("F.avg_pool2d(x, (2, 2))").stride, 2);
}

#[test]
fn what_it_cannot_take_names_the_argument() {
    assert_eq!(find("nothing here"), Err(CodeError::NoLayer));
    assert_eq!(
        find("nn.Conv1d(1, 1, 3)"),
        Err(CodeError::UnknownLayer {
            name: "nn.Conv1d".into()
        })
    );
    // Each message names the argument and what to write instead.
    for (code, message) in [
        (
            "nn.Conv2d(1, 1, 3, strid=2)",
            "nn.Conv2d has no argument strid",
        ),
        (
            "nn.Conv2d(1, 1, 3, kernel_size=3)",
            "nn.Conv2d: kernel_size is given twice",
        ),
        ("nn.Conv2d(1, 1)", "nn.Conv2d needs kernel_size"),
        (
            "nn.Conv2d(1, out_channels=1, 3)",
            "nn.Conv2d: an argument without a name follows a named one",
        ),
        (
            "nn.Conv2d(1, 1, (3, 5))",
            "kernel_size = (3, 5): this explorer takes the same number for height and width",
        ),
        (
            "nn.Conv2d(1, 1, 3, stride=1.5)",
            "stride must be a whole number from 0 up, or (n, n), but is 1.5",
        ),
        (
            "nn.Conv2d(1, 1, 3, padding=-1)",
            "padding must be a whole number from 0 up, or (n, n), but is -1",
        ),
        (
            "nn.Conv2d(1, 1, 3, padding_mode='reflect')",
            "padding_mode = 'reflect' is not shown here: use padding_mode='zeros'",
        ),
        (
            "nn.Conv2d(1, 1, 3, stride=2, padding='same')",
            "padding = 'same' is not shown here",
        ),
        (
            "nn.MaxPool2d(2, ceil_mode=True)",
            "ceil_mode = True is not shown here: use ceil_mode=False",
        ),
        (
            "nn.MaxPool2d(2, 2, 0, 1, False, False, 9)",
            "nn.MaxPool2d takes at most 6 arguments by position",
        ),
        (
            "nn.Conv2d(1, 1, 3",
            "nn.Conv2d: the arguments do not parse near character",
        ),
        ("nn.Conv2d(1 1, 3)", "near character 13: a comma or ')'"),
    ] {
        let got = find(code).expect_err(code).to_string();
        assert!(got.contains(message), "{code}: {got}");
    }
    assert_eq!(
        check("stride", 9, 1, 3).expect_err("range").to_string(),
        "stride = 9: this explorer takes 1 to 3"
    );
    assert_eq!(check("stride", 2, 1, 3), Ok(2));
    assert_eq!(
        check_one_of("groups", 3, &[1, 4])
            .expect_err("one of")
            .to_string(),
        "groups = 3: this explorer takes 1 or 4"
    );
    assert_eq!(list(&[1, 2, 3, 4, 6, 8]), "1, 2, 3, 4, 6 or 8");
    assert_eq!(check_one_of("k", 5, &[1, 3, 5]), Ok(5));
}
