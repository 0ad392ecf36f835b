//! The compute core's errors in the learner's language.
//!
//! The core (`convscope-core`) knows no UI and writes its messages in English (`Display`). Each
//! error is an enum whose fields carry the numbers, so the page rebuilds the sentence here in
//! Chinese from those fields, and uses the core's own English text for English. A variant added
//! to the core without a translation does not compile (the matches are exhaustive).

use super::Lang;
use crate::backend::gpu::GpuError;
use crate::error::ShapeError;
use crate::formats::idx::IdxError;
use crate::formats::limits::{FileError, FileKind, mb};
use crate::formats::weights::WeightsError;
use crate::layer_code::{CodeError, Expected, Family};
use crate::models::builder::BuildError;

fn axis_zh(axis: &str) -> &'static str {
    match axis {
        "height" => "高度",
        "width" => "宽度",
        _ => "维度",
    }
}

fn what_zh(what: &str) -> String {
    match what {
        "input" => "输入".into(),
        "output" => "输出".into(),
        "kernel" | "kernel_size" => "卷积核大小".into(),
        "stride" => "步幅".into(),
        "dilation" => "膨胀".into(),
        "groups" => "分组数".into(),
        "channels" => "通道数".into(),
        "in_channels" => "输入通道数".into(),
        "out_channels" => "输出通道数".into(),
        "the number of multiplications" => "乘法次数".into(),
        "the number of parameters" => "参数个数".into(),
        "the number of features" => "特征个数".into(),
        other => other.to_string(),
    }
}

/// A shape error ([`ShapeError`]) in `lang`.
pub fn shape(lang: Lang, e: &ShapeError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        ShapeError::KernelTooLarge {
            axis,
            span,
            kernel,
            dilation,
            input,
            padding,
            padded,
        } => format!(
            "{}方向上卷积核的跨度 {span}（卷积核 {kernel}，膨胀 {dilation}）大于填充后的输入 {padded}\
             （输入 {input} + 2 × 填充 {padding}）：请用更小的卷积核或膨胀，或更多的填充",
            axis_zh(axis)
        ),
        ShapeError::GroupsDoNotDivide {
            what,
            channels,
            groups,
        } => format!(
            "{}通道数（{channels}）必须能被分组数（{groups}）整除：请修改通道数或分组数",
            what_zh(what)
        ),
        ShapeError::Zero { what } => format!("{}至少为 1，现在是 0", what_zh(what)),
        ShapeError::PoolPaddingTooLarge {
            padding,
            kernel,
            max,
        } => {
            format!("池化的填充 {padding} 最多为窗口大小 {kernel} 的一半：请用不大于 {max} 的填充")
        }
        ShapeError::Mismatch {
            what,
            expected,
            got,
        } => format!("{what}：需要形状 {expected}，得到 {got:?}"),
        ShapeError::TooLarge { what, limit } => format!(
            "{}太大，无法计数（超过 {limit}）：请减少通道数，或用更小的图像或卷积核",
            what_zh(what)
        ),
        ShapeError::Device(detail) => format!("计算设备出错：{detail}"),
        ShapeError::DataLength {
            shape,
            expected,
            got,
        } => format!("形状为 {shape:?} 的张量需要 {expected} 个值，得到 {got} 个"),
    }
}

/// Why the GPU failed ([`GpuError`]) in `lang`. The driver's own words (in English, from the
/// browser or wgpu) stay as they are, after a translated sentence.
pub fn gpu(lang: Lang, e: &GpuError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        GpuError::NoAdapter(d) => format!("没有可用的 GPU 适配器：{d}"),
        GpuError::Device(d) => format!("GPU 拒绝创建设备：{d}"),
        GpuError::Readback(d) => format!("读取 GPU 内存失败：{d}"),
        GpuError::DeviceLost(d) => format!("GPU 设备丢失：{d}"),
        GpuError::Validation(d) => format!("GPU 拒绝了一条命令：{d}"),
        GpuError::OutOfMemory(d) => format!("GPU 内存不足：{d}"),
        GpuError::Internal(d) => format!("GPU 内部出错：{d}"),
        GpuError::Shape(s) => shape(lang, s),
    }
}

