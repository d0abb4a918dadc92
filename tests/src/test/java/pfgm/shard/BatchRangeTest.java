package pfgm.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchRangeTest {

    /** Every layout of every small draw: shards in order tile the batches, differ by at most one batch, and are whole batches. */
    @Test
    void shardsTileTheBatches() {
        for (int n = 1; n <= 40; n++) {
            for (int batchSize = 1; batchSize <= 9; batchSize++) {
                int batches = (n + batchSize - 1) / batchSize;
                for (int count = 1; count <= batches; count++) {
                    int nextBatch = 0;
                    int nextSample = 0;
                    int smallest = Integer.MAX_VALUE;
                    int largest = 0;
                    for (int k = 1; k <= count; k++) {
                        BatchRange r = BatchRange.shard(n, batchSize, k + "/" + count);
                        assertEquals(nextBatch, r.first());
                        assertEquals(nextSample, r.firstSample());
                        assertEquals(0, r.firstSample() % batchSize, "a shard starts at a batch boundary");
                        nextBatch = r.end();
                        nextSample = r.endSample();
                        smallest = Math.min(smallest, r.batches());
                        largest = Math.max(largest, r.batches());
                    }
                    assertEquals(batches, nextBatch);
                    assertEquals(n, nextSample);
                    assertTrue(largest - smallest <= 1, n + " in " + batchSize + ", " + count + " shards");
                }
            }
        }
    }

    @Test
    void theLastBatchMayBeShort() {
        BatchRange last = BatchRange.shard(38, 8, "3/3");
        assertEquals(3, last.first());
        assertEquals(5, last.end());
        assertEquals(24, last.firstSample());
        assertEquals(38, last.endSample());
        assertEquals(14, last.size());
        assertEquals("batches 3-4 (samples 24-37)", last.toString());
        assertEquals(BatchRange.all(38, 8), new BatchRange(38, 8, 0, 5));
    }

    @Test
    void badShardsGetOneClearMessage() {
        assertTrue(message("0/3").contains("numbered 1/K to K/K"));
        assertTrue(message("4/3").contains("numbered 1/K to K/K"));
        assertTrue(message("3").contains("k/K"));
        assertTrue(message("a/b").contains("k/K"));
        assertTrue(message("2/6").contains("38 samples in batches of 8 make 5 batch(es)"), message("2/6"));
    }

    private static String message(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> BatchRange.shard(38, 8, spec)).getMessage();
    }
}
