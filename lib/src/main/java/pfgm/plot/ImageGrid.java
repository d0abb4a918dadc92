package pfgm.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import pfgm.data.Pixels;
import pfgm.io.AtomicFiles;

/**
 * Images (n, C, H, W) with values in [-1, 1] (C = 1 grey or 3 RGB) laid out row by row in a grid,
 * with {@code padding} white pixels around and between the cells. Always an RGB image, so grey
 * values come back exactly as written.
 */
public final class ImageGrid {
    private static final int PADDING_RGB = 0xFFFFFF;

    private ImageGrid() {}

    public static BufferedImage render(NDArray images, int columns, int padding) {
        long[] shape = images.getShape().getShape();
        if (shape.length != 4 || (shape[1] != 1 && shape[1] != 3)) {
            throw new IllegalArgumentException("images must be (n, 1 or 3, H, W), got " + images.getShape());
        }
        if (columns <= 0 || padding < 0) {
            throw new IllegalArgumentException("need columns > 0 and padding >= 0, got " + columns + ", " + padding);
        }
        int n = (int) shape[0];
        int channels = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        int cols = Math.max(1, Math.min(columns, n));
        int rows = Math.max(1, (n + cols - 1) / cols);
        BufferedImage grid = new BufferedImage(cols * w + (cols + 1) * padding, rows * h + (rows + 1) * padding,
                BufferedImage.TYPE_INT_RGB);
        int[] background = new int[grid.getWidth() * grid.getHeight()];
        Arrays.fill(background, PADDING_RGB);
        grid.setRGB(0, 0, grid.getWidth(), grid.getHeight(), background, 0, grid.getWidth());
        float[] values;
        try (NDArray floats = images.toType(DataType.FLOAT32, true)) {
            values = floats.toFloatArray();
        }
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int left = padding + (i % cols) * (w + padding);
            int top = padding + (i / cols) * (h + padding);
            int base = i * channels * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = base + y * w + x;
                    int red = Pixels.toByte(values[at]);
                    int green = channels == 1 ? red : Pixels.toByte(values[at + plane]);
                    int blue = channels == 1 ? red : Pixels.toByte(values[at + 2 * plane]);
                    grid.setRGB(left + x, top + y, red << 16 | green << 8 | blue);
                }
            }
        }
        return grid;
    }

    /**
     * {@code image} enlarged by a whole factor without smoothing (every pixel a square block), and
     * {@code caption} written above it: a grid of 16 x 16 samples a person can judge by eye.
     */
    public static BufferedImage captioned(BufferedImage image, int factor, String caption) {
        if (factor < 1) {
            throw new IllegalArgumentException("the factor must be >= 1, got " + factor);
        }
        int captionHeight = caption.isEmpty() ? 0 : 24;
        int width = Math.max(image.getWidth() * factor, caption.length() * 7 + 8);
        BufferedImage out = new BufferedImage(width, image.getHeight() * factor + captionHeight, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, captionHeight, image.getWidth() * factor, image.getHeight() * factor, null);
        if (captionHeight > 0) {
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(java.awt.Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
            g.drawString(caption, 4, 16);
        }
        g.dispose();
        return out;
    }

    /** Renders the grid and writes it as a PNG (atomically); returns the image for display. */
    public static BufferedImage write(NDArray images, int columns, int padding, Path png) throws IOException {
        BufferedImage grid = render(images, columns, padding);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(grid, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
        return grid;
    }
}
