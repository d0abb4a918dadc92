package pfgm.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;

/** Grids of images whose every pixel is known. */
class ImageGridTest extends ManagedArrays {
    static final int WHITE = 0xFFFFFF;
    @TempDir
    Path dir;

    static int grey(int v) {
        return v << 16 | v << 8 | v;
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void greyImagesFillTheirCellsRowByRow() throws Exception {
        // Three 2x2 images: [-1, 0; 1, 0.5], all 1, all -1.
        float[] values = {-1, 0, 1, 0.5f, 1, 1, 1, 1, -1, -1, -1, -1};
        var images = manager.create(values, new Shape(3, 1, 2, 2));
        BufferedImage grid = ImageGrid.write(images, 2, 1, dir.resolve("grid.png"));
        assertEquals(7, grid.getWidth()); // 2 cells of 2 + 3 paddings
        assertEquals(7, grid.getHeight());
        assertEquals(grey(0), rgb(grid, 1, 1));
        assertEquals(grey(128), rgb(grid, 2, 1));
        assertEquals(grey(255), rgb(grid, 1, 2));
        assertEquals(grey(191), rgb(grid, 2, 2)); // (0.5 + 1) * 127.5 = 191.25
        assertEquals(grey(255), rgb(grid, 4, 1)); // second image, first row
        assertEquals(grey(0), rgb(grid, 1, 4)); // third image, second row
        for (int[] at : new int[][] {{0, 0}, {3, 2}, {6, 6}, {4, 4}, {5, 5}, {2, 3}}) {
            assertEquals(WHITE, rgb(grid, at[0], at[1]), "padding or empty cell at " + at[0] + "," + at[1]);
        }
        BufferedImage read = ImageIO.read(dir.resolve("grid.png").toFile());
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(rgb(grid, x, y), rgb(read, x, y));
            }
        }
    }

    @Test
    void colourChannelsMapToRedGreenBlue() {
        // One 1x1 RGB image: red -1, green 1, blue 0; values outside [-1, 1] are clipped.
        var image = manager.create(new float[] {-3, 1, 0}, new Shape(1, 3, 1, 1));
        BufferedImage grid = ImageGrid.render(image, 4, 0);
        assertEquals(1, grid.getWidth()); // fewer images than columns: only the cells needed
        assertEquals(0x00FF80, rgb(grid, 0, 0));
    }

    @Test
    void wrongShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(manager.zeros(new Shape(2, 2, 4, 4)), 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(manager.zeros(new Shape(4, 4)), 2, 1));
    }
}
