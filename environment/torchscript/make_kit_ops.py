#!/usr/bin/env python3
"""Writes lib/src/main/resources/pfgm/util/kit_ops.pt: PyTorch functions DJL 0.33 has no call for.

Also the optimizer: torch.optim.Adam's step, clip_grad_norm_'s norm and the official EMA over all
parameters in one call each (pfgm.train.Trainer), instead of a native call or more per
parameter tensor through DJL; on the 61.8M-parameter CIFAR-10 DDPM++ that spelled-out form took
twice PyTorch's time (extra passes over memory: DJL's fused Adam clones the gradient and adds a
zero weight decay).

    /usr/bin/python3 environment/torchscript/make_kit_ops.py     (Debian's python3-torch 1.13 made the committed file)

DJL's PyTorch engine exposes layer_norm but not group_norm, and no SiLU. Spelled out in the ops it
has (layer_norm on (b, groups, -1) plus a per-channel multiply and add; x * sigmoid(x)) they cost
three to four kernels forward and more backward where PyTorch runs one fused kernel each way; in a
DDPM++ training step that was about a tenth of the time. This TorchScript module holds the two
functions; pfgm.util.TorchOps loads it once and calls it with autograd on. It has no parameters or
buffers, so one module serves every device. The eps of GroupNorm is the official networks' 1e-6.
The groups count arrives as the length of a marker tensor (TorchScript methods called through DJL
take tensors only; a length needs no device synchronization, unlike a tensor's value).
"""
import os
import sys

import torch
from typing import List

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "src", "main", "resources",
                   "pfgm", "util", "kit_ops.pt")


class KitOps(torch.nn.Module):
    def forward(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, groups: torch.Tensor) -> torch.Tensor:
        """torch.nn.GroupNorm(groups.size(0), C, eps=1e-6) with the given affine weight and bias."""
        return torch.group_norm(x, groups.size(0), weight, bias, 1e-6)

    @torch.jit.export
    def silu(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten.silu(x)

    @torch.jit.export
    def grad_norm(self, grads: List[torch.Tensor]) -> torch.Tensor:
        """torch.nn.utils.clip_grad_norm_'s total norm: the 2-norm of the per-tensor 2-norms."""
        # linalg.vector_norm, not torch.norm: the latter scripts to frobenius_norm, which PyTorch 2.5 warns
        # is deprecated on every run.
        return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))

    @torch.jit.export
    def adam_(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
              exp_avg_sqs: List[torch.Tensor], hyper: torch.Tensor) -> None:
        """torch.optim.Adam's step as it runs on the CPU (its single-tensor form, no weight decay, no
        amsgrad) after clip_grad_norm_'s scaling; each gradient is zeroed afterwards. hyper (float64,
        CPU): beta1, beta2, lr / (1 - beta1^t), sqrt(1 - beta2^t), eps, clip factor (1: none).
        Tensor by tensor, like PyTorch's CPU default: the multi-tensor (foreach) form allocates the
        denominators of all tensors at once, which on a 62M-weight network is fresh memory (page
        faults) every step."""
        beta1 = float(hyper[0])
        beta2 = float(hyper[1])
        step_size = float(hyper[2])
        bias_correction2_sqrt = float(hyper[3])
        eps = float(hyper[4])
        clip = float(hyper[5])
        for i in range(len(params)):
            grad = grads[i]
            if clip != 1.0:
                grad.mul_(clip)
            exp_avgs[i].mul_(beta1).add_(grad, alpha=1 - beta1)
            exp_avg_sqs[i].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            # sqrt(v + the smallest normal float) rather than sqrt(v): PyTorch 2.5.1's AVX-512 sqrt is
            # about ten times slower on subnormal inputs on the kit's machines, and tiny gradients (the
            # output layers start at 1e-10) leave many v subnormal. The difference is below 2e-19 in
            # absolute terms, invisible once eps (1e-8) is added: the same denominators in float32.
            denom = torch.add(exp_avg_sqs[i], 1.1754943508222875e-38).sqrt_().div_(bias_correction2_sqrt).add_(eps)
            params[i].addcdiv_(exp_avgs[i], denom, value=-step_size)
            grad.zero_()

    @torch.jit.export
    def ema_(self, shadow: List[torch.Tensor], params: List[torch.Tensor], one_minus_decay: torch.Tensor) -> None:
        """The official ExponentialMovingAverage.update: s -= (1 - decay) * (s - p), tensor by tensor."""
        c = float(one_minus_decay)
        for i in range(len(shadow)):
            shadow[i].sub_(torch.sub(shadow[i], params[i]).mul_(c))


def main():
    module = torch.jit.script(KitOps())
    x = torch.randn(2, 8, 3, 3, dtype=torch.float64)
    w, b = torch.randn(8, dtype=torch.float64), torch.randn(8, dtype=torch.float64)
    expected = torch.nn.functional.group_norm(x, 2, w, b, 1e-6)
    assert torch.allclose(module(x, w, b, torch.empty(2)), expected)
    assert torch.allclose(module.silu(x), x * torch.sigmoid(x))
    # The optimizer methods against torch.optim.Adam (after clip_grad_norm_) and the official EMA formula.
    torch.manual_seed(0)
    ps = [torch.randn(3, 4, requires_grad=True), torch.randn(5, requires_grad=True)]
    qs = [p.detach().clone().requires_grad_(True) for p in ps]
    adam = torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    m = [torch.zeros_like(p) for p in qs]
    v = [torch.zeros_like(p) for p in qs]
    shadow = [p.detach().clone() for p in qs]
    reference = [p.detach().clone() for p in ps]
    for t in range(1, 4):
        for group in (ps, qs):
            loss = sum((p ** 2 * (i + 2)).sum() for i, p in enumerate(group))
            loss.backward()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm=1.0)
        with torch.no_grad():
            norm = module.grad_norm([q.grad for q in qs])
            assert torch.allclose(norm, total)
            clip = min(1.0 / (float(norm) + 1e-6), 1.0)
            hyper = torch.tensor([0.9, 0.999, 0.01 / (1 - 0.9 ** t), (1 - 0.999 ** t) ** 0.5, 1e-8, clip], dtype=torch.float64)
            module.adam_(qs, [q.grad for q in qs], m, v, hyper)
            module.ema_(shadow, qs, torch.tensor(0.25, dtype=torch.float64))
        adam.step()
        adam.zero_grad()
        with torch.no_grad():
            for s, p in zip(reference, ps):
                s.sub_(0.25 * (s - p))
        for p, q, s, r in zip(ps, qs, shadow, reference):
            assert torch.allclose(p, q, rtol=1e-6, atol=1e-7), (p, q)
            assert torch.allclose(s, r, rtol=1e-6, atol=1e-7)
            assert not q.grad.any()
    module.save(OUT)
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    sys.exit(main())
