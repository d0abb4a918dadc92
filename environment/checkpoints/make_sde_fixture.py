#!/usr/bin/env python3
"""Makes the fixtures that prove an imported score-SDE checkpoint gives score-SDE's score.

Run with score-SDE's official code (yang-song/score_sde_pytorch) on a machine with torch (Debian's
python3-torch 1.13.1 and numpy 1.24.2 made the committed files):

    /usr/bin/python3 environment/checkpoints/make_sde_fixture.py --official-code PATH/TO/score_sde_pytorch
    (or SCORE_SDE_CODE=PATH/TO/score_sde_pytorch)

It imports the official modules from there (models/ncsnpp.py, models/utils.py, models/ema.py,
sde_lib.py and the configs under configs/vp, configs/subvp, configs/ve), as make_fixture.py does for
the PFGM code (whose models/ are score-SDE's with one more output channel); nothing of them is
copied here.

Writes under tests/src/test/resources/pfgm/official/:

  sde_<case>.npz      a score-SDE checkpoint (state dict through DataParallel, an EMA state whose
                      weights differ from the model's, an Adam state, a step) of a small network,
                      converted by convert_official.py with a config file: what 'pfgm import' reads
  sde_<case>-io.npz   inputs x (b, C, H, W) in the official network's data units, times t (b, float64), and the
                      official score there: models/utils.py get_score_fn(sde, model, train=False,
                      continuous=True) with the config's SDE (sde_lib), with the model weights
                      (model_score) and with the EMA weights copied in as the official sampler does
                      (ema_score); float32, as the official network runs (official_scores says how t
                      is passed); centered, the config's
                      data.centered (False: x is in [0, 1] units, the kit's data is 2 x - 1 and its
                      score half the official one)
  sde_<name>.keys.txt the state_dict keys of the full-size networks of score-SDE's CIFAR-10 configs
                      (one "name shape kind" per line, as make_fixture.py writes them); the sub-VP
                      configs build the same networks as the VP ones (checked here, not written)

The cases are score-SDE's continuous CIFAR-10 configs with small sizes (nf 8, ch_mult (1, 2), one
residual block per level, 8 x 8 images, attention at 4 x 4): vp_ddpmpp (configs/vp/
cifar10_ddpmpp_continuous.py: DDPM++, positional embedding of 999 t), subvp_ddpmpp (configs/subvp/
cifar10_ddpmpp_continuous.py: the same network, sub-VP's std), ve_ncsnpp (configs/ve/
cifar10_ncsnpp_continuous.py: NCSN++, Fourier features of log sigma, scale_by_sigma, data in
[0, 1]). Every weight is random (make_fixture.randomize).
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
import make_fixture  # noqa: E402

CASES = {
    # name: (official config module, seed, t values)
    "vp_ddpmpp": ("configs.vp.cifar10_ddpmpp_continuous", 11, [1e-3, 0.31, 0.97]),
    "subvp_ddpmpp": ("configs.subvp.cifar10_ddpmpp_continuous", 12, [2e-3, 0.45, 1.0]),
    "ve_ncsnpp": ("configs.ve.cifar10_ncsnpp_continuous", 13, [1e-3, 0.52, 0.99]),
}
# Full-size networks whose keys are written; the second module of a pair must build the same keys.
FULL = {
    "sde_cifar10_ddpmpp": ("configs.vp.cifar10_ddpmpp_continuous", "configs.subvp.cifar10_ddpmpp_continuous"),
    "sde_cifar10_ddpmpp_deep": ("configs.vp.cifar10_ddpmpp_deep_continuous", "configs.subvp.cifar10_ddpmpp_deep_continuous"),
    "sde_cifar10_ncsnpp": ("configs.ve.cifar10_ncsnpp_continuous", None),
    "sde_cifar10_ncsnpp_deep": ("configs.ve.cifar10_ncsnpp_deep_continuous", None),
}
SMALL_CONFIG = """
from {module} import get_config as official


def get_config():
    config = official()
    config.model.nf = 8
    config.model.ch_mult = (1, 2)
    config.model.num_res_blocks = 1
    config.model.attn_resolutions = (4,)
    config.data.image_size = 8
    return config
