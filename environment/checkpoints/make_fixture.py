#!/usr/bin/env python3
"""Makes the fixtures that prove the kit's DDPM++/NCSN++ equal to the official PFGM network.

Run with the official code (Newbeeer/Poisson_flow) on a machine with torch (Debian's python3-torch
1.13.1 and numpy 1.24.2 made the committed files):

    /usr/bin/python3 environment/checkpoints/make_fixture.py --official-code PATH/TO/Poisson_flow
    (or PFGM_OFFICIAL_CODE=PATH/TO/Poisson_flow)

It imports the official modules from there (models/ncsnpp.py, layerspp.py, up_or_down_sampling.py,
ema.py and the configs under configs/poisson/); nothing of them is copied here. Their op/ package
compiles a CUDA extension when imported; on the CPU the official upfirdn2d never calls it (it takes
upfirdn2d_native), so op/upfirdn2d.py is executed with torch's extension loader switched off.

Writes under tests/src/test/resources/pfgm/official/:

  <case>.npz      an official checkpoint (state dict through DataParallel, an ExponentialMovingAverage
                  state whose weights differ from the model's, an Adam state, a step) of a small network,
                  converted by convert_official.py with a config file: what 'pfgm import' reads
  <case>-io.npz   inputs x (b, C, H, W), z (b) and the official outputs (b, C*H*W + 1): the model's
                  x-output flattened, then its z-output, in train=False mode, with the model weights
                  (model_out) and with the EMA weights copied in as the official sampler does (ema_out);
                  computed in float32, as the official code runs (its positional embedding casts z to
                  float32, so the network cannot run in float64 as it is)
  <name>.keys.txt the state_dict keys of the full-size official networks (cifar10_ddpmpp,
                  cifar10_ddpmpp_deep, cifar10_ncsnpp, celeba64_ddpmpp, bedroom_ddpmpp: the
                  configs/poisson/ ones), one "name shape kind" per line, kind
                  trainable, frozen (requires_grad False: no EMA entry) or buffer

The cases are the official CIFAR-10 configs with small sizes: nf 8, ch_mult (1, 2), 8 x 8 images,
attention at 4 x 4; ddpmpp and ncsnpp with 1 residual block per level, ddpmpp_deep with 2 (the deep
config's layout: more blocks per level, nothing else). Every weight is random (the official
initialization starts the output layers at zero, which would hide errors after them).
"""
import argparse
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "src", "test", "resources", "pfgm", "official")
sys.path.insert(0, HERE)
import convert_official  # noqa: E402

CASES = {
    # name: (official config module, num_res_blocks, seed, z values)
    "ddpmpp": ("configs.poisson.cifar10_ddpmpp", 1, 1, [0.004, 0.9, 37.0]),
    "ncsnpp": ("configs.poisson.cifar10_ncsnpp", 1, 2, [0.002, 0.6, 25.0]),
    "ddpmpp_deep": ("configs.poisson.cifar10_ddpmpp_deep", 2, 3, [0.01, 3.0, 40.0]),
}
FULL = {
    "cifar10_ddpmpp": "configs.poisson.cifar10_ddpmpp",
    "cifar10_ddpmpp_deep": "configs.poisson.cifar10_ddpmpp_deep",
    "cifar10_ncsnpp": "configs.poisson.cifar10_ncsnpp",
    "celeba64_ddpmpp": "configs.poisson.celeba64_ddpmpp",
    "bedroom_ddpmpp": "configs.poisson.bedroom_ddpmpp",
}
SMALL_CONFIG = """
from {module} import get_config as official


def get_config():
    config = official()
    config.model.nf = 8
    config.model.ch_mult = (1, 2)
    config.model.num_res_blocks = {blocks}
    config.model.attn_resolutions = (4,)
    config.data.image_size = 8
    return config
"""


def official_config(module):
    import importlib

    return importlib.import_module(module).get_config()


def build(config):
    from models import ncsnpp

    return ncsnpp.NCSNpp(config)


def randomize(model, generator):
    """Weights of order 1 / sqrt(fan_in), GroupNorm scales near 1, every bias non-zero."""
    import torch

    with torch.no_grad():
        for module in model.modules():
            for name, p in module.named_parameters(recurse=False):
                if not p.requires_grad:
                    continue  # the Fourier projection keeps its official N(0, 16^2) draw
                noise = torch.randn(p.shape, generator=generator)
                if isinstance(module, torch.nn.GroupNorm):
                    p.copy_(1 + 0.2 * noise if name == "weight" else 0.2 * noise)
                elif p.dim() == 1:
                    p.copy_(0.2 * noise)
                else:
                    fan_in = p.shape[0] if name == "W" else int(np.prod(p.shape[1:]))  # NIN's W is (in, out)
                    p.copy_(noise / np.sqrt(fan_in))


