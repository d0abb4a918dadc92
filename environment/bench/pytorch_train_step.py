#!/usr/bin/env python3
"""Times the network part of a PFGM training step in PyTorch eager, built from the official code.

`pfgm bench pytorch` runs this (with /usr/bin/python3: Debian's python3-torch) back to back with the
kit's own step on the same network and batch; it is not part of the test suite. By hand:

    /usr/bin/python3 environment/bench/pytorch_train_step.py --official-code PATH/TO/Poisson_flow \
        --network '{"kind": "DDPMPP", "channels": 1, "imageSize": 16, "nf": 32, "chMult": [1, 2, 2],
                    "numResBlocks": 1, "attnResolutions": [4], "dropout": 0.1,
                    "embedding": "POSITIONAL", "fourierScale": 16}' --batch 64 --threads 2 --steps 10

The network is the official models/ncsnpp.py (imported from --official-code; nothing of it is copied
here) with the config the kit's NetworkConfig describes: DDPMPP is the official cifar10_ddpmpp layout
(BigGAN blocks, skip rescale, positional embedding of z), NCSNPP the cifar10_ncsnpp one (FIR,
residual input pyramid, Fourier features of log z), DDPM the same file with resblock_type 'ddpm'
(DDPM residual blocks, convolutional resampling, no skip rescale). One step is what the official
run_lib/losses.py does after the field target: optimizer.zero_grad(), the model in train mode on
(x, z), the loss 0.5 * sum over the N + 1 outputs of the squared error against a fixed target,
mean over the batch, backward, torch.nn.utils.clip_grad_norm_, torch.optim.Adam's step and the
official ExponentialMovingAverage update. Inputs are random: x uniform in [-1, 1], z log-uniform
in [1e-3, 40] (the kit's bench uses its own synthetic data; speed does not depend on the values).

Prints one JSON line: parameter count, torch version, threads, and per timed step the milliseconds
of forward (network), loss, backward, optimizer (zero_grad + clip + Adam + EMA), and with
--forward-batch the milliseconds of a bare no-grad forward pass in eval mode (what a sampler's field
evaluation costs). With --serve (what `pfgm bench pytorch` uses) it prints the header line after the
warm-up and then runs one step per "step" line it reads, answering each with a JSON line of its parts.
"""
import argparse
import json
import os
import sys
import time
import types


def fail(message, code=2):
    print(f"pytorch_train_step: error: {message}", file=sys.stderr)
    sys.exit(code)


