package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pfgm.ManagedArrays;

/**
 * The packaged data sets as environment/fetch-data leaves them. These tests fail (with the fetch
 * hint from {@link Datasets}) rather than skip when the data is absent: environment/test fetches
 * it first. The mean pixels are the well-known normalization constants (0.1307 and 0.2860 of 255).
 */
class RealDataTest extends ManagedArrays {

    @ParameterizedTest
    @CsvSource({"mnist, train, 60000, 0.1307", "mnist, test, 10000, 0.1325",
        "fashion, train, 60000, 0.2860", "fashion, test, 10000, 0.2868"})
    void packagedSetHasItsKnownSizeLabelsAndMeanPixel(String name, String split, int count, double meanPixel) {
        try (ImageData data = Datasets.load(manager, name, Split.valueOf(split.toUpperCase()))) {
            assertEquals(new Shape(count, 1, 28, 28), data.images().getShape());
            assertEquals(DataType.UINT8, data.images().getDataType());
            int[] labels = data.labels().toIntArray();
            int[] perClass = new int[10];
            for (int label : labels) {
                assertTrue(label >= 0 && label <= 9, "label " + label);
                perClass[label]++;
            }
            for (int c = 0; c < 10; c++) {
                assertTrue(perClass[c] > count / 20, name + " class " + c + " has " + perClass[c] + " images");
            }
            double mean = data.images().toType(DataType.FLOAT64, false).mean().getDouble() / 255;
            assertEquals(meanPixel, mean, 5e-4, name + " " + split + " mean pixel");
        }
    }
}
