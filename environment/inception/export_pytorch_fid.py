#!/usr/bin/env python3
"""Exports pytorch-fid's FID Inception network to the TorchScript file the kit loads.

NOT RUN IN THIS REPOSITORY with pytorch-fid or the real weights: its machines have neither and
cannot download them. It was written from pytorch-fid's src/pytorch_fid/inception.py (InceptionV3
and fid_inception_v3); the only run was a dry run (torch 1.13) with that file, a stand-in for
torchvision's Inception blocks and random weights of the FID shapes, whose export passed the checks
below and loaded in the kit. The tiny stand-in the kit's tests use (make_fixture.py) follows the
same contract. Run it once on a machine with Python, torch, torchvision and pytorch-fid
(pip install pytorch-fid), then copy the file over:

    python3 export_pytorch_fid.py inception-fid.pt           # downloads the weights (~100 MB)
    python3 export_pytorch_fid.py inception-fid.pt --weights pt_inception-2015-12-05-6726825d.pth

and give it to the kit with --features inception:PATH or PFGM_INCEPTION=PATH. The kit runs
libtorch 2.5.1: if it cannot read the file, export with a torch no newer than 2.5.

The contract (pfgm.eval.InceptionNetwork, make_fixture.py): the kit takes images (b, C, H, W) with
pixel values in [0, 255] (C = 1 repeated to 3 channels), resizes them to 299 x 299 with
interpolate(mode="bilinear", align_corners=False) (no antialiasing, also when shrinking), scales
them to [-1, 1] (x / 127.5 - 1) and calls forward(x) on that (b, 3, 299, 299) float32 tensor. This
is exactly what pytorch-fid's InceptionV3.forward does to images in [0, 1] (resize_input=True,
normalize_input=True), so the module here holds only the network:

    forward(x) -> (features (b, 2048), logits (b, 1008))

features: pytorch-fid's default output (block 3, the final average pool, "pool3"), what FID
compares. logits: the network's fully connected layer on those features (1008 classes: the 2015
TensorFlow graph's ImageNet classes plus unused ones), softmax(logits) are the probabilities the
Inception score uses. Two conventions exist for these logits: TF-GAN, which the PFGM paper's
evaluation used, takes the layer with its bias (the default here); the original Inception score
code (openai/improved-gan) and torch-fidelity/torchmetrics ("logits_unbiased") leave the bias
out, which --unbiased-logits does. pytorch-fid itself computes no Inception score.

FID from this file equals pytorch-fid's; numbers from TensorFlow pipelines (TF-GAN, the original
TTUR code) differ slightly, mainly because their resize differs.

Before saving, the script checks the module against pytorch-fid's own InceptionV3 on random images
of a few sizes, and the saved file against the module.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F


class FidInceptionContract(nn.Module):
    """pytorch-fid's InceptionV3 blocks 0-3 without the resize and scaling, plus the classifier."""

    def __init__(self, blocks, fc, unbiased_logits=False):
        super().__init__()
        # blocks: pytorch-fid's InceptionV3(output_blocks=[3]).blocks: Conv2d_1a..2b + max pool,
        # Conv2d_3b, 4a + max pool, Mixed_5b..6e, Mixed_7a..7c + adaptive average pool to 1 x 1
        self.blocks = nn.Sequential(*blocks)
        self.fc = fc
        self.unbiased_logits = unbiased_logits

    def forward(self, x):
        features = torch.flatten(self.blocks(x), 1)  # (b, 2048, 1, 1) -> (b, 2048)
        if self.unbiased_logits:
            logits = F.linear(features, self.fc.weight)
        else:
            logits = self.fc(features)
        return features, logits


def kit_preprocess(images01):
    """What the kit does to pixel values (here images01 * 255), written out in torch."""
    pixels = images01 * 255
    x = F.interpolate(pixels, size=(299, 299), mode="bilinear", align_corners=False)
    return x / 127.5 - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", nargs="?", default="inception-fid.pt", help="TorchScript file to write")
    parser.add_argument("--weights", help="pytorch-fid's weights file (pt_inception-2015-12-05-6726825d.pth)"
                        " instead of downloading it")
    parser.add_argument("--unbiased-logits", action="store_true",
                        help="logits without the classifier's bias (improved-gan, torch-fidelity)")
    args = parser.parse_args()

    import pytorch_fid.inception as pfi

    if args.weights:
        local = torch.load(args.weights, map_location="cpu")
        # fid_inception_v3 loads its state dict through this module-level name
        pfi.load_state_dict_from_url = lambda *a, **k: local

    reference = pfi.InceptionV3([pfi.InceptionV3.BLOCK_INDEX_BY_DIM[2048]]).eval()  # resizes, scales
    classifier = pfi.fid_inception_v3().eval()  # the same weights; for its fc (2048 -> 1008)
    assert classifier.fc.out_features == 1008, classifier.fc
    model = FidInceptionContract(reference.blocks, classifier.fc, args.unbiased_logits).eval()
    for p in model.parameters():
        p.requires_grad_(False)

    # Tracing (not scripting: pytorch-fid's patched blocks rebind a list variable to a tensor, which
    # TorchScript rejects); the network has no data-dependent control flow. Batch size stays free.
    with torch.no_grad():
        example = kit_preprocess(torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(0)))
        traced = torch.jit.trace(model, example)
        torch.jit.save(traced, args.output)
        loaded = torch.jit.load(args.output)

        generator = torch.Generator().manual_seed(1)
        for shape in [(3, 3, 32, 32), (2, 3, 64, 48), (1, 3, 320, 310)]:
            images = torch.rand(*shape, generator=generator)
            expected = reference(images)[0].flatten(1)  # pytorch-fid on images in [0, 1]
            features, logits = loaded(kit_preprocess(images))
            assert features.shape == (shape[0], 2048) and logits.shape == (shape[0], 1008)
            gap = (features - expected).abs().max().item()
            assert gap < 1e-4 * max(1.0, expected.abs().max().item()), f"features differ by {gap} for {shape}"
            bias = 0 if args.unbiased_logits else classifier.fc.bias
            expected_logits = expected @ classifier.fc.weight.T + bias
            gap = (logits - expected_logits).abs().max().item()
            assert gap < 1e-3 * max(1.0, expected_logits.abs().max().item()), f"logits differ by {gap} for {shape}"
    print(f"wrote {args.output}: forward(x (b, 3, 299, 299) in [-1, 1]) -> (features (b, 2048), logits (b, 1008)"
          f"{', without bias' if args.unbiased_logits else ''}); torch {torch.__version__}; matches pytorch-fid")


if __name__ == "__main__":
    main()
