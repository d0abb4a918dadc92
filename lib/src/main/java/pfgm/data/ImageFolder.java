package pfgm.data;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * PNG and JPEG files under a directory (searched recursively, sorted by path so the order is the
 * same on every machine), each centre-cropped to a square and resized to size x size RGB: CelebA
 * 64 crops 140 pixels then resizes to 64; LSUN bedroom 256 crops the short side, then resizes.
 *
 * @param crop side of the centred square cut first; 0 takes the largest one (the short side)
 * @param size side of the images produced
 * @param limit read only the first {@code limit} files in order; 0 reads all
 */
public record ImageFolder(Path root, int crop, int size, int limit) {

    public ImageFolder {
        if (crop < 0 || size <= 0 || limit < 0) {
            throw new IllegalArgumentException("need crop >= 0, size > 0, limit >= 0; got crop " + crop + ", size "
                    + size + ", limit " + limit);
        }
    }

    /** The CelebA 64x64 pipeline of the paper (the score-SDE code's): centre crop 140, resize to 64. */
    public static ImageFolder celebA64(Path root) {
        return new ImageFolder(root, 140, 64, 0);
    }

    /** The LSUN 256x256 pipeline: the short side resized to 256, the centre cropped to a square. */
    public static ImageFolder lsun256(Path root) {
        return new ImageFolder(root, 0, 256, 0);
    }

    /** The image files, sorted, within the limit. Other files (attribute lists, READMEs) are skipped. */
    public List<Path> files() {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder not found: " + root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted()
                    .limit(limit == 0 ? Long.MAX_VALUE : limit).toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no .png/.jpg/.jpeg files under " + root);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** All images as (n, 3, size, size) uint8, labels 0. */
    public ImageData load(NDManager manager) {
        List<Path> files = files();
        int imageBytes = 3 * size * size;
        byte[] pixels = new byte[Math.multiplyExact(files.size(), imageBytes)];
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(decode(files.get(i)), 0, pixels, i * imageBytes, imageBytes);
        }
        return new RawImages(pixels, new int[files.size()], 3, size, size).toImageData(manager);
    }

    /** One file as 3 x size x size bytes, channel-major. */
    private byte[] decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException("cannot read image " + file + ": not a PNG/JPEG file ImageIO can decode");
        }
        int side = crop == 0 ? Math.min(image.getWidth(), image.getHeight()) : crop;
        if (side > image.getWidth() || side > image.getHeight()) {
            throw new IllegalArgumentException("image " + file + " is " + image.getWidth() + "x" + image.getHeight()
                    + ", smaller than the centre crop " + side);
        }
        float[] square = rgbPlanes(image, (image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side);
        float[] resized = Resize.planes(square, 3, side, side, size, size);
        byte[] bytes = new byte[resized.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Math.round(Math.max(0, Math.min(255, resized[i])));
        }
        return bytes;
    }

    /**
     * The side x side square at (x0, y0) as red, green and blue planes. Grey images are read from
     * the raster: BufferedImage.getRGB treats grey as linear light and would brighten it.
     */
    private static float[] rgbPlanes(BufferedImage image, int x0, int y0, int side) {
        int plane = side * side;
        float[] planes = new float[3 * plane];
        Raster raster = image.getRaster();
        boolean grey = image.getColorModel().getNumColorComponents() == 1;
        float greyScale = 255f / ((1 << raster.getSampleModel().getSampleSize(0)) - 1); // 1- to 16-bit grey
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int at = y * side + x;
                if (grey) {
                    float value = raster.getSample(x0 + x, y0 + y, 0) * greyScale;
                    planes[at] = value;
                    planes[plane + at] = value;
                    planes[2 * plane + at] = value;
                } else {
                    int rgb = image.getRGB(x0 + x, y0 + y);
                    planes[at] = rgb >> 16 & 0xFF;
                    planes[plane + at] = rgb >> 8 & 0xFF;
                    planes[2 * plane + at] = rgb & 0xFF;
                }
            }
        }
        return planes;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }
}
