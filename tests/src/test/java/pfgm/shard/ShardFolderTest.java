package pfgm.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.eval.FeatureMoments;
import pfgm.eval.FeatureSet;
import pfgm.eval.GaussianStats;
import pfgm.util.Rng;

/** Shard files written, listed, checked and merged, on made-up draws (the real-run path is ShardedEvalTest). */
class ShardFolderTest {
    static final int N = 38;
    static final int BATCH = 8;
    static final Draw DRAW = new Draw("runs/x", 10, "ab12", "method = pfgm\nsampling.solver = euler\nsampling.steps = 3\n",
            "pfgm", "euler-3", 0, N, BATCH, "mnist");

    @TempDir
    Path dir;

    /** Features that float32 holds exactly, probabilities that it does not, samples: one draw's worth. */
    static final double[][] FEATURES = new double[N][6];
    static final double[][] PROBABILITIES = new double[N][3];
    static final float[][] SAMPLES = new float[N][4];
    static {
        Rng rng = new Rng(5);
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 6; k++) {
                FEATURES[i][k] = (float) (2 + rng.nextGaussian());
            }
            double a = Math.exp(rng.nextGaussian());
            double b = Math.exp(rng.nextGaussian());
            PROBABILITIES[i] = new double[] {a / (a + b + 1), b / (a + b + 1), 1 / (a + b + 1)};
            for (int k = 0; k < 4; k++) {
                SAMPLES[i][k] = (float) rng.nextGaussian();
            }
        }
    }

    static Shard shard(Draw draw, int index, int count) {
        BatchRange r = BatchRange.shard(draw.n(), draw.batchSize(), index, count);
        double[][] f = Arrays.copyOfRange(FEATURES, r.firstSample(), r.endSample());
        int[] nfe = new int[r.batches()];
        for (int b = 0; b < nfe.length; b++) {
            nfe[b] = 10 + r.first() + b; // batch b's NFE: 10 + b
        }
        return new Shard(draw, r, index + "/" + count, nfe, FeatureMoments.of(f),
                new FeatureSet(f, Arrays.copyOfRange(PROBABILITIES, r.firstSample(), r.endSample())),
                Arrays.copyOfRange(SAMPLES, r.firstSample(), r.endSample()));
    }

    @Test
    void aMergeIsTheWholeDrawInSeedOrder() throws Exception {
        // Written in reverse order and in two layouts that tile the draw together: 1/2 (batches 0-1), 3/4 and 4/4 (2-4).
        ShardFile.save(shard(DRAW, 4, 4), dir);
        ShardFile.save(shard(DRAW, 3, 4), dir);
        ShardFile.save(shard(DRAW, 1, 2), dir);
        Files.writeString(dir.resolve("notes.txt"), "not a shard");
        Merged merged = ShardFolder.merge(dir, true);
        assertEquals(3, merged.shards());
        assertEquals(DRAW, merged.draw());
        assertArrayEquals(FEATURES, merged.features().features(), "float32 storage loses nothing of float32 values");
        assertArrayEquals(PROBABILITIES, merged.features().probabilities(), "float64 storage of other values");
        assertEquals(12, merged.nfe(), "mean of 10..14");
        GaussianStats all = GaussianStats.of(FEATURES);
        GaussianStats fromMoments = merged.moments().stats();
        for (int k = 0; k < 6; k++) {
            assertEquals(all.mu()[k], fromMoments.mu()[k], 1e-12);
        }
        for (int k = 0; k < 36; k++) {
            assertEquals(all.sigma().getData()[k], fromMoments.sigma().getData()[k], 1e-11);
        }
        Merged momentsOnly = ShardFolder.merge(dir, false);
        assertNull(momentsOnly.features());
        assertArrayEquals(merged.moments().scatter(), momentsOnly.moments().scatter());
        float[][] samples = ShardFile.samples(dir.resolve("batches-00000000-00000001.npz"));
        assertArrayEquals(Arrays.copyOfRange(SAMPLES, 0, 16), samples);
    }

    @Test
    void aMissingShardIsNamed() throws Exception {
        ShardFile.save(shard(DRAW, 1, 3), dir);
        ShardFile.save(shard(DRAW, 3, 3), dir);
        String message = mergeError();
        assertTrue(message.contains("lacks batches 1-2 (samples 8-23) (--shard 2/3)"), message);
        Files.delete(dir.resolve("batches-00000003-00000004.npz"));
        message = mergeError();
        assertTrue(message.contains("lacks batches 1-4 (samples 8-37) (--shard 2/3, --shard 3/3)"), message);
    }

    @Test
    void overlapsAreRefused() throws Exception {
        ShardFile.save(shard(DRAW, 1, 2), dir); // batches 0-1
        ShardFile.save(shard(DRAW, 2, 5), dir); // batch 1
        ShardFile.save(shard(DRAW, 2, 2), dir);
        String message = mergeError();
        assertTrue(message.contains("batches-00000000-00000001.npz and batches-00000001-00000001.npz") && message.contains("overlap"),
                message);
    }

    @Test
    void shardsOfDifferentDrawsAreRefused() throws Exception {
        Draw otherSeed = new Draw("elsewhere/x", 10, "ab12", DRAW.settings(), "pfgm", "euler-3", 1, N, BATCH, "mnist");
        Draw otherRun = new Draw("runs/y", 20, "cd34", DRAW.settings(), "pfgm", "euler-3", 0, N, BATCH, "mnist");
        Draw otherSteps = new Draw("runs/x", 10, "ab12", DRAW.settings().replace("steps = 3", "steps = 10"), "pfgm", "euler-10", 0,
                N, BATCH, "mnist");
        Draw otherFeatures = new Draw("runs/x", 10, "ab12", DRAW.settings(), "pfgm", "euler-3", 0, N, BATCH, "inception:a.pt");
        ShardFile.save(shard(DRAW, 1, 2), dir);
        Path second = ShardFile.save(shard(otherSeed, 2, 2), dir);
        assertTrue(mergeError().contains("seed 1 in batches-00000002-00000004.npz, 0 in batches-00000000-00000001.npz"), mergeError());
        ShardFile.save(shard(otherRun, 2, 2), dir);
        assertTrue(mergeError().contains("the checkpoint") && mergeError().contains("step 20"), mergeError());
        ShardFile.save(shard(otherSteps, 2, 2), dir);
        assertTrue(mergeError().contains("'sampling.steps = 10' in batches-00000002"), mergeError());
        ShardFile.save(shard(otherFeatures, 2, 2), dir);
        assertTrue(mergeError().contains("features inception:a.pt in"), mergeError());
        String refused = assertThrows(IllegalArgumentException.class, () -> ShardFolder.requireOnly(dir, DRAW)).getMessage();
        assertTrue(refused.contains("already holds shards of another draw") && refused.contains("features mnist here"), refused);
        Files.delete(second);
        ShardFolder.requireOnly(dir, DRAW);
        ShardFolder.requireOnly(dir.resolve("absent"), DRAW);
    }

    @Test
    void emptyFoldersAndDamagedFilesGetOneClearMessage() throws Exception {
        assertTrue(mergeError().contains("holds no shard files"), mergeError());
        String absent = assertThrows(IllegalArgumentException.class, () -> ShardFolder.merge(dir.resolve("no"), true)).getMessage();
        assertTrue(absent.contains("does not exist"), absent);
        Path file = ShardFile.save(shard(DRAW, 1, 1), dir);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(mergeError().contains("batches-00000000-00000004.npz"), mergeError());
        // A valid shard under a name that claims other batches (the truncated file is overwritten, then renamed).
        Files.move(ShardFile.save(shard(DRAW, 1, 1), dir), dir.resolve("batches-00000000-00000003.npz"));
        assertTrue(mergeError().contains("is named otherwise"), mergeError());
    }

    private String mergeError() {
        return assertThrows(IllegalArgumentException.class, () -> ShardFolder.merge(dir, true)).getMessage();
    }
}
