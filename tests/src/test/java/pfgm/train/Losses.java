package pfgm.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import pfgm.nn.Network;
import pfgm.util.Rng;

/** Test helpers: a method's loss on one batch, and the losses of a training run. */
public final class Losses {
    private Losses() {}

    /** Training settings whose batches are {@code rows} rows (PFGM: every row a charge and a perturbed point). */
    public static TrainConfig config(int rows) {
        return new TrainConfig(rows, rows, 1e-3, 0.9, 1e-8, 0, 1, 0.999, 1, 1, 1, 0, 0);
    }

    /** The loss of one training step of {@code objective} on {@code batch}, its rows all perturbed. */
    public static NDArray step(Objective objective, Network model, NDArray batch, Rng rng) {
        return objective.loss(config(Math.toIntExact(batch.getShape().get(0)))).of(model, batch, rng);
    }

    /** Trains to the trainer's last step and returns the loss of every step it took. */
    public static List<Double> ofTraining(Trainer trainer) throws Exception {
        List<Double> losses = new ArrayList<>();
        trainer.addListener(new Trainer.Listener() {
            @Override
            public void onStep(long step, double loss) {
                losses.add(loss);
            }
        });
        trainer.train();
        return losses;
    }
}