/// Why a builder layer does not fit ([`BuildError`]) in `lang`.
pub fn build(lang: Lang, e: &BuildError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        BuildError::NeedsImage { layer, got } => {
            format!("{layer} 需要 (B, C, H, W) 形状的输入，却得到 {got:?}：请把它放在展平之前")
        }
        BuildError::Channels {
            layer,
            expected,
            got,
        } => format!(
            "{layer} 需要 {expected} 个输入通道，但上一层给出 {got} 个：请把 in_channels 设为 {got}"
        ),
        BuildError::NeedsFeatures { layer, got } => {
            format!("{layer} 需要 (B, 特征) 形状的输入，却得到 {got:?}：请在它前面加一个展平")
        }
        BuildError::Features {
            layer,
            expected,
            out,
            got,
        } => format!(
            "{layer} 需要 {expected} 个特征，却得到 {got} 个：请用 nn.Linear({got}, {out})，\
             或修改它前面的层（或图像大小），使得到的正好是 {expected} 个"
        ),
        BuildError::Shape { layer, error } => format!("{layer}：{}", shape(lang, error)),
    }
}

/// Why weights could not be loaded ([`WeightsError`]) in `lang`.
pub fn weights(lang: Lang, e: &WeightsError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        WeightsError::Format(detail) => format!("不是有效的 safetensors 文件：{detail}"),
        WeightsError::Missing { name, present } => {
            format!("缺少张量“{name}”（文件中有：{present}）")
        }
        WeightsError::Unexpected(name) => {
            format!("多余的张量“{name}”：这个模型没有这个名字的参数")
        }
        WeightsError::Shape {
            name,
            expected,
            got,
        } => format!("张量“{name}”的形状是 {got:?}，模型需要 {expected:?}"),
        WeightsError::Dtype { name, dtype } => {
            format!("张量“{name}”的类型是 {dtype}，convscope 需要 F32（保存前请调用 .float()）")
        }
    }
}

/// Why an MNIST file could not be read ([`IdxError`]) in `lang`.
pub fn idx(lang: Lang, e: &IdxError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        IdxError::Gzip { what, source } => {
            format!("{what}：不是有效的 gzip 数据（{source}）；请重新下载这个文件")
        }
        IdxError::Header { what, problem } => format!("{what}：文件头有误（{problem}）"),
        IdxError::Length {
            what,
            expected,
            got,
        } => format!(
            "{what}：文件头说数据有 {expected} 字节，文件里只有 {got} 字节；文件被截断或已损坏"
        ),
        IdxError::Mismatch(detail) => format!("图像与标签不一致：{detail}"),
    }
}

/// A file refused before reading ([`FileError`]) in `lang`.
pub fn file(lang: Lang, e: &FileError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        FileError::TooLarge {
            name,
            kind,
            size,
            limit,
        } => {
            let kind = match kind {
                FileKind::Weights => "权重",
                FileKind::Picture => "图片",
                FileKind::Idx => "MNIST",
            };
            format!(
                "{name} 有 {} MB；convscope 接受的{kind}文件最多 {} MB（远大于任何真实文件）：\
                 请选择正确的文件",
                mb(*size),
                mb(*limit)
            )
        }
        FileError::TooManyPixels {
            name,
            width,
            height,
            max_side,
            max_pixels,
        } => format!(
            "{name} 是 {width} × {height} 像素；convscope 读取的图片每边最多 {max_side} 像素、\
             总共最多 {max_pixels} 像素：请先把它缩小"
        ),
    }
}

