package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;

/** Image files the test writes, read through the crop-and-resize pipeline. */
class ImageFolderTest extends ManagedArrays {
    @TempDir
    Path dir;

    static Path write(Path file, BufferedImage image, String format) throws Exception {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()));
        return file;
    }

    static BufferedImage constant(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** 6 wide, 4 high: red 10 x + 40 y, green 200 - 20 y, blue 7. */
    static BufferedImage ramp() {
        BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                image.setRGB(x, y, (10 * x + 40 * y) << 16 | (200 - 20 * y) << 8 | 7);
            }
        }
        return image;
    }

    @Test
    void centreCropThenAreaResizeGivesBlockMeans() throws Exception {
        write(dir.resolve("ramp.png"), ramp(), "png");
        for (int crop : new int[] {4, 0}) { // 0: the short side, also 4
            try (ImageData data = new ImageFolder(dir, crop, 2, 0).load(manager)) {
                assertEquals(new Shape(1, 3, 2, 2), data.images().getShape());
                // The 4x4 centre starts at column 1; output (r, c) averages rows 2r..2r+1, columns 1+2c..2+2c.
                byte[] expected = new byte[12];
                for (int r = 0; r < 2; r++) {
                    for (int c = 0; c < 2; c++) {
                        double x = 1 + 2 * c + 0.5;
                        double y = 2 * r + 0.5;
                        expected[r * 2 + c] = (byte) Math.round(10 * x + 40 * y);
                        expected[4 + r * 2 + c] = (byte) Math.round(200 - 20 * y);
                        expected[8 + r * 2 + c] = 7;
                    }
                }
                assertArrayEquals(expected, data.images().toByteArray(), "crop " + crop);
                assertArrayEquals(new int[] {0}, data.labels().toIntArray());
            }
        }
    }

    @Test
    void filesAreFoundRecursivelyInSortedOrderAndOthersSkipped() throws Exception {
        write(dir.resolve("b/2.png"), constant(3, 3, 0x020202), "png");
        write(dir.resolve("a/10.png"), constant(3, 3, 0x0A0A0A), "png");
        write(dir.resolve("a/1.PNG"), constant(3, 3, 0x010101), "png");
        Files.writeString(dir.resolve("list_attr.txt"), "not an image");
        ImageFolder folder = new ImageFolder(dir, 0, 3, 0);
        assertEquals(List.of(dir.resolve("a/1.PNG"), dir.resolve("a/10.png"), dir.resolve("b/2.png")), folder.files());
        try (ImageData data = folder.load(manager)) {
            assertEquals(1, data.images().getUint8(0, 0, 1, 1));
            assertEquals(10, data.images().getUint8(1, 2, 0, 2));
            assertEquals(2, data.images().getUint8(2, 1, 2, 0));
        }
        assertEquals(2, new ImageFolder(dir, 0, 3, 2).files().size());
    }

    @Test
    void greyImagesKeepTheirValues() throws Exception {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 1, 0, 200);
        write(dir.resolve("grey.png"), grey, "png");
        try (ImageData data = new ImageFolder(dir, 0, 2, 0).load(manager)) {
            assertArrayEquals(new byte[] {100, 0, 0, (byte) 200, 100, 0, 0, (byte) 200, 100, 0, 0, (byte) 200},
                    data.images().toByteArray());
        }
    }

    @Test
    void celebAPipelineGivesSixtyFourSquareFromJpeg() throws Exception {
        write(dir.resolve("000001.jpg"), constant(178, 218, 0x3C78B4), "jpg");
        try (ImageData data = ImageFolder.celebA64(dir).load(manager)) {
            assertEquals(new Shape(1, 3, 64, 64), data.images().getShape());
            // JPEG is lossy: a flat colour comes back within a few levels.
            assertEquals(0x3C, data.images().getUint8(0, 0, 10, 50), 3);
            assertEquals(0x78, data.images().getUint8(0, 1, 63, 0), 3);
            assertEquals(0xB4, data.images().getUint8(0, 2, 32, 32), 3);
        }
    }

    @Test
    void unreadableAndTooSmallImagesAreClearErrors() throws Exception {
        Path broken = Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3, 4, 5});
        String message = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(dir, 0, 8, 0).load(manager))
                .getMessage();
        assertTrue(message.contains(broken.toString()), message);
        Files.delete(broken);
        Path small = write(dir.resolve("small.png"), constant(100, 120, 0), "png");
        message = assertThrows(IllegalArgumentException.class, () -> ImageFolder.celebA64(dir).load(manager)).getMessage();
        assertTrue(message.contains(small.toString()) && message.contains("140"), message);
    }

    @Test
    void emptyOrMissingFolderIsAnError() throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "no images");
        assertThrows(IllegalArgumentException.class, () -> new ImageFolder(dir, 0, 8, 0).files());
        assertThrows(IllegalArgumentException.class, () -> new ImageFolder(dir.resolve("absent"), 0, 8, 0).files());
    }

    @Test
    void datasetsNameAFolderWithOptions() throws Exception {
        write(dir.resolve("ramp.png"), ramp(), "png");
        try (ImageData named = Datasets.load(manager, "folder:" + dir + ",crop=4,size=2", dir, Split.TRAIN);
                ImageData direct = new ImageFolder(dir, 4, 2, 0).load(manager)) {
            assertArrayEquals(direct.images().toByteArray(), named.images().toByteArray());
        }
        assertEquals(new ImageFolder(dir, 0, 64, 0), Datasets.folder(dir.toString()));
        assertThrows(IllegalArgumentException.class, () -> Datasets.folder(dir + ",zoom=2"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.folder(dir + ",size=big"));
    }
}