def official_outputs(model, weights, x, z):
    """train=False outputs of the official model with the given weights: (b, C*H*W + 1)."""
    import torch
    from models import utils as mutils

    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    with torch.no_grad():
        net_x, net_z = mutils.get_model_fn(model, train=False)(torch.from_numpy(x), torch.from_numpy(z))
    return torch.cat([net_x.reshape(len(net_x), -1), net_z[:, None]], dim=1).numpy()


def random_checkpoint(name, config_text, seed, step, scratch, converted):
    """An official-format checkpoint of the config with random weights (randomize), an EMA state that
    differs from them, an Adam state and a step, converted by convert_official.py to `converted`.
    Returns the config and the converted model and EMA weights by official name."""
    import torch
    from models.ema import ExponentialMovingAverage

    config_file = os.path.join(scratch, f"{name}_config.py")
    with open(config_file, "w") as f:
        f.write(config_text)
    config = convert_official.load_config(config_file)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # the official constructors draw their initialization from the global generator
    model = build(config)
    randomize(model, generator)
    ema = ExponentialMovingAverage(model.parameters(), decay=config.model.ema_rate)
    with torch.no_grad():  # move the model away from the EMA's copy, then one EMA update: both differ
        for p in model.parameters():
            if p.requires_grad:
                p.add_(0.5 * p.std() * torch.randn(p.shape, generator=generator))
    ema.update(model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-4)
    state = {"optimizer": optimizer.state_dict(), "model": torch.nn.DataParallel(model).state_dict(),
             "ema": ema.state_dict(), "step": step}
    checkpoint = os.path.join(scratch, f"{name}.pth")
    torch.save(state, checkpoint)
    print(convert_official.convert(checkpoint, converted, config_file))

    data = np.load(converted)
    model_weights = {k[len("model/"):]: data[k] for k in data.files if k.startswith("model/")}
    ema_weights = dict(model_weights)
    ema_weights.update({k[len("ema/"):]: data[k] for k in data.files if k.startswith("ema/")})
    assert any(not np.array_equal(model_weights[k], ema_weights[k]) for k in ema_weights)

    # The official sampler's way to the EMA weights, ema.copy_to(model.parameters()), must give the
    # same network as the converter's names.
    reference = build(config)
    reference.load_state_dict({k: torch.from_numpy(v) for k, v in model_weights.items()})
    ema.copy_to(reference.parameters())
    for k, v in reference.state_dict().items():
        assert np.array_equal(v.numpy(), ema_weights[k]), k
    return config, model_weights, ema_weights


def make_case(name, module, blocks, seed, zs, scratch):
    config, model_weights, ema_weights = random_checkpoint(
        name, SMALL_CONFIG.format(module=module, blocks=blocks), seed, 1234 + seed, scratch,
        os.path.join(OUT, f"{name}.npz"))
    size = config.data.image_size
    channels = config.data.num_channels
    x = np.random.default_rng(seed).standard_normal((len(zs), channels, size, size)).astype(np.float32)
    z = np.array(zs, dtype=np.float32)
    model_out = official_outputs(build(config), model_weights, x, z)
    ema_out = official_outputs(build(config), ema_weights, x, z)
    np.savez(os.path.join(OUT, f"{name}-io.npz"), x=x, z=z, model_out=model_out, ema_out=ema_out)
    print(f"  {name}: {sum(v.size for v in model_weights.values()):,} weights, outputs |max| "
          f"{np.abs(model_out).max():.3f}, EMA vs model differ by {np.abs(ema_out - model_out).max():.3f}")


def write_keys(name, module):
    """The full-size network's state_dict keys; checks the converter's rule for which have EMA entries."""
    config = official_config(module)
    model = build(config)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    state = model.state_dict()
    rule = [n for n, t in state.items() if n not in convert_official.BUFFERS and not convert_official.is_frozen(n, t)]
    assert rule == trainable, f"{name}: the converter's trainable list differs from model.parameters()"
    path = os.path.join(OUT, f"{name}.keys.txt")
    with open(path, "w") as f:
        f.write(f"# state_dict keys of the official {module} network (models/ncsnpp.py): name shape kind\n")
        for n, t in state.items():
            kind = "trainable" if n in trainable else "frozen" if n in frozen else "buffer"
            f.write(f"{n} {','.join(str(s) for s in t.shape)} {kind}\n")
    print(f"wrote {path}: {len(state)} keys, {sum(p.numel() for n, p in model.named_parameters() if n in trainable):,} "
          f"trainable weights")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official-code", default=os.environ.get("PFGM_OFFICIAL_CODE"),
                        help="folder of the official code (default: $PFGM_OFFICIAL_CODE)")
    args = parser.parse_args()
    if not args.official_code:
        sys.exit("make_fixture: give --official-code PATH (or PFGM_OFFICIAL_CODE) of Newbeeer/Poisson_flow")
    try:
        convert_official.import_official_code(args.official_code)
    except convert_official.ConversionError as e:
        sys.exit(f"make_fixture: {e}")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, (module, blocks, seed, zs) in CASES.items():
            make_case(name, module, blocks, seed, zs, scratch)
    for name, module in FULL.items():
        write_keys(name, module)


if __name__ == "__main__":
    main()