"""


def official_sde(config):
    """The config's SDE, as score-SDE's run_lib.py builds it."""
    import sde_lib

    name = config.training.sde.lower()
    if name == "vpsde":
        return sde_lib.VPSDE(beta_min=config.model.beta_min, beta_max=config.model.beta_max, N=config.model.num_scales)
    if name == "subvpsde":
        return sde_lib.subVPSDE(beta_min=config.model.beta_min, beta_max=config.model.beta_max, N=config.model.num_scales)
    if name == "vesde":
        return sde_lib.VESDE(sigma_min=config.model.sigma_min, sigma_max=config.model.sigma_max, N=config.model.num_scales)
    raise ValueError(name)


def official_scores(config, weights, x, t):
    """score-SDE's score of the model with the given weights at (x, t): (b, C, H, W).

    The network runs in float32. For VP and sub-VP t is given in float64, so that get_score_fn's
    std(t) = sqrt(1 - exp(2 log_mean_coeff)) (sub-VP: 1 - exp(...)) does not lose digits to
    cancellation near t = 0 (in float32 it is off by 3e-4 relative at t = 1e-3); the network still
    sees float32 labels (its embedding casts them). VE's labels go into the network's Fourier
    features, which take float32 only, and its sigma(t) has no cancellation: t is float32.
    """
    import torch
    from models import utils as mutils

    model = make_fixture.build(config)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    score_fn = mutils.get_score_fn(official_sde(config), model, train=False, continuous=True)
    times = torch.from_numpy(t.astype(np.float32 if config.training.sde.lower() == "vesde" else np.float64))
    with torch.no_grad():
        return score_fn(torch.from_numpy(x), times).float().numpy()


def make_case(name, module, seed, ts, scratch):
    import torch

    config, model_weights, ema_weights = make_fixture.random_checkpoint(
        name, SMALL_CONFIG.format(module=module), seed, 2000 + seed, scratch, os.path.join(OUT, f"sde_{name}.npz"))
    assert config.training.continuous, name

    # Inputs like the sampler's: data plus the SDE's noise at t, in the network's own data units
    # ([-1, 1] when centered, [0, 1] when not).
    rng = np.random.default_rng(seed)
    size, channels = config.data.image_size, config.data.num_channels
    sde = official_sde(config)
    t = np.array(ts, dtype=np.float64)
    data_points = rng.uniform(-1 if config.data.centered else 0, 1, (len(ts), channels, size, size))
    mean, std = sde.marginal_prob(torch.from_numpy(data_points), torch.from_numpy(t))
    x = (mean.numpy() + std.numpy()[:, None, None, None] * rng.standard_normal(data_points.shape)).astype(np.float32)
    model_score = official_scores(config, model_weights, x, t)
    ema_score = official_scores(config, ema_weights, x, t)
    np.savez(os.path.join(OUT, f"sde_{name}-io.npz"), x=x, t=t, model_score=model_score, ema_score=ema_score,
             centered=np.array(bool(config.data.centered)))
    print(f"  {name}: {sum(v.size for v in model_weights.values()):,} weights, score |max| {np.abs(model_score).max():.3f}, "
          f"EMA vs model differ by {np.abs(ema_score - model_score).max():.3f}")


def keys(module):
    config = make_fixture.official_config(module)
    model = make_fixture.build(config)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    state = model.state_dict()
    rule = [n for n, t in state.items() if n not in convert_official.BUFFERS and not convert_official.is_frozen(n, t)]
    assert rule == trainable, f"{module}: the converter's trainable list differs from model.parameters()"
    lines = []
    for n, t in state.items():
        kind = "trainable" if n in trainable else "frozen" if n in frozen else "buffer"
        lines.append(f"{n} {','.join(str(s) for s in t.shape)} {kind}\n")
    count = sum(p.numel() for n, p in model.named_parameters() if n in trainable)
    del model, state
    return lines, count


def compare_with_pfgm(name, lines):
    """Prints how the keys differ from the PFGM list of the same network (make_fixture.py's), if there is one."""
    pfgm = os.path.join(OUT, name[len("sde_"):] + ".keys.txt")
    if not os.path.isfile(pfgm):
        return
    with open(pfgm) as f:
        theirs = [line for line in f if not line.startswith("#")]
    differ = [(a.strip(), b.strip()) for a, b in zip(lines, theirs) if a != b]
    print(f"  vs PFGM's {os.path.basename(pfgm)}: {len(lines)} vs {len(theirs)} keys, differing lines: {differ}")


def write_keys(name, module, twin):
    lines, count = keys(module)
    if twin is not None:
        assert keys(twin)[0] == lines, f"{twin} builds other keys than {module}"
    path = os.path.join(OUT, f"{name}.keys.txt")
    with open(path, "w") as f:
        f.write(f"# state_dict keys of score-SDE's {module} network (models/ncsnpp.py): name shape kind\n")
        f.writelines(lines)
    print(f"wrote {path}: {len(lines)} keys, {count:,} trainable weights{'; ' + twin + ' the same' if twin else ''}")
    compare_with_pfgm(name, lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official-code", default=os.environ.get("SCORE_SDE_CODE"),
                        help="folder of score-SDE's code (default: $SCORE_SDE_CODE)")
    parser.add_argument("--skip-keys", action="store_true", help="only the small cases (the key lists build "
                                                                 "full-size networks: a minute and 2 GB)")
    args = parser.parse_args()
    if not args.official_code:
        sys.exit("make_sde_fixture: give --official-code PATH (or SCORE_SDE_CODE) of yang-song/score_sde_pytorch")
    if not os.path.isfile(os.path.join(args.official_code, "sde_lib.py")):
        sys.exit(f"make_sde_fixture: {args.official_code} does not hold score-SDE's code (sde_lib.py)")
    convert_official.import_official_code(args.official_code)
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, (module, seed, ts) in CASES.items():
            make_case(name, module, seed, ts, scratch)
    if not args.skip_keys:
        for name, (module, twin) in FULL.items():
            write_keys(name, module, twin)


if __name__ == "__main__":
    main()
