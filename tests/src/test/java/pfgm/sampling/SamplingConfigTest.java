package pfgm.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pfgm.ode.FixedStepSolver;
import pfgm.ode.RK45;

/** Sampler names are parsed in one place, and the settings choose the sampler. */
class SamplingConfigTest {
    static final SamplingConfig PAPER = SamplingConfig.paper();

    @Test
    void labelsNameTheSamplerTheyChoose() {
        for (String label : new String[] {"euler-10", "heun-18", "pc-1000", "rk45"}) {
            assertEquals(label, PAPER.withSampler(label).label());
        }
        assertInstanceOf(FixedStepSolver.Euler.class, ((OdeSampler) PAPER.withSampler("euler-7").sampler()).solver());
        assertEquals(7, ((FixedStepSolver) ((OdeSampler) PAPER.withSampler("euler-7").sampler()).solver()).steps());
        assertInstanceOf(FixedStepSolver.Heun.class, ((OdeSampler) PAPER.withSampler("improved_euler-4").sampler()).solver());
        assertInstanceOf(RK45.class, ((OdeSampler) PAPER.sampler()).solver());
        PredictorCorrector pc = (PredictorCorrector) PAPER.withSampler("pc-20").sampler();
        assertEquals(20, pc.steps());
        assertEquals(PAPER.pc(), pc.config());
    }

    @Test
    void badNamesAndStepsEndInOneMessage() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> PAPER.withSampler("rk4"));
        assertTrue(unknown.getMessage().contains("unknown solver 'rk4': use euler, heun, rk45, pc"), unknown.getMessage());
        var noSteps = assertThrows(IllegalArgumentException.class, () -> PAPER.withSampler("euler"));
        assertTrue(noSteps.getMessage().contains("needs its steps"), noSteps.getMessage());
        var text = assertThrows(IllegalArgumentException.class, () -> PAPER.withSampler("euler-ten"));
        assertTrue(text.getMessage().contains("must be a solver with its steps"), text.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PAPER.withSampler("euler-0"));
        assertThrows(IllegalArgumentException.class, () -> new Tolerances(0, 1e-4));
        assertThrows(IllegalArgumentException.class, () -> PAPER.withSampler("pc-1").sampler());
    }
}
