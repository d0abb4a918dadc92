package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import pfgm.data.Datasets;
import pfgm.data.Split;

/**
 * Trains (or loads from data/cache) the feature classifiers and checks the accuracy bars
 * on the test splits: 98% on MNIST, 88% on Fashion-MNIST.
 */
class DigitClassifierTest {

    static double testAccuracy(String name) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                DigitClassifier classifier = DigitClassifier.forDataset(name, Datasets.dataDirectory().resolve("cache"), 0,
                        System.out::println)) {
            double accuracy = classifier.accuracy(Datasets.load(manager, name, Split.TEST));
            System.out.printf("%s test accuracy %.4f%n", name, accuracy);
            return accuracy;
        }
    }

    @Test
    void mnistClassifierReaches98Percent() throws Exception {
        assertTrue(testAccuracy("mnist") >= 0.98);
    }

    @Test
    void fashionClassifierReaches88Percent() throws Exception {
        assertTrue(testAccuracy("fashion") >= 0.88);
    }

    @Test
    void featuresOfASetAgainstItselfGiveZeroFid() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                DigitClassifier classifier = DigitClassifier.forDataset("mnist", Datasets.dataDirectory().resolve("cache"), 0,
                        System.out::println)) {
            var test = Datasets.load(manager, "mnist", Split.TEST).head(2000);
            double[][] f = FeatureSet.extract(classifier, test.images()).features();
            assertEquals(DigitClassifier.FEATURES, f[0].length);
            GaussianStats half1 = GaussianStats.of(java.util.Arrays.copyOfRange(f, 0, 1000));
            GaussianStats half2 = GaussianStats.of(java.util.Arrays.copyOfRange(f, 1000, 2000));
            assertEquals(0, Fid.distance(half1, half1), 1e-6);
            assertTrue(Fid.distance(half1, half2) < 5, "two halves of the test set are close: " + Fid.distance(half1, half2));
        }
    }
}
