package pfgm.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.data.Datasets;
import pfgm.data.ImageData;
import pfgm.data.Split;
import pfgm.eval.ClassifierTraining;
import pfgm.eval.ClassifierWeights;
import pfgm.eval.DigitClassifier;
import pfgm.eval.FeatureIdentity;
import pfgm.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "features", mixinStandardHelpOptions = true,
        description = "The kit's feature networks for MNIST and Fashion-MNIST (docs/metrics.md).",
        subcommands = {FeaturesCommand.Train.class})
final class FeaturesCommand {

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a digit classifier as the committed ones were trained (seed 0, two epochs) and write its "
                + "weights file; prints its test accuracy and SHA-256.",
                "Another CPU, or a GPU, rounds differently and writes other bytes: use the file with --features NAME:PATH."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "mnist or fashion.")
        String data;

        @Option(names = "--out", required = true, description = "The weights file to write.")
        Path out;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the initial weights, dropout and batches "
                + "(default: ${DEFAULT-VALUE}, the committed files').")
        long seed;

        @Option(names = "--steps", description = "Training steps of 128 images (default: two epochs, as the committed files).")
        Integer steps;

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() throws Exception {
            String committed = ClassifierWeights.committedHash(data);
            // cpu: the data sets are read into host memory; training and scoring take batches to --device.
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                ImageData train = Datasets.load(manager, data, Split.TRAIN);
                int stepCount = steps != null ? steps : ClassifierTraining.steps(train.size());
                byte[] weights = ClassifierTraining.train(train, seed, stepCount, device.resolve(), System.err::println);
                AtomicFiles.write(out, stream -> stream.write(weights));
                FeatureIdentity identity;
                double accuracy;
                ImageData test = Datasets.load(manager, data, Split.TEST);
                try (DigitClassifier classifier = DigitClassifier.load(ClassifierWeights.file(data, out), device.resolve())) {
                    identity = classifier.identity();
                    accuracy = Progress.features(classifier, test.images(), 500, data + " test")
                            .accuracy(test.labels().toType(DataType.INT32, false).toIntArray());
                }
                System.out.printf("wrote %s: %d bytes, SHA-256 %s%n", out, weights.length, identity.sha256());
                System.out.printf("test accuracy %.2f%% (%d of %d images)%n", 100 * accuracy, Math.round(accuracy * test.size()),
                        test.size());
                if (identity.sha256().equals(committed)) {
                    System.out.println("the same bytes as the committed " + data + " classifier: " + identity);
                } else {
                    System.out.println("score with it by --features " + data + ":" + out + " (rows say " + identity + ");"
                            + " to make it the kit's " + data + " classifier, commit it as lib/src/main/resources/pfgm/eval/"
                            + ClassifierWeights.fileName(data, identity.sha256()) + " with its SHA-256 in ClassifierWeights");
                }
            }
            return 0;
        }
    }
}
