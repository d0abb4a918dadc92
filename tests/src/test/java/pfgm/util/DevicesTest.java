package pfgm.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The device lists of data-parallel training (pfgm train --devices, PFGM_DEVICES). */
class DevicesTest {
    @Test
    void aListNamesOneReplicaPerEntryAndMayRepeatADevice() {
        assertEquals(List.of(Device.cpu(), Device.cpu()), Devices.list("cpu,cpu"));
        assertEquals(List.of(Device.cpu(), Device.cpu(), Device.cpu()), Devices.list(" cpu , CPU,cpu "));
        assertEquals(List.of(Device.cpu()), Devices.list("cpu"));
    }

    @Test
    void allIsEveryGpuOrTheCpuWhenThereIsNone() {
        int gpus = Engine.getInstance().getGpuCount();
        List<Device> expected = gpus == 0 ? List.of(Device.cpu()) : IntStream.range(0, gpus).mapToObj(Device::gpu).toList();
        assertEquals(expected, Devices.list("all"));
        assertEquals(expected, Devices.list("ALL"));
    }

    @Test
    void anUnknownOrAbsentDeviceOrAnEmptyEntryIsRefusedClearly() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> Devices.list("cpu,tpu"));
        assertEquals("in the device list 'cpu,tpu': unknown device 'tpu': use auto, cpu, gpu or gpu:N", unknown.getMessage());
        // one GPU more than PyTorch sees: none on a CPU-only machine
        String absent = "cpu,gpu:" + Engine.getInstance().getGpuCount();
        var missing = assertThrows(IllegalArgumentException.class, () -> Devices.list(absent));
        assertTrue(missing.getMessage().startsWith("in the device list '" + absent + "': ")
                && missing.getMessage().contains("PyTorch sees"), missing.getMessage());
        for (String empty : new String[] {"cpu,,cpu", "cpu,", "", " "}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Devices.list(empty), empty);
            assertTrue(e.getMessage().contains("has an empty entry"), e.getMessage());
        }
    }

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
