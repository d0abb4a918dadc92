package pfgm.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pfgm.ManagedArrays;
import pfgm.config.Settings;
import pfgm.io.NumPy;
import pfgm.method.sde.Sde;
import pfgm.nn.Network;
import pfgm.run.Run;
import pfgm.run.RunSettings;

/**
 * A score-SDE checkpoint imported into the kit's SDE preset gives score-SDE's score. The fixtures
 * (environment/checkpoints/make_sde_fixture.py) are small networks of score-SDE's continuous
 * CIFAR-10 configs (nf 8, ch_mult (1, 2), 8 x 8 images) with random weights and distinct EMA
 * weights, converted by convert_official.py, and the official score at fixed (x, t): models/utils.py
 * get_score_fn(sde, model, train=False, continuous=True). The kit's score is the imported run's
 * method ({@link Sde#score}: its label of t into the network, its output-to-score factor) at the
 * same point.
 *
 * <p>The VE config trains on [0, 1] pixels (data.centered = False): its x is y in those units, the
 * kit's is 2 y - 1, and the kit's score, in its units, is half the official one
 * (grad_x log p = grad_y log p / 2).
 */
class OfficialSdeScoreTest extends ManagedArrays {
    /** Per point, largest |kit - official| over the largest |official|. */
    static final double TOLERANCE = 1e-4;
    static final List<String> SMALL = List.of("network.nf=8", "network.chMult=1,2", "network.numResBlocks=1",
            "network.imageSize=8", "network.attnResolutions=4");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"vp_ddpmpp, cifar10_vp_ddpmpp", "subvp_ddpmpp, cifar10_subvp_ddpmpp", "ve_ncsnpp, cifar10_ve_ncsnpp"})
    void anImportedScoreSdeCheckpointGivesTheOfficialScore(String name, String presetName) throws Exception {
        Path workdir = dir.resolve(name);
        RunSettings settings = new RunSettings(presetName, Settings.assignments(SMALL));
        String line = OfficialCheckpoint.importRun(OfficialNetworkTest.fixture("sde_" + name + ".npz"), settings, workdir);
        Map<String, NDArray> io = NumPy.readAll(manager, OfficialNetworkTest.fixture("sde_" + name + "-io.npz"));
        boolean centered = io.get("centered").toType(DataType.INT32, false).getInt() != 0;
        assertEquals(!centered, line.contains("rescaled by 2"), line);
        NDArray x = io.get("x");
        long n = x.getShape().get(0);
        NDArray rows = x.reshape(n, -1).toType(DataType.FLOAT32, false);
        // The kit's data and score in its [-1, 1] units.
        NDArray kitX = centered ? rows : rows.mul(2).sub(1);
        double[] t = io.get("t").toType(DataType.FLOAT64, false).toDoubleArray();
        Map<String, Double> errors = new LinkedHashMap<>();
        try (Run run = Run.reopen(workdir, Device.cpu())) {
            Sde sde = (Sde) run.method();
            for (boolean ema : new boolean[] {false, true}) {
                Network network = ema ? run.trainer().emaModel() : run.trainer().currentModel();
                NDArray expected = io.get(ema ? "ema_score" : "model_score").reshape(n, -1).toType(DataType.FLOAT64, false);
                NDArray other = io.get(ema ? "model_score" : "ema_score").reshape(n, -1).toType(DataType.FLOAT64, false);
                double worst = 0;
                for (int i = 0; i < n; i++) {
                    NDArray score = sde.score(network, kitX.get(i + ":" + (i + 1)), t[i]).toType(DataType.FLOAT64, false);
                    NDArray official = expected.get(i + ":" + (i + 1));
                    if (!centered) {
                        official = official.div(2);
                    }
                    double error = relativeError(score, official);
                    worst = Math.max(worst, error);
                    // The check can fail: the other weight set's official score is far from this one.
                    NDArray otherScore = other.get(i + ":" + (i + 1));
                    assertTrue(relativeError(score, centered ? otherScore : otherScore.div(2)) > 100 * TOLERANCE, "t = " + t[i]);
                }
                errors.put(ema ? "ema" : "model", worst);
            }
        }
        System.out.printf("official score-SDE %s in %s: largest relative error of the score per point %s%n", name, presetName,
                errors);
        errors.forEach((weights, error) -> assertTrue(error <= TOLERANCE, name + " " + weights + " weights: " + error));
    }

    static double relativeError(NDArray got, NDArray expected) {
        return got.sub(expected).abs().max().getDouble() / expected.abs().max().getDouble();
    }
}