/// Why a piece of PyTorch code cannot set an explorer ([`CodeError`]) in `lang`.
pub fn code(lang: Lang, e: &CodeError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        CodeError::NoLayer => {
            "没有找到层：请写 nn.Conv2d(…)、F.conv2d(…)、nn.MaxPool2d(…) 或 nn.AvgPool2d(…)".into()
        }
        CodeError::UnknownLayer { name } => format!(
            "{name} 不是这个演示能显示的层：请写 nn.Conv2d、F.conv2d、nn.MaxPool2d 或 nn.AvgPool2d"
        ),
        CodeError::Syntax {
            layer,
            at,
            expected,
        } => {
            let expected = match expected {
                Expected::Value => "一个值",
                Expected::CommaOrParen => "逗号或“)”",
                Expected::CommaOrBracket => "逗号或右括号",
                Expected::ClosingBracket => "右括号",
                Expected::FewerBrackets => "更少的括号",
            };
            format!("{layer}：第 {at} 个字符附近的参数无法解析，这里应为{expected}")
        }
        CodeError::UnknownArgument { layer, name } => format!("{layer} 没有参数 {name}"),
        CodeError::Duplicate { layer, name } => format!("{layer}：{name} 给了两次"),
        CodeError::TooManyArguments { layer, max } => {
            format!("{layer} 按位置最多接受 {max} 个参数")
        }
        CodeError::PositionalAfterKeyword { layer } => {
            format!("{layer}：没有名字的参数跟在了有名字的参数后面")
        }
        CodeError::Missing { layer, name } => format!("{layer} 需要 {name}"),
        CodeError::NotANumber { name, text } => {
            format!("{name} 必须是从 0 起的整数，或 (n, n)，现在是 {text}")
        }
        CodeError::NotSquare { name, a, b } => {
            format!("{name} = ({a}, {b})：这个演示要求高和宽取同一个数")
        }
        CodeError::Unsupported {
            name,
            value,
            allowed,
        } => format!("这里不显示 {name} = {value}：请用 {allowed}"),
        CodeError::NotOneOf {
            name,
            value,
            allowed,
        } => {
            let text: Vec<String> = allowed.iter().map(u64::to_string).collect();
            format!("{name} = {value}：这个演示接受 {}", text.join("、"))
        }
        CodeError::NotHere { layer, here } => {
            let name = |f: &Family| match f {
                Family::Conv => "卷积层（nn.Conv2d）",
                Family::Pool => "池化层（nn.MaxPool2d 或 nn.AvgPool2d）",
            };
            format!("这个演示显示的是{}，不是{}", name(here), name(layer))
        }
        CodeError::OutOfRange {
            name,
            value,
            min,
            max,
        } => format!("{name} = {value}：这个演示接受 {min} 到 {max}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::Conv2dParams;
    use crate::models::builder::{Layer, build as build_layers};

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// The explorer's "no valid output" detail and the builder's reasons were English on the
    /// Chinese page (issue 18, item 12; issue 17, item 7).
    #[test]
    fn core_errors_read_in_chinese_with_their_numbers() {
        let e = Conv2dParams::new(1, 1, 7).out_hw(5, 5).unwrap_err();
        let zh = shape(Lang::Zh, &e);
        assert!(has_cjk(&zh) && zh.contains('7') && zh.contains('5'), "{zh}");
        assert_eq!(shape(Lang::En, &e), e.to_string());

        let (_, e) = build_layers([1, 1, 28, 28], &[Layer::Linear { fin: 784, fout: 10 }])
            .error
            .expect("an error");
        let zh = build(Lang::Zh, &e);
        assert!(has_cjk(&zh) && zh.contains("展平"), "{zh}");

        let e = WeightsError::Dtype {
            name: "conv1.weight".into(),
            dtype: "F16".into(),
        };
        let zh = weights(Lang::Zh, &e);
        assert!(
            has_cjk(&zh) && zh.contains("conv1.weight") && zh.contains("F16"),
            "{zh}"
        );
        let e = GpuError::OutOfMemory("buffer of 4 GB".into());
        let zh = gpu(Lang::Zh, &e);
        assert!(zh.contains("GPU 内存不足") && zh.contains("4 GB"), "{zh}");
        let e = ShapeError::TooLarge {
            what: "the number of features",
            limit: u64::MAX,
        };
        assert!(shape(Lang::Zh, &e).contains("特征个数太大"));
        let e = crate::formats::limits::check_size(
            "huge.safetensors",
            crate::formats::limits::FileKind::Weights,
            300 << 20,
        )
        .unwrap_err();
        let zh = file(Lang::Zh, &e);
        assert!(zh.contains("300.0 MB") && zh.contains("64.0 MB"), "{zh}");
        for text in [zh, file(Lang::En, &e)] {
            assert!(!text.contains("  "), "a run of spaces: {text}");
        }
        let e = crate::layer_code::check("stride", 9, 1, 3).unwrap_err();
        assert_eq!(code(Lang::Zh, &e), "stride = 9：这个演示接受 1 到 3");
        let e = crate::layer_code::check_one_of("out_channels", 5, &[1, 2, 8]).unwrap_err();
        assert_eq!(code(Lang::Zh, &e), "out_channels = 5：这个演示接受 1、2、8");
        let e = crate::layer_code::find("nn.Conv2d(1 1, 3)").unwrap_err();
        assert!(
            code(Lang::Zh, &e).contains("第 13 个字符"),
            "{}",
            code(Lang::Zh, &e)
        );
    }
}
