package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import pfgm.util.Scalars;

/**
 * PyTorch's fused group_norm and silu, which DJL 0.33 has no call for, from a small TorchScript
 * module ({@code kit_ops.pt}, written by environment/torchscript/make_kit_ops.py) run with autograd
 * on. Spelled out in the ops DJL has, GroupNorm was a layer norm plus a per-channel multiply and
 * add, and SiLU x * sigmoid(x): several kernels each way where PyTorch runs one, about a tenth of a
 * DDPM++ training step. Calling a TorchScript method costs tens of microseconds; the kernels it
 * saves cost milliseconds. The module has no tensors of its own, so it serves every device.
 */
final class TorchOps {
    /** The eps compiled into the module: the official networks' GroupNorm eps. */
    static final float GROUP_NORM_EPS = 1e-6f;
    /**
     * Off with {@code -Dpfgm.nn.torchscript=false}: GroupNorm and SiLU then use DJL's own ops (a
     * layer norm plus an affine, x * sigmoid(x)), for engines that cannot load TorchScript and for
     * timing the difference.
     */
    static volatile boolean enabled = !"false".equals(System.getProperty("pfgm.nn.torchscript"));
    private static PtSymbolBlock module;
    private static NDArray siluMethod;

    private TorchOps() {}

    private static synchronized PtSymbolBlock module() {
        if (module == null) {
            NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
            try (InputStream in = TorchOps.class.getResourceAsStream("kit_ops.pt")) {
                if (in == null) {
                    throw new IllegalStateException("kit_ops.pt is missing from the library's resources");
                }
                module = JniUtils.loadModule((PtNDManager) manager, in, true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // DJL picks the module's method from an input array named "module_method:<name>".
            siluMethod = manager.zeros(new Shape(0));
            NDScope.unregister(siluMethod);
            siluMethod.setName("module_method:silu");
        }
        return module;
    }

    /** GroupNorm of x (b, C, ...) into {@code groups} groups with eps 1e-6, scaled and shifted per channel. */
    static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta) {
        PtSymbolBlock ops = module();
        // The groups count travels as the length of an (empty-valued) marker: TorchScript methods
        // take tensors here, and reading a tensor's length needs no device synchronization.
        NDArray marker = Scalars.constant(x, new Shape(groups), 0);
        return IValueUtils.forward(ops, new NDList(x, gamma, beta, marker), true).singletonOrThrow();
    }

    /** x * sigmoid(x) in one kernel each way. */
    static NDArray silu(NDArray x) {
        PtSymbolBlock ops = module();
        return IValueUtils.forward(ops, new NDList(x, siluMethod), true).singletonOrThrow();
    }
}
