package pfgm.train;

import java.util.ArrayList;
import java.util.List;

/** Test helper: trains to the trainer's last step and returns the loss of every step it took. */
public final class Losses {
    private Losses() {}

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