def import_official(root):
    """Puts the official code on the path, as the checkpoint converter does (convert_official.py)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "checkpoints"))
    import convert_official

    try:
        convert_official.import_official_code(root)
    except convert_official.ConversionError as e:
        fail(f"{e}; pass --official-code or set PFGM_OFFICIAL_CODE to a checkout of Newbeeer/Poisson_flow")


def official_config(network):
    """The official config (configs/default_cifar10_configs.py, then cifar10_ddpmpp's model settings) for a kit NetworkConfig."""
    from configs.default_cifar10_configs import get_default_configs

    kind = network["kind"]
    if kind not in ("DDPMPP", "NCSNPP", "DDPM"):
        fail(f"network kind {kind} has no official counterpart here (DDPMPP, NCSNPP or DDPM)")
    config = get_default_configs()
    config.training.sde = "poisson"
    config.training.continuous = True
    config.data.centered = True
    config.data.num_channels = network["channels"]
    config.data.channels = network["channels"]
    config.data.image_size = network["imageSize"]
    m = config.model
    m.name = "ncsnpp"
    m.scale_by_sigma = False
    m.normalization = "GroupNorm"
    m.nonlinearity = "swish"
    m.nf = network["nf"]
    m.ch_mult = tuple(network["chMult"])
    m.num_res_blocks = network["numResBlocks"]
    m.attn_resolutions = tuple(network["attnResolutions"])
    m.dropout = network["dropout"]
    m.resamp_with_conv = True
    m.conditional = True
    m.fir = kind == "NCSNPP"
    m.fir_kernel = [1, 3, 3, 1]
    m.skip_rescale = kind != "DDPM"
    m.resblock_type = "ddpm" if kind == "DDPM" else "biggan"
    m.progressive = "none"
    m.progressive_input = "residual" if kind == "NCSNPP" else "none"
    m.progressive_combine = "sum"
    m.attention_type = "ddpm"
    m.init_scale = 0.0
    m.fourier_scale = network["fourierScale"]
    m.embedding_type = network["embedding"].lower()
    m.conv_size = 3
    # The positional embedding indexes a table of sigmas with z.long() (unused for PFGM): big enough for any z here.
    m.num_scales = 100
    return config


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official-code", default=os.environ.get("PFGM_OFFICIAL_CODE"),
                        help="checkout of Newbeeer/Poisson_flow (default: $PFGM_OFFICIAL_CODE)")
    parser.add_argument("--network", required=True, help="the kit's NetworkConfig as JSON")
    parser.add_argument("--batch", type=int, required=True, help="images per step (the kit's smallBatchSize)")
    parser.add_argument("--threads", type=int, required=True, help="intra-op threads (torch.set_num_threads)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps after --warmup untimed ones")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--beta1", type=float, default=0.9)
    parser.add_argument("--eps", type=float, default=1e-8)
    parser.add_argument("--grad-clip", type=float, default=1.0)
    parser.add_argument("--ema", type=float, default=0.9999)
    parser.add_argument("--forward-batch", type=int, default=0,
                        help="also time a bare no-grad eval forward pass at this batch (0: skip)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--serve", action="store_true",
                        help="after the warm-up, print the header, then run one step per 'step' line on stdin")
    parser.add_argument("--trace", help="also write a Chrome trace of the timed steps (torch.autograd.profiler) to this file")
    args = parser.parse_args(argv)

    try:
        import numpy as np
        import torch
    except ImportError as e:
        fail(f"{sys.executable} cannot import {e.name}: install Debian's python3-torch (apt-get install python3-torch)")
    if not args.official_code:
        fail("no official code: pass --official-code PATH or set PFGM_OFFICIAL_CODE (a checkout of Newbeeer/Poisson_flow)")
    torch.set_num_threads(args.threads)
    import_official(args.official_code)
    from models import layerspp, ncsnpp
    from models.ema import ExponentialMovingAverage

    # layerspp.Upsample without FIR calls F.interpolate(x, (2H, 2W), 'nearest'), which hands 'nearest'
    # to scale_factor and fails (no official config takes that path; the DDPM kind does): the mode is meant.
    interpolate = layerspp.F.interpolate

    def nearest_aware_interpolate(x, size=None, scale_factor=None, mode="nearest", *rest, **kw):
        if isinstance(scale_factor, str):
            return interpolate(x, size=size, mode=scale_factor, *rest, **kw)
        return interpolate(x, size, scale_factor, mode, *rest, **kw)

    layerspp.F = types.SimpleNamespace(**{**vars(layerspp.F), "interpolate": nearest_aware_interpolate})

    network = json.loads(args.network)
    config = official_config(network)
    torch.manual_seed(args.seed)
    model = ncsnpp.NCSNpp(config)
    params = [p for p in model.parameters() if p.requires_grad]
    count = sum(p.numel() for p in params)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(args.beta1, 0.999), eps=args.eps,
                                 weight_decay=0)
    ema = ExponentialMovingAverage(model.parameters(), decay=args.ema)

    g = torch.Generator().manual_seed(args.seed)
    c, s = network["channels"], network["imageSize"]
    x = torch.rand((args.batch, c, s, s), generator=g) * 2 - 1
    z = torch.exp(torch.rand((args.batch,), generator=g) * (np.log(40) - np.log(1e-3)) + np.log(1e-3))
    target = torch.randn((args.batch, c * s * s + 1), generator=g)

    def step():
        """One training step; returns its parts in milliseconds."""
        t0 = time.perf_counter()
        optimizer.zero_grad()
        model.train()
        t1 = time.perf_counter()
        net_x, net_z = model(x, z)
        t2 = time.perf_counter()
        net = torch.cat([net_x.reshape(net_x.shape[0], -1), net_z[:, None]], dim=1)
        loss = torch.mean(0.5 * torch.sum((net - target) ** 2, dim=-1))
        t3 = time.perf_counter()
        loss.backward()
        loss_value = loss.item()
        t4 = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = args.lr
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=args.grad_clip)
        optimizer.step()
        ema.update(model.parameters())
        t5 = time.perf_counter()
        if not np.isfinite(loss_value):
            fail(f"loss {loss_value}")
        ms = lambda a, b: (b - a) * 1e3  # noqa: E731
        return {"forward": ms(t1, t2), "loss": ms(t2, t3), "backward": ms(t3, t4),
                "optimizer": ms(t0, t1) + ms(t4, t5), "network": ms(t0, t2) + ms(t3, t5)}

    header = {"parameters": count, "torch": torch.__version__, "threads": torch.get_num_threads()}
    for _ in range(args.warmup):
        step()
    if args.serve:
        # One step per "step" line on stdin, one JSON line of its parts back: the caller interleaves
        # these with its own steps, so both sides see the same load on a shared machine.
        print(json.dumps(header), flush=True)
        for line in sys.stdin:
            if line.strip() != "step":
                break
            print(json.dumps(step()), flush=True)
        return

    parts = {"forward": [], "loss": [], "backward": [], "optimizer": [], "network": []}
    profiler = None
    if args.trace:
        profiler = torch.autograd.profiler.profile(record_shapes=True)
        profiler.__enter__()
    for _ in range(args.steps):
        for key, value in step().items():
            parts[key].append(value)
    if profiler is not None:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(args.trace)

    forward_only = []
    if args.forward_batch > 0:
        xs = torch.rand((args.forward_batch, c, s, s), generator=g) * 2 - 1
        zs = torch.full((args.forward_batch,), 5.0)
        model.eval()
        with torch.no_grad():
            for i in range(args.warmup + args.steps):
                t0 = time.perf_counter()
                model(xs, zs)
                if i >= args.warmup:
                    forward_only.append((time.perf_counter() - t0) * 1e3)

    print(json.dumps({**header, "steps": parts, "forward_only": forward_only,
                      "median_network_ms": median(parts["network"])}))


if __name__ == "__main__":
    main()
