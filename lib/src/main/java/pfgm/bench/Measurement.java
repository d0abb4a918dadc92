package pfgm.bench;

import java.util.Arrays;
import pfgm.util.PeakMemory;

/** Median wall time of several runs after one warm-up, and the largest peak-memory growth seen. */
public record Measurement(double medianMillis, long peakBytes) {

    public static Measurement of(int runs, Runnable work) {
        work.run(); // warm-up: native library loading, allocator growth, JIT
        double[] millis = new double[runs];
        long peak = 0;
        boolean memory = PeakMemory.supported();
        for (int i = 0; i < runs; i++) {
            long[] elapsed = new long[1];
            Runnable timed = () -> {
                long start = System.nanoTime();
                work.run();
                elapsed[0] = System.nanoTime() - start;
            };
            peak = Math.max(peak, memory ? PeakMemory.during(timed) : 0);
            if (!memory) {
                timed.run();
            }
            millis[i] = elapsed[0] / 1e6;
        }
        Arrays.sort(millis);
        double median = runs % 2 == 1 ? millis[runs / 2] : (millis[runs / 2 - 1] + millis[runs / 2]) / 2;
        return new Measurement(median, peak);
    }
}
