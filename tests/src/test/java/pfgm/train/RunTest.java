package pfgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real mnist_small preset (environment/test fetches MNIST first). */
class RunTest {
    @TempDir
    Path dir;

    /**
     * Two runs of 50 steps from the same seed give identical losses, every one finite: nothing in
     * a step depends on timing, the garbage collector or memory nobody wrote.
     */
    @Test
    void twoFixedSeedMnistSmallRunsGiveIdenticalLosses() throws Exception {
        List<Double> first = losses(dir.resolve("a"));
        List<Double> second = losses(dir.resolve("b"));
        assertEquals(50, first.size());
        assertTrue(first.stream().allMatch(Double::isFinite), "losses " + first);
        assertEquals(first, second);
    }

    private static List<Double> losses(Path workdir) throws Exception {
        List<Double> losses = new ArrayList<>();
        try (Run run = Run.open("mnist_small", Map.of("train.steps", "50", "snapshotEvery", "0"), workdir, Device.cpu())) {
            run.trainer().addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    losses.add(loss);
                }
            });
            run.trainer().train();
        }
        return losses;
    }
}
