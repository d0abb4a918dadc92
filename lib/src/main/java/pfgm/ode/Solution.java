package pfgm.ode;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The end state of an integration, the number of drift evaluations (NFE) it took, and, when asked
 * for, the accepted times and states along the way (first entry the initial state).
 */
public record Solution(NDArray y, int nfe, List<Double> times, List<NDArray> path) {}
