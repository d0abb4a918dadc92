package pfgm.util;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * PyTorch functions DJL 0.33 has no call for, from a small TorchScript module ({@code kit_ops.pt},
 * written by environment/torchscript/make_kit_ops.py, where each is checked against PyTorch):
 * <ul>
 *   <li>group_norm and silu, run with autograd on. Spelled out in the ops DJL has, GroupNorm was a
 *       layer norm plus a per-channel multiply and add, and SiLU x * sigmoid(x): several kernels
 *       each way where PyTorch runs one, about a tenth of a DDPM++ training step. A TorchScript
 *       call costs tens of microseconds; the kernels it saves cost milliseconds.
 *   <li>the optimizer over all parameter tensors in one call each: clip_grad_norm_'s total norm,
 *       torch.optim.Adam's multi-tensor step, the official EMA update (no autograd).
 * </ul>
 * The module has no tensors of its own, so it serves every device. {@code -Dpfgm.torchscript=false}
 * turns it off: the callers then use DJL's own ops, for engines that cannot load TorchScript and
 * for timing the difference.
 */
public final class TorchOps {
    /** The eps compiled into the module's group_norm: the official networks' GroupNorm eps. */
    public static final float GROUP_NORM_EPS = 1e-6f;
    /** Whether the callers use the module (a field, so a benchmark can switch it between steps). */
    public static volatile boolean enabled = !"false".equals(System.getProperty("pfgm.torchscript"));
    private static PtSymbolBlock module;
    private static NDArray siluMethod;

    private TorchOps() {}

    private static synchronized PtSymbolBlock module() {
        if (module == null) {
            // cpu: the module holds no tensors, so one copy serves the weights on every device; the
            // silu marker made here only names a method and never reaches the module.
            NDManager manager = NDManager.newBaseManager(Device.cpu());
            try (InputStream in = TorchOps.class.getResourceAsStream("kit_ops.pt")) {
                if (in == null) {
                    throw new IllegalStateException("kit_ops.pt is missing from the library's resources");
                }
                module = JniUtils.loadModule((PtNDManager) manager, in, true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // DJL picks the method of a call with tensor inputs from an input named "module_method:<name>".
            siluMethod = manager.zeros(new Shape(0));
            NDScope.unregister(siluMethod);
            siluMethod.setName("module_method:silu");
        }
        return module;
    }

    /** GroupNorm of x (b, C, ...) into {@code groups} groups with eps 1e-6, scaled and shifted per channel. */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta) {
        PtSymbolBlock ops = module();
        // The groups count travels as the length of a marker: the module's methods take tensors, and
        // reading a tensor's length needs no device synchronization (its value would).
        NDArray marker = Scalars.constant(x, new Shape(groups), 0);
        return IValueUtils.forward(ops, new NDList(x, gamma, beta, marker), true).singletonOrThrow();
    }

    /** x * sigmoid(x) in one kernel each way. */
    public static NDArray silu(NDArray x) {
        PtSymbolBlock ops = module();
        return IValueUtils.forward(ops, new NDList(x, siluMethod), true).singletonOrThrow();
    }

    /** The 2-norm of all the tensors together (clip_grad_norm_'s: the norm of the per-tensor norms), read back. */
    public static double globalNorm(List<NDArray> tensors) {
        IValue list = list(tensors);
        try (IValue norm = IValueUtils.runMethod(module(), "grad_norm", list)) {
            NDManager manager = tensors.get(0).getManager();
            try (NDArray value = norm.toTensor((PtNDManager) manager)) {
                return value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        } finally {
            list.close();
        }
    }

    /**
     * torch.optim.Adam's step over all parameters after scaling the gradients by {@code clip}
     * (clip_grad_norm_'s factor; 1 for none), then zeroes the gradients. {@code stepSize} is
     * lr / (1 - beta1^t), {@code sqrtCorrection2} sqrt(1 - beta2^t).
     */
    public static void adam(List<NDArray> params, List<NDArray> grads, List<NDArray> means, List<NDArray> variances,
            double beta1, double beta2, double stepSize, double sqrtCorrection2, double eps, double clip) {
        // cpu: whatever the weights' device, the module reads these numbers with float(), which for a
        // CUDA tensor is a device synchronization each (six per step); for a CPU tensor, a memory read.
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try (manager) {
            NDArray hyper = manager.create(new double[] {beta1, beta2, stepSize, sqrtCorrection2, eps, clip});
            run("adam_", list(params), list(grads), list(means), list(variances), IValue.from((PtNDArray) hyper));
        }
    }

    /** The official EMA update of every shadow tensor: s -= (1 - decay) (s - p). */
    public static void ema(List<NDArray> shadow, List<NDArray> params, double oneMinusDecay) {
        NDManager manager = NDManager.newBaseManager(Device.cpu()); // cpu: read with float(), as adam's numbers
        try (manager) {
            NDArray value = manager.create(oneMinusDecay);
            run("ema_", list(shadow), list(params), IValue.from((PtNDArray) value));
        }
    }

    private static void run(String method, IValue... inputs) {
        try {
            IValueUtils.runMethod(module(), method, inputs).close();
        } finally {
            for (IValue input : inputs) {
                input.close();
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }
}
