package pfgm.eval;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import pfgm.data.Pixels;
import pfgm.util.GradMode;
import pfgm.util.Matrices;

/**
 * The standard FID Inception network, loaded from a TorchScript file the user exports once with
 * {@code environment/inception/export_pytorch_fid.py}: the kit cannot download its weights.
 *
 * <p>The contract, which follows pytorch-fid (and which {@code environment/inception/} documents
 * too):
 *
 * <ul>
 *   <li>{@link #apply} takes images (b, C, H, W) of any size with pixel values in [0, 255] (float32;
 *       other types are converted), C = 1 (repeated to 3 channels) or C = 3;
 *   <li>resizes them to 299 x 299 with PyTorch's {@code interpolate(mode="bilinear",
 *       align_corners=False)}, without antialiasing, whether enlarging or shrinking, as
 *       pytorch-fid's {@code InceptionV3} does ({@link Pixels#resizeBilinear});
 *   <li>scales them to [-1, 1] ({@code x / 127.5 - 1}, pytorch-fid's {@code 2 x - 1} of x / 255);
 *   <li>calls the module's {@code forward(x)} with that (b, 3, 299, 299) float32 tensor, which
 *       returns either pool features, (b, D) or (b, D, 1, 1), or a tuple (features, logits) with
 *       logits (b, K);
 *   <li>the class probabilities are {@code softmax(logits)}, computed here in float64. A module
 *       that returns features only gives {@link ImageFeatures.Batch#probabilities()} = null: FID,
 *       KID and precision/recall work, the Inception score does not ({@link InceptionScore}
 *       says so).
 * </ul>
 *
 * <p>{@code export_pytorch_fid.py} writes the module with pool3 features (b, 2048) and the
 * 1008-class logits of pytorch-fid's FID Inception. Callers batch: {@code apply} runs one
 * forward pass on whatever it is given (about 1 MB of input per image at 299 x 299).
 */
public final class InceptionNetwork implements ImageFeatures {
    /** The environment variable naming the TorchScript file when no option does. */
    public static final String ENV = "PFGM_INCEPTION";
    /** The network's name in its {@link FeatureIdentity}. */
    private static final String NAME = "inception";
    /** Inception's input size. */
    public static final int SIZE = 299;
    static final String HOW_TO_GET_IT = "The kit cannot download the standard FID Inception weights: export them once"
            + " to TorchScript with environment/inception/export_pytorch_fid.py (on a machine with Python, torch"
            + " and pytorch-fid), then pass --features inception:PATH or set " + ENV + "=PATH.";

    private final ZooModel<NDList, NDList> model;
    private final ParameterStore store;
    private final Path file;
    private final FeatureIdentity identity;

    private InceptionNetwork(ZooModel<NDList, NDList> model, Path file, FeatureIdentity identity) {
        this.model = model;
        this.file = file;
        this.identity = identity;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * The TorchScript file to load: {@code optionValueOrNull} when given (non-blank), else the
     * environment variable {@value #ENV}. Throws an IllegalArgumentException that says what is
     * missing and how to make the file when neither is set or the file cannot be read.
     */
    public static Path locate(String optionValueOrNull) {
        return locate(optionValueOrNull, System.getenv(ENV));
    }

    /** {@link #locate(String)} with the environment variable's value passed in (for tests). */
    static Path locate(String optionValueOrNull, String envValueOrNull) {
        String source;
        String value;
        if (optionValueOrNull != null && !optionValueOrNull.isBlank()) {
            source = "given";
            value = optionValueOrNull.strip();
        } else if (envValueOrNull != null && !envValueOrNull.isBlank()) {
            source = "from " + ENV;
            value = envValueOrNull.strip();
        } else {
            throw new IllegalArgumentException("no Inception network: no TorchScript file was given (no --features"
                    + " inception:PATH) and " + ENV + " is not set. " + HOW_TO_GET_IT);
        }
        return check(Path.of(value), source);
    }

    private static Path check(Path path, String source) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no Inception network: the TorchScript file " + path + " (" + source
                    + ") does not exist. " + HOW_TO_GET_IT);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("no Inception network: " + path + " (" + source
                    + ") is not a readable file. " + HOW_TO_GET_IT);
        }
        return path;
    }

