package pfgm.experiment;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.util.List;
import java.util.function.DoubleConsumer;
import pfgm.run.Run;

/** Scores a run's samples: image metrics under a feature network, or the toy metrics of a 2-D set. */
interface Scorer extends AutoCloseable {
    /** Names of the numbers {@link #score} returns, in order (the result table's columns). */
    List<String> columns();

    /**
     * @param samples (n, N) samples as the run draws them (centred images, or 2-D points)
     * @param progress hears the fraction of the scoring done (feature extraction)
     */
    double[] score(Run run, NDArray samples, long seed, DoubleConsumer progress) throws IOException;

    /** What the scores were computed with, for the row's provenance: the feature network's identity, or the toy set's density. */
    String features(Run run) throws IOException;

    @Override
    void close();
}
