"""Writes the tiny TorchScript stand-ins for the FID Inception network that InceptionNetworkTest loads.

Run from anywhere: /usr/bin/python3 environment/inception/make_fixture.py
(torch 1.13.1 and numpy 1.24.2 from Debian made the committed copies). It writes, under
tests/src/test/resources/pfgm/eval/:

  inception-fixture.pt                 forward(x) -> (features (b, 8), logits (b, 5))
  inception-fixture-features-only.pt   forward(x) -> features (b, 8, 1, 1), no logits
  inception-fixture.npz                input batches and what the kit must get from them

Both modules follow the contract of the kit's Inception network (pfgm.eval.InceptionNetwork), as
environment/inception/export_pytorch_fid.py writes it for the real network: the input is
(b, 3, 299, 299) float32 in [-1, 1]. The kit gets images (b, C, H, W) with pixel values in [0, 255]
(C = 1 is repeated to 3 channels) and preprocesses them as pytorch-fid does: bilinear resize to
299 x 299 with align_corners=False, then scaling to [-1, 1].

The expected values here are computed from the raw pixels independently of the kit, the way
pytorch-fid's InceptionV3.forward does it: x / 255, F.interpolate(size=(299, 299),
mode="bilinear", align_corners=False), 2 x - 1, the module. The network is one strided
convolution (kernel 13, stride 13: every one of the 299 x 299 pixels counts), ReLU, a global
average pool (the features) and a linear layer (the logits); its weights come from
torch.manual_seed(0).
"""
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "src", "test", "resources", "pfgm", "eval")


class TinyInception(nn.Module):
    """Features (b, 8) and logits (b, 5), the contract's tuple form."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, kernel_size=13, stride=13)  # 299 = 23 * 13
        self.fc = nn.Linear(8, 5)
        with torch.no_grad():
            self.conv.weight.mul_(10)  # features of order 1, so near misses show clearly

    def forward(self, x):
        features = F.relu(self.conv(x)).mean(dim=(2, 3))
        return features, self.fc(features)


class TinyInceptionFeaturesOnly(nn.Module):
    """The same features as (b, 8, 1, 1), as pytorch-fid's pool3 block gives them; no logits."""

    def __init__(self, conv):
        super().__init__()
        self.conv = conv

    def forward(self, x):
        return F.adaptive_avg_pool2d(F.relu(self.conv(x)), (1, 1))


def preprocess(pixels, align_corners=False, mode="bilinear"):
    """pytorch-fid's path from pixel values in [0, 255] to the network's input in [-1, 1]."""
    x = torch.from_numpy(pixels).to(torch.float32)
    if x.shape[1] == 1:
        x = x.repeat(1, 3, 1, 1)
    x = x / 255
    if mode == "area":
        x = F.interpolate(x, size=(299, 299), mode="area")
    else:
        x = F.interpolate(x, size=(299, 299), mode=mode, align_corners=align_corners)
    return 2 * x - 1


def save_script(module, path):
    """torch.jit.save without the debug records, which hold this script's absolute path.

    PYTHONHASHSEED=0 (see the end of this file) fixes the order of the scripted constants, so
    the file is byte for byte the same on every run.
    """
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "module.pt")
        torch.jit.save(torch.jit.script(module), full)
        reader = torch._C.PyTorchFileReader(full)
        writer = torch._C.PyTorchFileWriter(path)
        for name in reader.get_all_records():
            if not name.endswith(".debug_pkl"):
                data = reader.get_record(name)
                writer.write_record(name, data, len(data))
        writer.write_end_of_file()
        del writer
    torch.jit.load(path)  # still a readable module


def main():
    torch.manual_seed(0)
    model = TinyInception().eval()
    features_only = TinyInceptionFeaturesOnly(model.conv).eval()

    rng = np.random.default_rng(0)
    batches = {
        # enlarging from a small grayscale image (MNIST-like), channel repeated
        "gray": rng.integers(0, 256, size=(3, 1, 16, 16), dtype=np.uint8),
        # enlarging RGB (CIFAR-like)
        "rgb": rng.integers(0, 256, size=(2, 3, 32, 32), dtype=np.uint8),
    }
    # shrinking the height (320 -> 299) while enlarging the width (200 -> 299): pytorch-fid uses
    # plain bilinear (no antialiasing) both ways; a periodic pattern keeps the file small
    i, j = np.meshgrid(np.arange(320), np.arange(200), indexing="ij")
    batches["large"] = np.stack([(i * 7 + j * 3 + 85 * c) % 256 for c in range(3)])[None].astype(np.uint8)

    arrays = {}
    with torch.no_grad():
        for name, pixels in batches.items():
            x = preprocess(pixels)
            features, logits = model(x)
            assert torch.allclose(features_only(x).flatten(1), features, atol=1e-6)
            arrays[name + "_pixels"] = pixels
            arrays[name + "_features"] = features.numpy()
            arrays[name + "_logits"] = logits.numpy()
            arrays[name + "_probabilities"] = torch.softmax(logits.double(), dim=1).numpy()
            # The fixture must tell the standard preprocessing from near misses (InceptionNetworkTest
            # allows 1e-4 relative error; 1e-3 of the largest feature is ten times that).
            for wrong in [dict(align_corners=True), dict(mode="area"), dict(mode="bicubic")]:
                other, _ = model(preprocess(pixels, **wrong))
                gap = (other - features).abs().max().item()
                assert gap > 1e-3 * features.abs().max().item(), (name, wrong, gap)
            print(name, tuple(pixels.shape), "features", features.numpy().round(4).tolist()[0])

    os.makedirs(OUT, exist_ok=True)
    save_script(model, os.path.join(OUT, "inception-fixture.pt"))
    save_script(features_only, os.path.join(OUT, "inception-fixture-features-only.pt"))
    np.savez_compressed(os.path.join(OUT, "inception-fixture.npz"), **arrays)
    for name in ["inception-fixture.pt", "inception-fixture-features-only.pt", "inception-fixture.npz"]:
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    main()