    /**
     * The TorchScript module in {@code file} on {@code device}, for PyTorch's engine (libtorch
     * 2.5.1: a file saved by a newer torch may not load). Throws an IllegalArgumentException when
     * the file is missing or is not TorchScript.
     */
    public static InceptionNetwork load(Path file, Device device) {
        check(file, "given");
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch")
                // the folder and the file's name: a path to the file itself works too, with a warning
                .optModelPath(file.toAbsolutePath().getParent())
                .optModelName(file.getFileName().toString())
                .optDevice(device)
                .build();
        FeatureIdentity identity;
        try {
            identity = new FeatureIdentity(NAME, FeatureIdentity.sha256(file), true);
        } catch (IOException e) {
            throw new IllegalArgumentException("no Inception network: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        try {
            return new InceptionNetwork(criteria.loadModel(), file, identity);
        } catch (MalformedModelException | ModelNotFoundException | IOException | EngineException e) {
            throw new IllegalArgumentException("no Inception network: " + file + " is not a TorchScript module"
                    + " (a torch.jit.save file) that PyTorch 2.5.1 can read (" + firstLine(e) + "). " + HOW_TO_GET_IT, e);
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The TorchScript file this network came from. */
    public Path file() {
        return file;
    }

    /**
     * "inception", the file's SHA-256, and custom: the kit cannot download the weights and commits
     * no export of them, so it knows no Inception hash to vouch for.
     */
    @Override
    public FeatureIdentity identity() {
        return identity;
    }

    @Override
    public Batch apply(NDArray pixels) {
        Shape shape = pixels.getShape();
        if (shape.dimension() != 4 || (shape.get(1) != 1 && shape.get(1) != 3) || shape.get(0) == 0) {
            throw new IllegalArgumentException("Inception takes images (b, C, H, W) with C = 1 or 3 and b > 0, got " + shape);
        }
        int b = Math.toIntExact(shape.get(0));
        GradMode.off();
        try (NDScope scope = new NDScope()) {
            NDArray input = preprocess(pixels);
            NDList output = model.getBlock().forward(store, new NDList(input), false);
            if (output.isEmpty() || output.size() > 2) {
                throw new IllegalStateException(file + " returned " + output.size() + " tensors; an Inception module"
                        + " returns features (b, D) or (b, D, 1, 1), or a tuple (features, logits (b, K))");
            }
            double[][] features = rows(output.get(0), b, "features", true);
            return output.size() == 2 ? Batch.ofLogits(features, rows(output.get(1), b, "logits", false))
                    : new Batch(features, null);
        }
    }

    /** Pixels in [0, 255] to the module's input (b, 3, 299, 299) in [-1, 1], as pytorch-fid does. */
    private NDArray preprocess(NDArray pixels) {
        // Not DJL's interpolation: its bilinear antialiases when shrinking, pytorch-fid's does not.
        NDArray resized = Pixels.resizeBilinear(pixels, SIZE, SIZE).toDevice(model.getNDManager().getDevice(), false);
        if (resized.getShape().get(1) == 1) {
            resized = resized.repeat(1, 3);
        }
        return resized.div(127.5f).sub(1f);
    }

    /** A (b, D) or (b, D, 1, 1) output as b float64 rows. */
    private double[][] rows(NDArray array, int b, String what, boolean allowPooled) {
        Shape shape = array.getShape();
        boolean flat = shape.dimension() == 2;
        boolean pooled = allowPooled && shape.dimension() == 4 && shape.get(2) == 1 && shape.get(3) == 1;
        if (shape.get(0) != b || !(flat || pooled)) {
            throw new IllegalStateException(file + " returned " + what + " of shape " + shape + " for " + b + " images;"
                    + " expected (" + b + ", D)" + (allowPooled ? " or (" + b + ", D, 1, 1)" : ""));
        }
        return Matrices.rows(array.reshape(b, shape.get(1)));
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "InceptionNetwork[" + file + "]";
    }
}
