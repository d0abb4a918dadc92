#!/usr/bin/env python3
"""A full-size check of the import: an official CIFAR-10 network with random weights, its outputs.

The committed fixtures (make_fixture.py) are small networks; this builds the full network of an
official config (cifar10_ddpmpp by default: 61.8M weights), gives it random weights and an EMA that
differs from them, saves it as the official code does, converts it with convert_official.py and
writes points (S, N+1) with the official network's EMA outputs there:

    /usr/bin/python3 environment/checkpoints/full_size_check.py --official-code PATH/TO/Poisson_flow DIR
    pfgm import --official DIR/official.npz --preset cifar10_ddpmpp --workdir DIR/run
    pfgm field --workdir DIR/run --points DIR/points.npy --ema --out DIR/kit.npy
    /usr/bin/python3 environment/checkpoints/full_size_check.py --compare DIR

It needs about 3 GB of memory and 1.5 GB of disk in DIR (the .pth and the .npz).
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import convert_official  # noqa: E402
import make_fixture  # noqa: E402


def make(official_code, out, module, points):
    import torch

    make_fixture.import_official(official_code)
    from models.ema import ExponentialMovingAverage
    os.makedirs(out, exist_ok=True)
    config = make_fixture.official_config(module)
    generator = torch.Generator().manual_seed(7)
    torch.manual_seed(7)
    model = make_fixture.build(config)
    make_fixture.randomize(model, generator)
    ema = ExponentialMovingAverage(model.parameters(), decay=config.model.ema_rate)
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(0.5 * p.std() * torch.randn(p.shape, generator=generator))
    ema.update(model.parameters())
    checkpoint = os.path.join(out, "checkpoint_full.pth")
    torch.save({"model": torch.nn.DataParallel(model).state_dict(), "ema": ema.state_dict(), "step": 7}, checkpoint)
    config_file = os.path.join(out, "config.py")
    with open(config_file, "w") as f:
        f.write(f"from {module} import get_config\n")
    print(convert_official.convert(checkpoint, os.path.join(out, "official.npz"), config_file))
    os.remove(checkpoint)
    ema.copy_to(model.parameters())
    size, channels = config.data.image_size, config.data.num_channels
    rng = np.random.default_rng(7)
    x = rng.standard_normal((points, channels, size, size)).astype(np.float32)
    z = np.geomspace(0.01, 40, points).astype(np.float32)
    from models import utils as mutils
    with torch.no_grad():
        net_x, net_z = mutils.get_model_fn(model, train=False)(torch.from_numpy(x), torch.from_numpy(z))
    out_v = torch.cat([net_x.reshape(points, -1), net_z[:, None]], dim=1).numpy()
    np.save(os.path.join(out, "points.npy"), np.concatenate([x.reshape(points, -1), z[:, None]], axis=1))
    np.save(os.path.join(out, "official.npy"), out_v)
    print(f"wrote {out}/points.npy and official.npy ({points} points, |v| max {np.abs(out_v).max():.3f})")


def compare(out):
    official = np.load(os.path.join(out, "official.npy")).astype(np.float64)
    kit = np.load(os.path.join(out, "kit.npy")).astype(np.float64)
    error = np.abs(kit - official).max() / np.abs(official).max()
    print(f"max |kit - official| / max |official| = {error:.3g} over {official.shape}")
    return 0 if error <= 1e-4 else 1


def main():
    parser = argparse.ArgumentParser(description="Full-size check of pfgm import against the official network.")
    parser.add_argument("dir", help="working folder")
    parser.add_argument("--official-code", default=os.environ.get("PFGM_OFFICIAL_CODE"))
    parser.add_argument("--config", default="configs.poisson.cifar10_ddpmpp", help="official config module")
    parser.add_argument("--points", type=int, default=4)
    parser.add_argument("--compare", action="store_true", help="compare DIR/kit.npy (pfgm field's output) with the official")
    args = parser.parse_args()
    if args.compare:
        return compare(args.dir)
    if not args.official_code:
        sys.exit("full_size_check: give --official-code PATH (or PFGM_OFFICIAL_CODE)")
    make(args.official_code, args.dir, args.config, args.points)
    return 0


if __name__ == "__main__":
    sys.exit(main())
