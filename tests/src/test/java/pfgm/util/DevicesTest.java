package pfgm.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DevicesTest {

    /** The trainer's check of a batch against its weights: names both devices and the fix, before PyTorch's own error. */
    @Test
    void arraysOnDifferentDevicesAreNamedWithTheFix() {
        Devices.requireSame(Device.cpu(), Device.cpu(), "the training batch", "unused");
        var e = assertThrows(IllegalStateException.class,
                () -> Devices.requireSame(Device.cpu(), Device.gpu(1), "the training batch", "make it with the manager given"));
        assertEquals("the training batch is on cpu() but must be on gpu(1): make it with the manager given", e.getMessage());
    }

    @Test
    void unknownDeviceNamesSayWhatIsAccepted() {
        assertEquals(Device.cpu(), Devices.resolve("CPU"));
        var e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve("cuda"));
        assertEquals("unknown device 'cuda': use auto, cpu, gpu or gpu:N", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve("gpu:-1"));
        assertEquals("unknown device 'gpu:-1': gpu:N takes a GPU number N >= 0, such as gpu:1", e.getMessage());
    }
}
