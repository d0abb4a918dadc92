package pfgm.util;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread and starts on. DJL turns it off in the thread that loads
 * the engine, and a GradientCollector restores whatever it found, so in any other thread (a
 * Jupyter cell, a worker) weight updates after a backward pass would be recorded, and in-place
 * updates of parameters fail. Calls that update weights or sample turn it off first.
 */
public final class GradMode {
    private GradMode() {}

    public static void off() {
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }
}
