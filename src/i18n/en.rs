//! English strings. Every key here must also be in `zh.rs` (a test checks both ways).

/// `(key, text)` pairs.
pub const STRINGS: &[(&str, &str)] = &[
    ("app.name", "convscope"),
    ("app.tagline", "An interactive convolution lab"),
    // The first screen, painted by index.html before the wasm arrives (scripts/boot_text.mjs).
    ("boot.loading", "Loading the lab…"),
    (
        "boot.picture",
        "A 3 × 3 kernel slides over a 5 × 5 input; each place gives one cell of the 3 × 3 output.",
    ),
    ("nav.skip", "Skip to content"),
    ("nav.menu", "Menu"),
    ("nav.chapters", "Chapters"),
    ("nav.home", "Home"),
    ("lang.toggle", "中文"),
    ("lang.toggle_label", "切换到中文 (Switch to Chinese)"),
    ("theme.to_dark", "Dark"),
    ("theme.to_dark_label", "Switch to the dark theme"),
    ("theme.to_light", "Light"),
    ("theme.to_light_label", "Switch to the light theme"),
    ("footer.backend", "Compute backend:"),
    (
        "footer.where_lab",
        "Classifying and evaluating run on this page's thread.",
    ),
    ("footer.where_training", "Training:"),
    ("backend.detecting", "looking for a GPU…"),
    ("backend.webgpu", "WebGPU"),
    ("backend.software", "software, slow"),
    ("backend.simd", "WASM SIMD on the CPU"),
    ("backend.why_no_webgpu", "WebGPU is not available here"),
    ("backend.reason.missing", "this browser has no WebGPU"),
    (
        "backend.reason.insecure",
        "WebGPU needs a secure page (https or localhost)",
    ),
    (
        "backend.reason.no_adapter",
        "the browser found no usable GPU adapter",
    ),
    ("backend.reason.device", "the GPU refused a device"),
    (
        "backend.fallback_note",
        "convscope computes on the CPU instead: the same numbers, only training is slower.",
    ),
    (
        "footer.reference",
        "Every number is checked against PyTorch.",
    ),
    ("backend.reason.lost", "the GPU was lost while training"),
    ("train.heading", "Train a network on MNIST"),
    ("train.backend", "Compute on"),
    ("train.backend_gpu", "WebGPU (GPU)"),
    ("train.backend_cpu", "WASM SIMD (CPU)"),
    ("train.threads", "CPU threads"),
    (
        "train.where.workers",
        "WASM SIMD in {n} Web Worker threads: the page stays smooth while it trains.",
    ),
    (
        "train.where.gpu",
        "WebGPU: the GPU computes; the page only queues its work.",
    ),
    ("train.where.main", "WASM SIMD on the page's own thread."),
    (
        "train.worker_failed",
        "The compute worker stopped ({reason}): training goes on on the page's own thread, from the last checkpoint.",
    ),
    (
        "train.thread_lost",
        "A worker thread stopped ({reason}): the others take its share ({n} threads left), with the same numbers.",
    ),
    ("train.kill_thread", "Stop one worker thread (test)"),
    ("train.optimizer", "Optimizer"),
    ("train.lr", "Learning rate"),
    ("train.momentum", "Momentum"),
    ("train.batch", "Batch size"),
    ("train.start", "Train"),
    ("train.pause", "Pause"),
    ("train.resume", "Resume"),
    ("train.reset", "Reset"),
    ("train.simulate_loss", "Simulate losing the GPU"),
    (
        "train.link_kept",
        "the link's settings wait: a run has started here (Reset, then open the link again)",
    ),
    (
        "train.hint",
        "The 60,000 training images load when you press Train. Where the browser offers WebGPU, a first run \
         times its first steps on both backends and goes on on the faster one (unless you pick one under \
         “Compute on”). Pause to move the model between the GPU \
         and the CPU or to change the number of epochs; the model, optimizer, learning rate, momentum, \
         seed and batch size are fixed once training has started (Reset to change them). Training goes on while \
         you visit other pages, and a reload resumes from the last checkpoint.",
    ),
    ("train.idle", "Ready."),
    ("train.loading", "Loading the 60,000 training images…"),
    ("train.running", "Training…"),
    ("train.paused", "Paused."),
    ("train.failed", "Training stopped"),
    ("train.on", "Running on"),
    ("train.step", "Step"),
    ("train.epoch", "Epoch"),
    ("train.loss", "Loss"),
    ("train.speed", "Images per second"),
    ("train.chart", "Training loss at each recorded step"),
    (
        "train.lost",
        "The GPU was lost or failed ({reason}). Training carried on on the CPU from the last completed step; no step was lost.",
    ),
    ("draw.heading", "Draw a digit"),
    (
        "draw.hint",
        "Draw one digit, 0 to 9, with the mouse, a finger or a pen. The drawing is cropped, scaled to \
         20 × 20 and centred by its centre of mass, as MNIST's digits were, then classified by the \
         model you pick: the lesson's Net, the residual net or the Inception net.",
    ),
    (
        "draw.pad_label",
        "Drawing pad: draw a digit with the mouse, a finger or a pen",
    ),
    ("draw.loading", "Loading the trained weights…"),
    ("draw.failed", "The weights could not be loaded"),
    ("draw.empty", "Draw a digit to classify it."),
    ("draw.guess", "The network reads:"),
    (
        "draw.probabilities",
        "Probability of each digit, in percent",
    ),
    ("draw.input_caption", "What the network sees (28 × 28)"),
    ("draw.undo", "Undo"),
    ("draw.clear", "Clear"),
    ("conv.heading", "Slide a kernel over an image"),
    ("conv.input_size", "Input size"),
    ("conv.input_preset", "Input values"),
    ("conv.input.lesson", "The lesson's 5 × 5"),
    ("conv.input.random", "Random digits"),
    ("conv.input.ramp", "Diagonal ramp"),
    ("conv.kernel_size", "Kernel size"),
    ("conv.kernel_preset", "Kernel"),
    ("conv.preset.custom", "Custom values"),
    ("conv.kernel.lesson", "The lesson's 1…9"),
    ("conv.kernel.identity", "Identity"),
    ("conv.kernel.box", "Box blur"),
    ("conv.kernel.sharpen", "Sharpen"),
    ("conv.kernel.sobel_x", "Sobel x (vertical edges)"),
    ("conv.kernel.sobel_y", "Sobel y (horizontal edges)"),
    ("conv.kernel.edge", "Edge (Laplacian)"),
    ("conv.padding", "Padding"),
    ("conv.stride", "Stride"),
    ("conv.dilation", "Dilation"),
    ("conv.no_output", "No valid output:"),
    (
        "conv.grids_label",
        "Input, kernel and output; the arrow keys step through the positions, Space plays or pauses",
    ),
    ("conv.input", "Input (zeros around it: padding)"),
    ("conv.kernel", "Kernel (weights, editable)"),
    ("conv.output", "Output"),
    ("conv.first", "First position"),
    ("conv.back", "Previous position"),
    ("conv.forward", "Next position"),
    ("conv.last", "Last position"),
    ("conv.play", "Play"),
    ("conv.pause", "Pause"),
    ("conv.timeline", "Position of the kernel"),
    ("conv.speed", "Speed"),
    ("conv.pytorch", "The same in PyTorch"),
    (
        "conv.link_adjusted",
        "This link had values out of range; they were adjusted:",
    ),
    ("conv.copy", "Copy code"),
    ("pool.heading", "Pool a feature map"),
    ("pool.mode", "Pooling"),
    ("pool.max", "Max"),
    ("pool.avg", "Average"),
    ("pool.kernel", "Window"),
    ("pool.stride", "Stride"),
    ("pool.stride_default", "= window (default)"),
    ("pool.input", "Input"),
    ("pool.input.lesson", "The lesson's 4 × 4"),
    ("pool.input.random6", "Random 6 × 6"),
    ("pool.input.random8", "Random 8 × 8"),
    (
        "pool.grids_label",
        "Input and output; the arrow keys step through the windows, Space plays or pauses",
    ),
    (
        "pool.input_caption",
        "Input (the ringed cell is the maximum)",
    ),
    (
        "pool.input_caption_avg",
        "Input (the outlined window is averaged)",
    ),
    ("pool.output_caption", "Output"),
    (
        "pool.channels_note",
        "Pooling works within each channel: a (1, 10, 24, 24) input gives (1, 10, 12, 12) with MaxPool2d(2), \
         still 10 channels.",
    ),
    ("cost.heading", "What a 1×1 bottleneck saves"),
    ("cost.hw", "Height = width"),
    ("cost.cin", "Input channels"),
    ("cost.cout", "Output channels"),
    ("cost.k", "Kernel size"),
    ("cost.use_bottleneck", "1×1 convolution first"),
    ("cost.b", "Bottleneck channels"),
    ("cost.mults", "Multiplications"),
    ("cost.params", "Weights"),
    ("cost.direct", "Direct"),
    ("cost.with_bottleneck", "With 1×1 first"),
    ("cost.design", "Design"),
    (
        "cost.ratio_fewer",
        "The bottleneck needs {ratio} fewer multiplications.",
    ),
    (
        "cost.ratio_more",
        "The bottleneck needs {ratio} more multiplications: with this many bottleneck channels it saves nothing.",
    ),
    (
        "cost.range",
        "not changed; give a whole number from {lo} to {hi}.",
    ),
    ("cost.chart", "Multiplications of both designs, as bars"),
    ("inception.heading", "The Inception module"),
    ("inception.cin", "Input channels"),
    ("inception.hw", "Height = width"),
    ("inception.mults", "multiplications"),
    ("inception.cat", "torch.cat(outputs, dim=1) →"),
    (
        "inception.note",
        "Every branch keeps height and width, so the outputs can be stacked on the channel axis: \
         16 + 24 + 24 + 24 = 88 channels.",
    ),
    ("images.raster_heading", "Raster and vector, zoomed"),
    ("images.zoom", "Zoom"),
    (
        "images.raster_caption",
        "Raster: 28 × 28 pixels from MNIST. Zoomed in, a mosaic.",
    ),
    (
        "images.vector_caption",
        "Vector: a path (lines between points). Zoomed in, still sharp.",
    ),
    (
        "images.flatten_heading",
        "Flattening a 28 × 28 image into 784 numbers",
    ),
    (
        "images.flatten_hint",
        "Click or tap a pixel, or use the arrow keys on the grid. A fully-connected network sees the image as \
         one row of 784 numbers, row after row.",
    ),
    (
        "images.grid_label",
        "A 28 × 28 digit; the arrow keys move the chosen pixel",
    ),
    ("images.flat_horizontal", "Left / right neighbours:"),
    ("images.flat_vertical", "Up / down neighbours, 28 apart:"),
    ("images.legend_pixel", "the pixel"),
    ("images.legend_horizontal", "left and right"),
    ("images.legend_vertical", "up and down"),
    (
        "images.strip_caption",
        "The flat vector around the pixel (30 positions each side): up and down are at the ends.",
    ),
    ("channels.heading", "Many input channels, many kernels"),
    ("channels.cin", "Input channels (n)"),
    ("channels.cout", "Kernels = output channels (m)"),
    ("channels.k", "Kernel size (k)"),
    ("channels.depthwise", "Depthwise (groups = n)"),
    ("channels.channel", "channel"),
    ("channels.out_channel", "output channel"),
    ("channels.bias", "(bias)"),
    (
        "channels.inputs",
        "Input channels (the window of the chosen output is marked)",
    ),
    (
        "channels.kernel_stack",
        "The chosen output channel's kernel: one k × k slice per input channel it sees",
    ),
    (
        "channels.outputs",
        "Output channels (click or tap a value to explain it; the arrow keys move)",
    ),
    (
        "channels.hint",
        "Each kernel convolves every input channel it sees and adds the results (plus its bias) into one \
         output channel, so m kernels make m output channels and the weight has shape (m, n / groups, k, k).",
    ),
    (
        "shapes.heading",
        "The Net, layer by layer: where does the 320 come from?",
    ),
    ("shapes.input", "Input size"),
    ("shapes.name", "Name"),
    ("shapes.layer", "Layer"),
    ("shapes.output", "Output (B, C, H, W)"),
    ("shapes.total", "Total"),
    (
        "shapes.fix",
        "To accept this size, the last layer would have to be",
    ),
    (
        "transpose.heading",
        "Transposed convolution: scattering the kernel",
    ),
    (
        "transpose.hint",
        "nn.ConvTranspose2d runs a convolution backwards: each input value, in turn, adds a copy of the kernel scaled by itself into the output. Stride spreads the copies apart (the output grows: upsampling), padding crops the output's edges, output_padding adds one more row and column at the end, dilation spreads the kernel's taps. Step through the input with ◀ ▶, the arrow keys or Play.",
    ),
    ("transpose.size", "Input height = width"),
    ("transpose.output_padding", "Output padding"),
    ("transpose.kernel_values", "Kernel"),
    ("transpose.lesson", "1…k² (the lesson's)"),
    ("transpose.ones", "all ones"),
    ("transpose.formula", "Output size (PyTorch):"),
    ("transpose.input", "Input x (the value scattered is ringed)"),
    (
        "transpose.kernel",
        "Kernel W (taps that land in the output are ringed)",
    ),
    (
        "transpose.output",
        "Output so far (cells this value reaches are ringed)",
    ),
    (
        "transpose.gradient",
        "The matching Conv2d's input gradient for dY = x",
    ),
    (
        "transpose.same",
        "The same numbers: a transposed convolution is the input gradient of the convolution with the same kernel, stride, padding and dilation.",
    ),
    (
        "transpose.differ",
        "These differ from the output: a bug — please report it.",
    ),
    (
        "transpose.narration",
        "x[{y}, {x}] = {v}: the output gets {v} · W added where the kernel lands",
    ),
    (
        "transpose.grids_label",
        "The transposed convolution's grids: arrow keys step through the input, Space plays",
    ),
    ("hero.heading", "A convolution, live"),
    (
        "hero.input",
        "A real MNIST digit, 28 × 28, under a 3 × 3 Sobel-x kernel",
    ),
    (
        "hero.output",
        "The feature map, 26 × 26: one number per position (blue negative, orange positive)",
    ),
    ("hero.value", "out[{y}, {x}] = {v}"),
    ("hero.open", "Open the Convolution chapter →"),
    ("net.field", "receptive field"),
    (
        "code.edit",
        "Set the explorer from code (type or paste a layer)",
    ),
    (
        "code.hint",
        "For example nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1) or nn.MaxPool2d(2); positional or keyword arguments, (3, 3) where both sides are equal. The explorer writes its settings back here.",
    ),
    ("backward.heading", "Backward: how the gradients flow"),
    (
        "backward.hint",
        "Given the gradient dY of the loss with respect to the output, each output position adds \
         dY × its input window to ∂L/∂W, and spreads dY × the kernel back over the window into ∂L/∂X \
         (together, a full convolution of dY with the flipped kernel).",
    ),
    ("backward.dy_preset", "Upstream gradient dY"),
    ("backward.ones", "All ones"),
    ("backward.mixed", "−1, 0, 1"),
    ("backward.window", "window"),
    ("backward.dy", "dY (current position ringed)"),
    ("backward.x", "Input x (its window)"),
    ("backward.dw", "∂L/∂W so far"),
    ("backward.dx", "∂L/∂X so far"),
    (
        "backward.final_dw",
        "Final ∂L/∂W (as PyTorch's weight.grad):",
    ),
    ("notfound.title", "Page not found"),
    (
        "notfound.body",
        "There is no page at this address. The chapters are listed below.",
    ),
    ("page.home.title", "A convolution lab"),
    ("page.home.summary", "Table of contents"),
    (
        "page.home.p1",
        "convscope lets you watch a convolution kernel slide over an image, set padding, stride and \
         dilation yourself, see how channels combine, and train the classic MNIST network right here \
         in the page. Every number comes from one compute core that is checked against PyTorch.",
    ),
    (
        "page.home.p2",
        "The chapters follow the lesson in order, and each starts with the idea in a few sentences. \
         Pick one below, or move through them with the menu.",
    ),
    ("page.images.title", "How images are formed"),
    (
        "page.images.summary",
        "Raster pixels versus vector shapes, and what zooming does to each.",
    ),
    (
        "page.images.p1",
        "A raster image is a grid of pixels captured by a sensor: each cell stores one brightness, or \
         one per colour channel. Zoom in far enough and the picture turns into a mosaic of squares. \
         MNIST digits are raster images of 28×28 grey pixels.",
    ),
    (
        "page.images.p2",
        "A vector image is a description (a circle is a centre and a radius, a stroke is a path) that \
         a program draws at whatever size you ask for, so zooming never degrades it. Convolutional \
         networks work on raster images: grids of numbers.",
    ),
    ("page.convolution.title", "Convolution"),
    (
        "page.convolution.summary",
        "Why a CNN rather than a flattened network, and how one kernel slides over one channel.",
    ),
    (
        "page.convolution.p1",
        "A fully-connected network flattens a 28×28 image into a row of 784 numbers: pixels that were \
         vertical neighbours end up 28 positions apart, and only horizontal adjacency survives. A \
         convolution keeps the image two-dimensional.",
    ),
    (
        "page.convolution.p2",
        "A kernel is a small grid of weights. At each position it multiplies the window under it \
         element by element with its weights and adds the products up; a large sum means \"this patch \
         looks like my feature\". Without padding, a W×H input and a k×k kernel give a \
         (W−k+1)×(H−k+1) output: 5×5 with 3×3 gives 3×3.",
    ),
    ("page.channels.title", "Many channels"),
    (
        "page.channels.summary",
        "3-D kernels, one output channel per kernel, and the m×n×k×k weight tensor.",
    ),
    (
        "page.channels.p1",
        "For an input with n channels each kernel is three-dimensional, n×k×k: it convolves every \
         channel and sums the results into one output channel. \"Kernel size\" names only the k×k part.",
    ),
    (
        "page.channels.p2",
        "m kernels give m output channels, so the weight tensor is m×n×k×k. In PyTorch, \
         Conv2d(5, 10, kernel_size=3) on an input of shape (1, 5, 100, 100) gives (1, 10, 98, 98), and \
         its weight has shape (10, 5, 3, 3). Shapes are written (B, C, H, W).",
    ),
    ("page.padding.title", "Padding & stride"),
    (
        "page.padding.summary",
        "Rings of zeros, step sizes, dilation, and PyTorch's output-size formula.",
    ),
    (
        "page.padding.p1",
        "Padding surrounds the input with rings of zeros. With a k×k kernel, k // 2 rings keep the \
         output the size of the input: a 3×3 kernel with padding 1 turns 5×5 into 5×5. Stride is how \
         far the kernel moves at each step: 5×5 in, a 3×3 kernel and stride 2 give 2×2 out.",
    ),
    (
        "page.padding.p2",
        "Dilation spreads the kernel's taps apart. PyTorch's rule for each side is \
         out = floor((in + 2·padding − dilation·(k−1) − 1) / stride) + 1.",
    ),
    ("page.pooling.title", "Pooling"),
    (
        "page.pooling.summary",
        "Down-sampling that keeps the strongest response in each channel.",
    ),
    (
        "page.pooling.p1",
        "Pooling down-samples a feature map while keeping the strongest response. It works within each \
         channel, so the number of channels does not change. In max pooling the stride defaults to the \
         kernel size, so the windows do not overlap.",
    ),
    (
        "page.pooling.p2",
        "The lesson's example: the 4×4 input [3,4,6,5; 2,4,6,8; 1,6,7,8; 9,7,4,6] through \
         MaxPool2d(2) becomes [[4,8],[9,8]]: each output is the largest value of one 2×2 window.",
    ),
    ("page.mnist.title", "The MNIST CNN"),
    (
        "page.mnist.summary",
        "The lesson's network layer by layer; draw a digit and watch it being classified.",
    ),
    (
        "page.mnist.p1",
        "The lesson's network: conv1 = Conv2d(1, 10, k=5), max-pool 2, ReLU; conv2 = \
         Conv2d(10, 20, k=5), max-pool 2, ReLU; flatten to 320 numbers; Linear(320, 10) gives ten \
         scores, one per digit. It has 260 + 5,020 + 3,210 = 8,490 parameters.",
    ),
    (
        "page.mnist.p2",
        "Shapes flow (B,1,28,28) → (B,10,24,24) → (B,10,12,12) → (B,20,8,8) → (B,20,4,4) → 320 → \
         (B,10). Convolution and pooling accept any image size; the linear layer does not, which is \
         why its 320 has to be computed in advance.",
    ),
    ("page.network.title", "The whole network"),
    (
        "page.network.summary",
        "The model's every map for one digit; click or tap any number to see the multiplications that made it.",
    ),
    (
        "page.network.p1",
        "The chosen model (the Net, the residual net or the Inception net, with trained weights) on \
         one digit: the input, each layer's feature maps in a column, the numbers flattened into the \
         fc layer, and the ten probabilities.",
    ),
    (
        "page.network.p2",
        "Hover over a cell to see the window it reads in the column before; click or tap it to see the real \
         numbers: the window, the kernel's weights, their products and the sum, which is the value \
         in the map. Click or tap a probability to see the fc row that produced it.",
    ),
    ("page.deeper.title", "Going deeper"),
    (
        "page.deeper.summary",
        "1×1 convolutions, GoogLeNet's Inception module and residual blocks.",
    ),
    (
        "page.deeper.p1",
        "A 1×1 convolution weights the same pixel across all input channels and sums them: a cheap way \
         to change the channel count. A 1×1 convolution to 16 channels before a 5×5 convolution cuts \
         the multiplications for 192×28×28 → 32 channels from 120,422,400 to 12,443,648, about a \
         tenth. The Inception module runs 1×1, 3×3, 5×5 and pooling branches side by side and \
         concatenates them on the channel axis.",
    ),
    (
        "page.deeper.p2",
        "Deeper is not automatically better: a plain 56-layer network can have higher training and \
         test error than a 20-layer one, because gradients fade through many layers. A residual block \
         outputs relu(x + F(x)); the skip connection lets the gradient flow straight through.",
    ),
    ("page.train.title", "Train in the page"),
    (
        "page.train.summary",
        "Train the CNN on MNIST with WebGPU compute shaders or WASM SIMD.",
    ),
    (
        "page.train.p1",
        "Training follows the lesson's loop: cross-entropy loss, SGD with learning rate 0.01 and \
         momentum 0.5, batches of 64 images normalised with mean 0.1307 and standard deviation \
         0.3081, and the loss reported every 300 batches.",
    ),
    (
        "page.train.p2",
        "In PyTorch you move the model and every batch to the GPU. Here the same choice is the compute \
         backend: WebGPU compute shaders where the browser has WebGPU, a WASM SIMD CPU backend \
         everywhere else. The footer shows what this browser offers.",
    ),
    ("page.about.title", "About"),
    (
        "page.about.summary",
        "What convscope is built from, and where its data comes from.",
    ),
    (
        "page.about.p1",
        "convscope is a Rust single-page app compiled to WebAssembly: it runs entirely in your \
         browser, with the keyboard or on a touch screen, in English and Chinese. PyTorch is the \
         reference for every number it shows.",
    ),
    (
        "page.about.p2",
        "The MNIST database of handwritten digits is by Yann LeCun, Corinna Cortes and \
         Christopher J. C. Burges, used under CC BY-SA 3.0.",
    ),
    (
        "page.about.p3",
        "Further reading: Szegedy et al., Going Deeper with Convolutions; He et al., Identity Mappings \
         in Deep Residual Networks; Huang et al., Densely Connected Convolutional Networks.",
    ),
    ("conv.input.mnist", "A real MNIST digit, downsampled"),
    ("conv.paint", "Paint input values"),
    ("conv.brush", "Brush value"),
    (
        "predict.toggle",
        "Predict first: guess the output size before it is shown",
    ),
    ("predict.question", "Your prediction of the output size:"),
    ("predict.check", "Check"),
    ("predict.right", "Right:"),
    ("predict.wrong", "Not quite:"),
    (
        "predict.try_again",
        "is not the size: try again, or show the answer.",
    ),
    (
        "predict.incomplete",
        "Give every size first (a whole number in each field).",
    ),
    ("predict.reveal", "Show the answer"),
    ("predict.answer", "The answer:"),
    ("link.dismiss", "Dismiss this note"),
    ("pointwise.heading", "A 1×1 convolution, pixel by pixel"),
    (
        "pointwise.intro",
        "A 1×1 kernel has one weight per input channel. At each pixel it weights that pixel's red, green and blue values and adds them up: one number per kernel. Height and width stay the same; only the number of channels changes.",
    ),
    ("pointwise.red", "red"),
    ("pointwise.green", "green"),
    ("pointwise.blue", "blue"),
    (
        "pointwise.weights",
        "Weights (one row per kernel, one column per input channel)",
    ),
    ("pointwise.shapes", "Shapes:"),
    (
        "pointwise.count",
        "{mults} multiplications = {pixels} pixels × {per_pixel} per pixel ({cin} channels × {cout} kernels)",
    ),
    (
        "pointwise.grids_label",
        "Channels and outputs; the arrow keys move to the next pixel",
    ),
    ("pointwise.timeline", "Pixel"),
    ("pointwise.kernel_col", "Kernel"),
    ("channels.picture", "The picture (3 channels)"),
    ("pool.channels", "Channels"),
    ("pool.backward", "Backward: route the gradient"),
    ("pool.upstream", "Upstream gradient ∂L/∂out"),
    ("pool.dx", "Input gradient ∂L/∂x"),
    ("pool.each_cell", "to each cell of the window"),
    (
        "pool.backward_max",
        "Max pooling passes each output's gradient to the one input that won (the ringed maximum); every other input gets 0. Where windows overlap, gradients add up.",
    ),
    (
        "pool.backward_avg",
        "Average pooling shares each output's gradient equally among the cells of its window.",
    ),
    ("draw.from_drawing", "Your drawing"),
    ("draw.from_test", "Test digit"),
    ("draw.label", "label"),
    ("draw.from_upload", "Your picture"),
    ("lab.model_shipped", "shipped weights"),
    ("lab.model_trained", "trained in this page"),
    ("lab.steps", "steps"),
    ("lab.model_imported", "imported:"),
    ("maps.heading", "What the network sees"),
    (
        "maps.hint",
        "The feature maps of the digit above, layer by layer. Hover over, focus or tap a map to see the kernel that made it. Blue is negative, orange positive.",
    ),
    (
        "maps.empty",
        "Draw a digit, pick a test digit or upload a picture to see its feature maps.",
    ),
    ("maps.map", "map"),
    ("gallery.heading", "Real test digits"),
    (
        "gallery.hint",
        "The MNIST test set's 10,000 digits, never seen in training. Under each: the model's answer (green border: right; dashed pink: wrong). Choose one: its answer shows just below, and the classifier and feature maps above follow it.",
    ),
    (
        "gallery.load",
        "Load the 10,000 test digits (1.6 MB, then kept for offline use)",
    ),
    ("gallery.loading", "Loading the test digits…"),
    ("gallery.predicted", "model says"),
    ("gallery.prev", "Previous page"),
    ("gallery.next", "Next page"),
    ("gallery.page", "Page"),
    ("eval.heading", "Test the model on 10,000 digits"),
    (
        "eval.hint",
        "Runs the current model over the whole MNIST test set in your browser: accuracy, loss, which digits it mistakes for which (rows: the true digit, columns: the answer) and the digits it gets wrong.",
    ),
    ("eval.run", "Evaluate on the test set"),
    ("eval.running", "Evaluating…"),
    (
        "eval.no_model",
        "No model yet: wait for the weights to load.",
    ),
    ("eval.accuracy", "Accuracy"),
    ("eval.loss", "mean loss"),
    ("eval.confusion", "Confusion matrix"),
    ("eval.true_pred", "true \\ answer"),
    ("eval.wrong", "Digits it gets wrong (true → answer)"),
    (
        "eval.stale",
        "The model has changed since: evaluate again for its figures.",
    ),
    ("model.heading", "The model"),
    ("model.current", "In use:"),
    ("model.export", "Download the weights (.safetensors)"),
    ("model.import", "Load weights (.safetensors)…"),
    (
        "model.hint",
        "The file uses PyTorch's names (for the Net: conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc.weight, fc.bias; the residual and Inception nets add their blocks' names, e.g. rblock1.conv1.weight or incep1.branch1x1.weight): in PyTorch, model.load_state_dict(safetensors.torch.load_file(\"convscope-net.safetensors\")) loads it, and a state_dict of any of the three models saved with safetensors.torch.save_file loads here (its names say which model it is).",
    ),
    ("model.imported", "Loaded"),
    ("model.kept", "the current model is kept."),
    ("upload.heading", "Your own picture"),
    (
        "upload.hint",
        "A photo or image of one handwritten digit (dark on light paper works best). It is prepared exactly as MNIST's digits were, step by step, and classified: the answer shows under the steps. Nothing leaves your browser.",
    ),
    ("upload.choose", "Choose a picture…"),
    ("upload.unreadable", "not an image this browser can read"),
    (
        "file.unreadable",
        "the browser could not read this file (moved, deleted or not allowed): choose it again",
    ),
    (
        "upload.no_digit",
        "no digit found in this picture (it looks blank)",
    ),
    ("upload.step_original", "the picture, in grey"),
    ("upload.step_ink", "ink on black"),
    ("upload.step_crop", "cropped to the ink"),
    ("upload.step_scale", "scaled to fit 20 × 20"),
    (
        "upload.step_centre",
        "centre of mass at the centre of 28 × 28",
    ),
    ("builder.heading", "Build and test layer by layer"),
    (
        "builder.hint",
        "Add layers one at a time and check every shape before the next, as the lesson advises. Change the image size or a layer's arguments: the first layer that no longer fits says why and what to change.",
    ),
    ("builder.side", "Image height = width"),
    ("builder.lesson", "The lesson's Net"),
    ("builder.resnet", "The residual net"),
    ("builder.inception", "The Inception net"),
    (
        "builder.flatten_from",
        "The flatten gives {n} = {dims} features: the in_features of the Linear after it.",
    ),
    ("builder.field", "receptive field"),
    ("builder.clear", "Start empty"),
    ("builder.params", "parameters"),
    ("builder.too_large", "too many to count"),
    ("builder.mults", "multiplications"),
    (
        "builder.not_reached",
        "not reached (fix the layer above first)",
    ),
    ("builder.remove", "Remove"),
    ("builder.output", "Output"),
    ("builder.layers_fit", "layers fit"),
    ("builder.add", "Add a layer"),
    ("builder.move_up", "Move up"),
    ("builder.move_down", "Move down"),
    ("builder.insert_at", "Add"),
    ("builder.at_end", "at the end"),
    ("builder.before", "before layer {n}: {code}"),
    ("train.seed", "Seed"),
    ("train.epochs", "Epochs"),
    ("train.more", "Train one more epoch"),
    ("train.finished", "Finished. Test accuracy:"),
    ("train.accuracy_chart", "Test accuracy (%) after each epoch"),
    ("train.evaluating", "Testing on the 10,000 test digits…"),
    (
        "train.restored",
        "Resumed from the checkpoint kept by your last visit, at step",
    ),
    (
        "train.no_storage",
        "This browser keeps no checkpoint, so a reload starts afresh",
    ),
    ("train.time_left", "Time left"),
    ("train.test_accuracy", "Test accuracy"),
    ("train.saved", "Checkpoint at step"),
    ("share.summary", "Embed / share"),
    ("share.link", "Link to this widget as it is now"),
    ("share.copy_link", "Copy link"),
    (
        "share.snippet",
        "HTML for a course page (an iframe that sizes itself)",
    ),
    (
        "share.no_link",
        "No link: an address cannot carry your own drawing or picture. The snippet embeds this widget empty, with the model chosen here.",
    ),
    ("share.copy_snippet", "Copy HTML"),
    (
        "share.hide_hint",
        "To fix a setting, add hide= with the controls to hide to the iframe's address (also theme=light|dark and lang=en|zh):",
    ),
    (
        "embed.adjusted",
        "This embed's address had problems; they were ignored:",
    ),
    ("embed.open", "Open in convscope"),
    ("conv.bias", "Bias"),
    (
        "depth.heading",
        "Deeper is not always better: residual connections",
    ),
    (
        "depth.formula_skip",
        "Residual block: y = relu(x + conv2(relu(conv1(x)))); the input skips the two convolutions and is added back",
    ),
    (
        "depth.formula_plain",
        "Plain block: y = relu(conv2(relu(conv1(x)))); no skip connection",
    ),
    ("depth.skip", "Skip connection (x + …)"),
    (
        "depth.hint",
        "A residual block keeps the shape (B, C, H, W), so its input can be added to its output. Below, a plain stack of N 3×3 convolutions and the same stack with skip connections train side by side on the same MNIST batches, from the same weights (SGD, lr 0.01, momentum 0.5).",
    ),
    ("depth.layers", "Convolutions in the stack (N)"),
    ("depth.run", "Run it here"),
    ("depth.stop", "Stop"),
    (
        "depth.source_shipped",
        "Showing a run recorded in advance with this same experiment. Press “Run it here” to train it yourself in this page.",
    ),
    ("depth.source_live", "Showing the run in this page."),
    (
        "depth.chart",
        "Training loss (thick) and test loss (thin, dots) per step: plain stack in pink, residual stack in green",
    ),
    (
        "depth.legend",
        "Pink: plain stack. Green: with skip connections. Thick: training loss; thin with dots: test loss.",
    ),
    ("depth.final_loss", "Last training loss, plain / residual:"),
    ("depth.accuracy", "test accuracy"),
    (
        "depth.grads",
        "The gradient reaching each block, from the top (next to the loss) down, log scale",
    ),
    ("depth.step", "step"),
    ("depth.plain", "Plain"),
    ("depth.residual", "Residual"),
    ("model.pick", "Model"),
    ("model.params", "parameters"),
    ("model.kind.net", "Net (the lesson's CNN)"),
    ("model.kind.resnet", "Residual net"),
    ("model.kind.inception", "Inception net"),
    ("maps.maps", "maps"),
    ("inception.total", "The whole module:"),
    (
        "inception.in_net",
        "The course's trainable Inception net uses this module twice: after conv1 and pooling (10 channels, 12 × 12) and after conv2 and pooling (20 channels, 4 × 4). Show either here, or use the trained net:",
    ),
    (
        "link.classify_with",
        "Classify your digits with it (MNIST lab)",
    ),
    ("link.train_it", "Train it in the page"),
    (
        "lab.picker_locked",
        "Training is running: the lab shows the model being trained. Pause it to pick another model.",
    ),
    ("upload.size", "{w} × {h} pixels"),
    (
        "eval.wrong_shown",
        "The first {shown} of the {total} digits it gets wrong.",
    ),
    (
        "train.reset_ask",
        "Discard this run (step {step}) and its checkpoint? This cannot be undone.",
    ),
    ("train.reset_confirm", "Discard the run"),
    ("train.reset_cancel", "Keep it"),
    (
        "shapes.scroll_hint",
        "The table is wider than the screen: swipe or scroll it sideways for the other columns →",
    ),
    (
        "shapes.table_label",
        "The Net layer by layer (scrolls sideways)",
    ),
    ("eval.wrong_all", "All {total} digits it gets wrong."),
    // The network view (src/ui/widgets/network_view.rs, cell_computation.rs).
    ("net.heading", "The network, map by map"),
    (
        "net.hint",
        "Hover over or focus a cell to light the window it reads; click or tap it (or press Enter) to open its computation. Each column: the arrows move, Page Up and Page Down change the map.",
    ),
    (
        "net.keys",
        "arrows move the cell, Page Up / Page Down change the map, Enter opens its computation",
    ),
    ("net.sample", "Built-in 7"),
    ("net.test_digit", "Test digit"),
    ("net.show_test", "Show it"),
    ("net.builtin", "built in"),
    ("net.drawn", "Your drawing"),
    ("net.prob_of", "Probability of"),
    (
        "net.pick",
        "Click or tap a cell of any map, or a probability, to see how it was computed.",
    ),
    ("net.sum", "Sum"),
    ("net.in_map", "value in the map"),
    ("net.window", "window"),
    ("net.products", "products"),
    (
        "net.channels_of",
        "input channels, each one's share Σ x·w, from",
    ),
    (
        "net.shares",
        "Each input channel's share; pick one to see its window, weights and products",
    ),
    (
        "net.fc_terms",
        "terms: the flattened input times the row of fc.weight",
    ),
    ("net.fc_row", "The fc row, term by term"),
    ("net.softmax", "Softmax:"),
    (
        "net.block",
        "Made inside the block; its channel's last convolution is",
    ),
    (
        "net.pixel",
        "A pixel of the input, normalised: (x / 255 − 0.1307) / 0.3081.",
    ),
    // Why this answer? (saliency and occlusion maps; src/ui/widgets/why_answer.rs)
    ("why.heading", "Why this answer?"),
    (
        "why.hint",
        "For the digit above (drawn, a test digit or your picture) and any class: which pixels \
         the model's answer rests on, for the model chosen above. Click or tap a class, or move \
         between classes with the arrow keys.",
    ),
    (
        "why.empty",
        "Draw a digit, pick a test digit or upload a picture to see why the model answers what \
         it does.",
    ),
    ("why.classes", "Class to explain"),
    ("why.explaining", "Explaining class"),
    ("why.digit", "The input"),
    ("why.saliency", "Saliency: ∂ score / ∂ pixel"),
    ("why.occlusion", "Occlusion: drop of p(class)"),
    ("why.points", "percentage points"),
    ("why.logit_unit", "logit per unit of pixel"),
    ("why.computing", "Hiding squares one by one"),
    ("why.patch", "Hidden square"),
    (
        "why.saliency_text",
        "Saliency: the gradient of the class's score (its logit, before softmax) with respect \
         to each input pixel, from the model's own backward pass. Orange: making that pixel \
         brighter would raise the score; blue: would lower it; pale: it hardly matters.",
    ),
    (
        "why.occlusion_text",
        "Occlusion: a square of the chosen size, moved 2 pixels at a time, is set to the blank \
         background and the model is asked again. Each pixel shows by how much the class's \
         probability drops, in percentage points, on average over the squares that cover it. \
         Orange: hiding it lowers the probability (the answer needs it); blue: hiding it raises \
         the probability.",
    ),
    // Compare two runs (compare_panel.rs).
    ("compare.heading", "Compare two runs"),
    (
        "compare.intro",
        "Train two settings side by side from the same seed (e.g. learning rate 0.01 against 0.1, SGD against Adam, or the Net against the residual net) and see both losses and test accuracies on one chart. Each run trains in its own worker on half the CPU threads and keeps its own checkpoint, so a reload resumes both.",
    ),
    ("compare.run_a", "Run A"),
    ("compare.run_b", "Run B"),
    ("compare.run", "Run"),
    ("compare.model", "Model"),
    ("compare.seed", "Seed (both runs)"),
    ("compare.start", "Train both"),
    ("compare.resume", "Resume both"),
    ("compare.reset", "Reset both"),
    ("compare.status", "Status"),
    ("compare.accuracy", "Test accuracy per epoch"),
    ("compare.more", "Train both one more epoch"),
    ("compare.finished", "Finished."),
    (
        "compare.summary",
        "After {n} epoch(s), {first} reached {x} % vs {second} {y} %.",
    ),
    (
        "compare.loss_chart",
        "Training loss of runs A (blue) and B (orange) at each recorded step",
    ),
    (
        "compare.accuracy_chart",
        "Test accuracy (%) of runs A (blue) and B (orange) after each epoch",
    ),
    (
        "compare.restored",
        "Restored from the checkpoints kept in this browser: Resume goes on from there.",
    ),
    (
        "compare.link_kept",
        "The link's settings were not applied: runs are already under way here (Reset both to use them).",
    ),
    // Classroom quizzes (src/ui/widgets/quiz_panel.rs, quiz_maker.rs).
    ("quiz.heading", "Quiz"),
    (
        "quiz.intro",
        "Work each answer out from the explorer above, type it and press Check: you see whether it is right and how it is worked out.",
    ),
    ("quiz.q.size", "What size is the output (height × width)?"),
    (
        "quiz.q.value",
        "What is the output value at row {row}, column {col} (counting from 0; the first channel)?",
    ),
    (
        "quiz.q.params",
        "How many learnable parameters does the layer have?",
    ),
    (
        "quiz.q.rf",
        "How large is the receptive field of one output value on the input (height × width)?",
    ),
    ("quiz.check", "Check"),
    ("quiz.right", "Right."),
    ("quiz.wrong", "Not quite: the answer is {answer}."),
    ("quiz.unreadable", "Type a number (a size as 5 × 5)."),
    ("quiz.working", "Worked out:"),
    ("quiz.score", "Score:"),
    ("quiz.done", "All questions answered."),
    ("quiz.locked_mark", " (locked)"),
    ("quiz.locked", "Locked by the teacher:"),
    (
        "quiz.outside",
        "The cell ({row}, {col}) is outside the {h} × {w} output.",
    ),
    ("quiz.no_answer", "These settings give no output:"),
    ("quiz.make", "Make a quiz"),
    (
        "quiz.make_hint",
        "Set the explorer as the questions need, tick the questions and the controls to lock, then copy the quiz link or its embed code. Answers are worked out from the explorer as the learner has it. The explorer shows the output up to its current position, so ask about a later cell.",
    ),
    ("quiz.ask", "Questions"),
    ("quiz.t.size", "Output size"),
    ("quiz.t.value", "One output value"),
    ("quiz.t.params", "Parameter count"),
    ("quiz.t.rf", "Receptive-field size"),
    ("quiz.row", "Output row"),
    ("quiz.col", "Output column"),
    ("quiz.lock", "Lock these controls"),
    ("quiz.none", "Tick at least one question."),
    ("quiz.link", "Quiz link"),
    ("quiz.copy_link", "Copy quiz link"),
    ("quiz.snippet", "Quiz embed code (HTML)"),
    ("quiz.copy_snippet", "Copy quiz HTML"),
    // Layout: the page outline and the channel volumes (outline.rs, volume.rs).
    ("outline.label", "On this page"),
    ("volume.label", "The convolution drawn as volumes"),
    ("volume.input", "Input: {n} channel slices"),
    ("volume.kernel", "Kernel {oc}: a {d} × {kh} × {kw} block"),
    (
        "volume.kernel_each",
        "Each of the {m} kernels: a {d} × {kh} × {kw} block",
    ),
    (
        "volume.output",
        "Output: {m} slices; kernel {oc} makes slice {oc}",
    ),
    ("volume.output_each", "Output: {m} slices, one per kernel"),
    // The timed choice of backend (issue 14, item 4).
    (
        "train.timing",
        "Finding the faster backend for this machine: timing this run's first steps on {backend}…",
    ),
    (
        "train.chose",
        "{fast_name} is faster here, so training runs on it: {fast} images per second against {slow} on {slow_name} ({x}× as fast; WASM SIMD timed on {n} CPU threads, on a run's first steps). You can pick the other one under “Compute on” while paused.",
    ),
    // WebGPU training in the compute worker (issue 14, item 3).
    (
        "train.where.gpu_worker",
        "WebGPU, driven from a Web Worker: the GPU computes and the page only renders.",
    ),
    (
        "train.no_gpu_in_worker",
        "This browser does not offer WebGPU to Web Workers ({reason}), so WebGPU training is driven from the page's own thread.",
    ),
    // teach: the backward explorer's quiz (src/quiz.rs, quiz_maker.rs, quiz_panel.rs).
    (
        "quiz.q.dx_size",
        "What size is the input gradient ∂L/∂X (height × width)?",
    ),
    (
        "quiz.q.dx",
        "What is the input gradient ∂L/∂X at row {row}, column {col} (counting from 0) once every position has added its share?",
    ),
    (
        "quiz.q.dw",
        "What is the weight gradient ∂L/∂W at kernel row {row}, column {col} (counting from 0) once every position has added its share?",
    ),
    ("quiz.t.dx_size", "Size of ∂L/∂X"),
    ("quiz.t.dx", "One value of ∂L/∂X"),
    ("quiz.t.dw", "One value of ∂L/∂W"),
    ("quiz.dx_row", "∂L/∂X row"),
    ("quiz.dx_col", "∂L/∂X column"),
    ("quiz.dw_row", "∂L/∂W row"),
    ("quiz.dw_col", "∂L/∂W column"),
    // teach: a compared run whose worker failed (src/ui/widgets/compare_panel.rs).
    (
        "compare.worker_failed",
        "{run}: its compute worker stopped ({reason}); it goes on on the page's own thread from its last checkpoint, with the same numbers.",
    ),
    // The lab's inference worker (offload: issue 14 items 1 and 5).
    (
        "infer.main_thread",
        "The lab's compute worker is not running ({reason}): the lab computes here, on the page's own thread, with the same numbers; the page may pause while it does.",
    ),
    ("infer.kill", "Stop the lab's worker (test)"),
    // The lab's backends, timed in its worker (issue 14 item 4; src/ui/widgets/infer_choice.rs).
    ("infer.answers", "{backend} answers. {detail}"),
    (
        "infer.answers_chosen",
        "{backend} answers, as you chose. {detail}",
    ),
    ("infer.one_digit", "One digit"),
    ("infer.digits", "{n} digits"),
    (
        "infer.timed",
        "{work} took {simd} ms on WASM SIMD and {gpu} ms on WebGPU, timed in the lab's worker: {fast} is {x}× as fast.",
    ),
    (
        "infer.no_gpu",
        "{work} takes {simd} ms on WASM SIMD; WebGPU is not available in the lab's worker ({reason}).",
    ),
    (
        "infer.gpu_failed",
        "{work} takes {simd} ms on WASM SIMD; WebGPU failed in the lab's worker ({reason}), so the lab stopped using it.",
    ),
    ("infer.simd_only", "{work} takes {simd} ms on WASM SIMD."),
    (
        "infer.timed_probe",
        "{work} took {simd} ms on WASM SIMD; on WebGPU {part} digits alone took {gpu} ms, so WASM SIMD is faster (timed in the lab's worker).",
    ),
    ("infer.prefer", "Compute the lab's answers on"),
    ("infer.summary", "Answers computed on {backend}"),
    (
        "infer.untimed",
        "The lab's worker times WASM SIMD and WebGPU when it first answers; until then WASM SIMD answers.",
    ),
    ("infer.prefer_faster", "the faster one (timed)"),
    // tidy: issue 16's last gaps (a backward quiz's cell outside its grid; one worker thread).
    (
        "quiz.outside_dx",
        "The cell ({row}, {col}) is outside the {h} × {w} input X (∂L/∂X has its shape).",
    ),
    (
        "quiz.outside_dw",
        "The cell ({row}, {col}) is outside the {h} × {w} kernel W (∂L/∂W has its shape).",
    ),
    (
        "train.where.worker_one",
        "WASM SIMD in 1 Web Worker thread: the page stays smooth while it trains.",
    ),
    (
        "train.thread_lost_one",
        "A worker thread stopped ({reason}): the other takes its share (1 thread left), with the same numbers.",
    ),
    // fit (issue 15, item 5): the convolution explorer's status line for a padding cell.
    ("fit.pad_cell", "padding: 0"),
];
