//! 简体中文 strings. Every key here must also be in `en.rs` (a test checks both ways).

/// `(key, text)` pairs.
pub const STRINGS: &[(&str, &str)] = &[
    ("app.name", "convscope"),
    ("app.tagline", "交互式卷积实验室"),
    ("nav.skip", "跳到正文"),
    ("nav.menu", "菜单"),
    ("nav.chapters", "章节"),
    ("nav.home", "首页"),
    ("lang.toggle", "English"),
    ("lang.toggle_label", "Switch to English（切换到英文）"),
    ("theme.to_dark", "深色"),
    ("theme.to_dark_label", "切换到深色主题"),
    ("theme.to_light", "浅色"),
    ("theme.to_light_label", "切换到浅色主题"),
    ("footer.backend", "计算后端："),
    ("backend.detecting", "正在查找 GPU…"),
    ("backend.webgpu", "WebGPU"),
    ("backend.software", "软件实现，较慢"),
    ("backend.simd", "CPU 上的 WASM SIMD"),
    ("backend.why_no_webgpu", "此处无法使用 WebGPU"),
    ("backend.reason.missing", "此浏览器不支持 WebGPU"),
    (
        "backend.reason.insecure",
        "WebGPU 需要安全页面（https 或 localhost）",
    ),
    (
        "backend.reason.no_adapter",
        "浏览器没有找到可用的 GPU 适配器",
    ),
    ("backend.reason.device", "GPU 拒绝创建设备"),
    (
        "backend.fallback_note",
        "convscope 改为在 CPU 上计算：数字完全相同，只是训练较慢。",
    ),
    ("footer.reference", "每个数字都与 PyTorch 核对过。"),
    ("backend.reason.lost", "训练时 GPU 丢失"),
    ("train.heading", "在 MNIST 上训练网络"),
    ("train.backend", "计算设备"),
    ("train.backend_gpu", "WebGPU（GPU）"),
    ("train.backend_cpu", "WASM SIMD（CPU）"),
    ("train.optimizer", "优化器"),
    ("train.lr", "学习率"),
    ("train.momentum", "动量"),
    ("train.batch", "批大小"),
    ("train.start", "开始训练"),
    ("train.pause", "暂停"),
    ("train.resume", "继续"),
    ("train.reset", "重置"),
    ("train.simulate_loss", "模拟 GPU 丢失"),
    (
        "train.hint",
        "按下“开始训练”时才加载 60,000 张训练图像。暂停后可以修改批大小，或把模型在 GPU 和 CPU 之间移动；\
         训练开始后优化器和学习率固定不变（重置后可修改）。",
    ),
    ("train.idle", "就绪。"),
    ("train.loading", "正在加载 60,000 张训练图像…"),
    ("train.running", "训练中…"),
    ("train.paused", "已暂停。"),
    ("train.failed", "训练已停止"),
    ("train.on", "运行于"),
    ("train.step", "步数"),
    ("train.epoch", "轮次"),
    ("train.loss", "损失"),
    ("train.speed", "每秒图像数"),
    ("train.chart", "每个记录步的训练损失"),
    (
        "train.lost",
        "GPU 已丢失。训练从最后完成的一步起在 CPU 上继续，没有丢失任何一步。",
    ),
    ("draw.heading", "手写一个数字"),
    (
        "draw.hint",
        "用鼠标、手指或触控笔写一个 0 到 9 的数字。和 MNIST 的数字一样，图像会先按笔迹裁剪，\
         缩放到 20 × 20，再按质心居中，然后交给训练好的网络分类。",
    ),
    ("draw.pad_label", "画板：用鼠标、手指或触控笔写一个数字"),
    ("draw.loading", "正在加载训练好的权重…"),
    ("draw.failed", "无法加载权重"),
    ("draw.empty", "写一个数字，网络就会识别它。"),
    ("draw.guess", "网络识别为："),
    ("draw.probabilities", "每个数字的概率（百分比）"),
    ("draw.input_caption", "网络看到的输入（28 × 28）"),
    ("draw.undo", "撤销"),
    ("draw.clear", "清除"),
    ("conv.heading", "让卷积核在图像上滑动"),
    ("conv.input_size", "输入尺寸"),
    ("conv.input_preset", "输入数值"),
    ("conv.input.lesson", "课程中的 5 × 5"),
    ("conv.input.random", "随机数字"),
    ("conv.input.ramp", "对角渐变"),
    ("conv.kernel_size", "卷积核尺寸"),
    ("conv.kernel_preset", "卷积核"),
    ("conv.kernel.lesson", "课程中的 1…9"),
    ("conv.kernel.identity", "恒等"),
    ("conv.kernel.box", "均值模糊"),
    ("conv.kernel.sharpen", "锐化"),
    ("conv.kernel.sobel_x", "Sobel x（竖直边缘）"),
    ("conv.kernel.sobel_y", "Sobel y（水平边缘）"),
    ("conv.kernel.edge", "边缘（拉普拉斯）"),
    ("conv.padding", "填充"),
    ("conv.stride", "步幅"),
    ("conv.dilation", "膨胀"),
    ("conv.no_output", "没有有效的输出："),
    (
        "conv.grids_label",
        "输入、卷积核和输出；用方向键逐个位置移动",
    ),
    ("conv.input", "输入（四周的零是填充）"),
    ("conv.kernel", "卷积核（权重，可编辑）"),
    ("conv.output", "输出"),
    ("conv.first", "第一个位置"),
    ("conv.back", "上一个位置"),
    ("conv.forward", "下一个位置"),
    ("conv.last", "最后一个位置"),
    ("conv.play", "播放"),
    ("conv.pause", "暂停"),
    ("conv.timeline", "卷积核的位置"),
    ("conv.speed", "速度"),
    ("conv.pytorch", "对应的 PyTorch 代码"),
    ("conv.link_adjusted", "链接中有超出范围的值，已调整："),
    ("conv.copy", "复制代码"),
    ("pool.heading", "对特征图做池化"),
    ("pool.mode", "池化方式"),
    ("pool.max", "最大池化"),
    ("pool.avg", "平均池化"),
    ("pool.kernel", "窗口"),
    ("pool.stride", "步幅"),
    ("pool.stride_default", "= 窗口大小（默认）"),
    ("pool.input", "输入"),
    ("pool.input.lesson", "课程中的 4 × 4"),
    ("pool.input.random6", "随机 6 × 6"),
    ("pool.input.random8", "随机 8 × 8"),
    ("pool.grids_label", "输入和输出；用方向键逐个窗口移动"),
    ("pool.input_caption", "输入（带圈的格子是最大值）"),
    ("pool.output_caption", "输出"),
    (
        "pool.channels_note",
        "池化在每个通道内部进行：形状为 (1, 10, 24, 24) 的输入经过 MaxPool2d(2) 得到 (1, 10, 12, 12)，\
         仍然是 10 个通道。",
    ),
    ("cost.heading", "1×1 卷积瓶颈能省多少"),
    ("cost.hw", "高 = 宽"),
    ("cost.cin", "输入通道数"),
    ("cost.cout", "输出通道数"),
    ("cost.k", "卷积核尺寸"),
    ("cost.use_bottleneck", "先做 1×1 卷积"),
    ("cost.b", "瓶颈通道数"),
    ("cost.mults", "乘法次数"),
    ("cost.params", "权重数"),
    ("cost.direct", "直接卷积"),
    ("cost.with_bottleneck", "先做 1×1"),
    ("cost.ratio", "加入瓶颈后乘法次数减少为原来的几分之一："),
    ("cost.chart", "两种设计的乘法次数柱状图"),
    ("inception.heading", "Inception 模块"),
    ("inception.cin", "输入通道数"),
    ("inception.hw", "高 = 宽"),
    ("inception.mults", "次乘法"),
    ("inception.cat", "torch.cat(outputs, dim=1) →"),
    (
        "inception.note",
        "每个分支都保持高和宽不变，所以各分支的输出可以沿通道维拼接：16 + 24 + 24 + 24 = 88 个通道。",
    ),
    ("images.raster_heading", "放大后的栅格图像与矢量图像"),
    ("images.zoom", "放大倍数"),
    (
        "images.raster_caption",
        "栅格：来自 MNIST 的 28 × 28 像素。放大后变成马赛克。",
    ),
    (
        "images.vector_caption",
        "矢量：一条路径（点与点之间的线段）。放大后依然清晰。",
    ),
    ("images.flatten_heading", "把 28 × 28 的图像展平成 784 个数"),
    (
        "images.flatten_hint",
        "点击一个像素，或在网格上用方向键移动。全连接网络把图像看成一行 784 个数，一行接一行。",
    ),
    (
        "images.grid_label",
        "一个 28 × 28 的数字；方向键移动选中的像素",
    ),
    ("images.flat_horizontal", "左右邻居："),
    ("images.flat_vertical", "上下邻居，相隔 28："),
    ("images.legend_pixel", "选中的像素"),
    ("images.legend_horizontal", "左右邻居"),
    ("images.legend_vertical", "上下邻居"),
    (
        "images.strip_caption",
        "像素附近的展平向量（两侧各 30 个位置）：上下邻居位于两端。",
    ),
    ("channels.heading", "多个输入通道，多个卷积核"),
    ("channels.cin", "输入通道数（n）"),
    ("channels.cout", "卷积核数 = 输出通道数（m）"),
    ("channels.k", "卷积核尺寸（k）"),
    ("channels.depthwise", "逐通道卷积（groups = n）"),
    ("channels.channel", "通道"),
    ("channels.out_channel", "输出通道"),
    ("channels.bias", "（偏置）"),
    ("channels.inputs", "输入通道（标出了所选输出对应的窗口）"),
    (
        "channels.kernel_stack",
        "所选输出通道的卷积核：它看到的每个输入通道各有一片 k × k",
    ),
    ("channels.outputs", "输出通道（点击一个数值查看它的来历）"),
    (
        "channels.hint",
        "每个卷积核与它看到的每个输入通道分别做卷积，再把结果相加（加上偏置）得到一个输出通道，\
         所以 m 个卷积核得到 m 个输出通道，权重形状为 (m, n / groups, k, k)。",
    ),
    ("shapes.heading", "逐层查看网络：320 从哪里来？"),
    ("shapes.input", "输入尺寸"),
    ("shapes.name", "名称"),
    ("shapes.layer", "层"),
    ("shapes.output", "输出 (B, C, H, W)"),
    ("shapes.total", "合计"),
    ("shapes.fix", "要接受这个尺寸，最后一层应改为"),
    ("backward.heading", "反向传播：梯度如何流动"),
    (
        "backward.hint",
        "已知损失对输出的梯度 dY，每个输出位置把 dY × 其输入窗口累加到 ∂L/∂W，\
         并把 dY × 卷积核散布回窗口，累加到 ∂L/∂X（合起来就是 dY 与翻转后的卷积核做一次完整卷积）。",
    ),
    ("backward.dy_preset", "上游梯度 dY"),
    ("backward.ones", "全为 1"),
    ("backward.mixed", "−1、0、1"),
    ("backward.window", "窗口"),
    ("backward.dy", "dY（当前位置带圈）"),
    ("backward.x", "输入 x（及其窗口）"),
    ("backward.dw", "目前的 ∂L/∂W"),
    ("backward.dx", "目前的 ∂L/∂X"),
    (
        "backward.final_dw",
        "最终的 ∂L/∂W（即 PyTorch 的 weight.grad）：",
    ),
    ("notfound.title", "找不到页面"),
    ("notfound.body", "这个地址没有对应的页面。各章节列在下方。"),
    ("page.home.title", "卷积实验室"),
    ("page.home.summary", "目录"),
    (
        "page.home.p1",
        "在 convscope 中，你可以看着卷积核在图像上滑动，亲手设置填充、步幅和膨胀，观察多个通道如何合并，\
         还能直接在页面里训练经典的 MNIST 网络。每个数字都来自同一个计算核心，并与 PyTorch 逐一核对。",
    ),
    (
        "page.home.p2",
        "各章按课程顺序排列，每章先用几句话讲清概念。从下面选一章开始，或用菜单逐章浏览。",
    ),
    ("page.images.title", "图像形成"),
    (
        "page.images.summary",
        "栅格像素与矢量图形，以及放大时二者各自的变化。",
    ),
    (
        "page.images.p1",
        "栅格图像是由传感器采集的像素网格：每个格子存一个亮度值，彩色图像则每个颜色通道各存一个。\
         放得足够大时，图像就变成由小方块拼成的马赛克。MNIST 手写数字就是 28×28 的灰度栅格图像。",
    ),
    (
        "page.images.p2",
        "矢量图像是一段描述（圆由圆心和半径给出，笔画由路径给出），由程序按需要的尺寸绘制，\
         所以怎么放大都不会失真。卷积神经网络处理的是栅格图像，也就是由数字组成的网格。",
    ),
    ("page.convolution.title", "卷积"),
    (
        "page.convolution.summary",
        "为什么用卷积神经网络而不是展平的全连接网络，以及一个卷积核如何在单个通道上滑动。",
    ),
    (
        "page.convolution.p1",
        "全连接网络（DNN）把 28×28 的图像展平成一行 784 个数：原本上下相邻的像素相隔 28 个位置，\
         只有左右相邻的关系得以保留。卷积则让图像保持二维。",
    ),
    (
        "page.convolution.p2",
        "卷积核是一小块权重网格。在每个位置，它把覆盖的窗口与自身权重逐元素相乘再求和；\
         和越大，说明“这一小块越像我要找的特征”。不加填充时，W×H 的输入配 k×k 的卷积核，\
         输出为 (W−k+1)×(H−k+1)：5×5 的输入配 3×3 的卷积核得到 3×3。",
    ),
    ("page.channels.title", "多通道卷积"),
    (
        "page.channels.summary",
        "三维卷积核、每个卷积核对应一个输出通道，以及 m×n×k×k 的权重张量。",
    ),
    (
        "page.channels.p1",
        "输入有 n 个通道时，每个卷积核都是三维的 n×k×k：它分别与每个通道做卷积，再把结果相加，\
         得到一个输出通道。所谓“卷积核大小”只指 k×k 这一部分。",
    ),
    (
        "page.channels.p2",
        "m 个卷积核得到 m 个输出通道，因此权重张量的形状是 m×n×k×k。在 PyTorch 中，\
         Conv2d(5, 10, kernel_size=3) 作用于形状为 (1, 5, 100, 100) 的输入，输出形状为 \
         (1, 10, 98, 98)，其 weight 的形状为 (10, 5, 3, 3)。形状按 (B, C, H, W) 书写。",
    ),
    ("page.padding.title", "填充与步幅"),
    (
        "page.padding.summary",
        "零填充、步幅、膨胀，以及 PyTorch 的输出尺寸公式。",
    ),
    (
        "page.padding.p1",
        "填充是在输入四周补上一圈圈的零。对 k×k 的卷积核，补 k // 2 圈就能让输出与输入一样大：\
         3×3 的卷积核、填充 1，5×5 的输入得到 5×5 的输出。步幅是卷积核每次移动的距离：\
         5×5 的输入、3×3 的卷积核、步幅 2，得到 2×2 的输出。",
    ),
    (
        "page.padding.p2",
        "膨胀（空洞卷积）让卷积核的各个采样点彼此拉开。PyTorch 对每个维度的通用公式是 \
         out = floor((in + 2·padding − dilation·(k−1) − 1) / stride) + 1。",
    ),
    ("page.pooling.title", "池化"),
    ("page.pooling.summary", "在每个通道内保留最强响应的下采样。"),
    (
        "page.pooling.p1",
        "池化在保留最强响应的同时对特征图进行下采样。它在每个通道内部进行，所以通道数不变。\
         最大池化的步幅默认等于池化窗口的大小，因此各个窗口互不重叠。",
    ),
    (
        "page.pooling.p2",
        "课程中的例子：4×4 的输入 [3,4,6,5; 2,4,6,8; 1,6,7,8; 9,7,4,6] 经过 MaxPool2d(2) \
         得到 [[4,8],[9,8]]：每个输出都是一个 2×2 窗口中的最大值。",
    ),
    ("page.mnist.title", "MNIST 卷积神经网络"),
    (
        "page.mnist.summary",
        "逐层查看课程中的网络；手写一个数字，看它如何被分类。",
    ),
    (
        "page.mnist.p1",
        "课程中的网络：conv1 = Conv2d(1, 10, k=5)，2×2 最大池化，ReLU；conv2 = Conv2d(10, 20, k=5)，\
         2×2 最大池化，ReLU；展平为 320 个数；最后由 Linear(320, 10) 给出十个分数，每个数字一个。\
         共有 260 + 5,020 + 3,210 = 8,490 个参数。",
    ),
    (
        "page.mnist.p2",
        "形状依次为 (B,1,28,28) → (B,10,24,24) → (B,10,12,12) → (B,20,8,8) → (B,20,4,4) → 320 → \
         (B,10)。卷积层和池化层接受任意尺寸的图像，全连接层却不行，所以它的 320 必须事先算好。",
    ),
    ("page.deeper.title", "更深的网络"),
    (
        "page.deeper.summary",
        "1×1 卷积、GoogLeNet 的 Inception 模块与残差块。",
    ),
    (
        "page.deeper.p1",
        "1×1 卷积对同一像素在所有输入通道上的值加权求和，是改变通道数的廉价方法。在 5×5 卷积之前\
         先用 1×1 卷积降到 16 个通道，可以把 192×28×28 → 32 通道所需的乘法次数从 120,422,400 \
         降到 12,443,648，约为原来的十分之一。Inception 模块并行运行 1×1、3×3、5×5 和池化几个分支，\
         再沿通道维拼接。",
    ),
    (
        "page.deeper.p2",
        "更深并不自动意味着更好：一个普通的 56 层网络，训练误差和测试误差都可能高于 20 层的网络，\
         因为梯度在层层传递中逐渐消失。残差块输出 relu(x + F(x))，跳跃连接让梯度可以直接传回去。",
    ),
    ("page.train.title", "在页面中训练"),
    (
        "page.train.summary",
        "用 WebGPU 计算着色器或 WASM SIMD 在 MNIST 上训练卷积网络。",
    ),
    (
        "page.train.p1",
        "训练按课程中的循环进行：交叉熵损失，学习率 0.01、动量 0.5 的 SGD，每批 64 张图像，\
         按均值 0.1307、标准差 0.3081 归一化，每 300 个批次报告一次损失。",
    ),
    (
        "page.train.p2",
        "在 PyTorch 中，你要把模型和每个批次搬到 GPU 上。在这里，同样的选择就是计算后端：\
         浏览器支持 WebGPU 时使用 WebGPU 计算着色器，否则使用 WASM SIMD 的 CPU 后端。\
         页脚显示当前浏览器支持哪一种。",
    ),
    ("page.about.title", "关于"),
    (
        "page.about.summary",
        "convscope 由什么构成，以及它的数据从哪里来。",
    ),
    (
        "page.about.p1",
        "convscope 是一个编译为 WebAssembly 的 Rust 单页应用：它完全在你的浏览器中运行，\
         可以用键盘或触摸屏操作，提供英文和中文界面。它显示的每个数字都以 PyTorch 为参照。",
    ),
    (
        "page.about.p2",
        "MNIST 手写数字数据库由 Yann LeCun、Corinna Cortes 和 Christopher J. C. Burges 创建，\
         按 CC BY-SA 3.0 许可使用。",
    ),
    (
        "page.about.p3",
        "延伸阅读：Szegedy 等，Going Deeper with Convolutions；He 等，Identity Mappings in Deep \
         Residual Networks；Huang 等，Densely Connected Convolutional Networks。",
    ),
    ("conv.input.mnist", "真实的 MNIST 数字（缩小）"),
    ("conv.paint", "涂写输入数值"),
    ("conv.brush", "画笔数值"),
    ("predict.toggle", "先预测：在显示之前猜出输出尺寸"),
    ("predict.question", "你预测的输出尺寸："),
    ("predict.check", "核对"),
    ("predict.right", "答对了："),
    ("predict.wrong", "还差一点："),
    ("link.dismiss", "关闭此提示"),
    ("pointwise.heading", "1×1 卷积，逐像素计算"),
    (
        "pointwise.intro",
        "1×1 卷积核对每个输入通道只有一个权重。在每个像素处，它把该像素的红、绿、蓝三个值加权相加，每个卷积核得到一个数。高和宽不变，只有通道数改变。",
    ),
    ("pointwise.red", "红"),
    ("pointwise.green", "绿"),
    ("pointwise.blue", "蓝"),
    (
        "pointwise.weights",
        "权重（每行一个卷积核，每列一个输入通道）",
    ),
    ("pointwise.shapes", "形状："),
    ("pointwise.mults", "次乘法"),
    ("pointwise.pixels", "个像素"),
    ("pointwise.per_pixel", "（每个像素）"),
    (
        "pointwise.grids_label",
        "通道与输出；用方向键移到下一个像素",
    ),
    ("pointwise.timeline", "像素"),
    ("channels.picture", "图片（3 个通道）"),
    ("pool.channels", "通道数"),
    ("pool.backward", "反向传播：梯度的去向"),
    ("pool.upstream", "上游梯度 ∂L/∂out"),
    ("pool.dx", "输入梯度 ∂L/∂x"),
    ("pool.each_cell", "分给窗口中的每个格子"),
    (
        "pool.backward_max",
        "最大池化把每个输出的梯度只传给胜出的那个输入（圈出的最大值），其余输入得到 0。窗口重叠时，梯度相加。",
    ),
    (
        "pool.backward_avg",
        "平均池化把每个输出的梯度平均分给窗口中的各个格子。",
    ),
];
