package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Photos;

/**
 * A phone stores a portrait photo as the sensor saw it (landscape) with an EXIF orientation tag saying how to turn it.
 * The tag is not kept, so the re-encoded photo must already be turned: upright, and with no EXIF left.
 */
class PhotoOrientationTest {

    /** 60 wide, 20 high as stored: red on the left third, green in the middle, blue on the right. */
    private static BufferedImage stored() {
        BufferedImage image = new BufferedImage(60, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 20, 20);
        g.setColor(Color.GREEN);
        g.fillRect(20, 0, 20, 20);
        g.setColor(Color.BLUE);
        g.fillRect(40, 0, 20, 20);
        g.dispose();
        return image;
    }

    @Test
    void aQuarterTurnTagGivesAPortraitPhotoWithTheLeftEdgeOnTopAndNoExif() throws Exception {
        byte[] upload = withOrientation(Photos.write(stored(), "jpeg"), 6, false);
        assertThat(Photos.read(upload).getWidth()).as("the file itself is stored landscape").isEqualTo(60);
        assertThat(ExifOrientation.of(upload)).isEqualTo(6);

        PhotoEncoder.Encoded photo = PhotoEncoder.reencode(upload, 2048);

        assertThat(Photos.contains(photo.bytes(), "Exif")).isFalse();
        BufferedImage back = Photos.read(photo.bytes());
        assertThat(back.getWidth()).isEqualTo(20);
        assertThat(back.getHeight()).isEqualTo(60);
        assertThat(photo.width()).isEqualTo(20);
        assertThat(photo.height()).isEqualTo(60);
        // Turned a quarter clockwise: what was on the left is now on top.
        assertThat(dominant(back.getRGB(10, 8))).isEqualTo("red");
        assertThat(dominant(back.getRGB(10, 30))).isEqualTo("green");
        assertThat(dominant(back.getRGB(10, 52))).isEqualTo("blue");
    }

    @Test
    void theOtherQuarterTurnAndHalfTurnAndLittleEndianTagsAreApplied() throws Exception {
        BufferedImage eight = Photos.read(PhotoEncoder.reencode(
                withOrientation(Photos.write(stored(), "jpeg"), 8, true), 2048).bytes());
        assertThat(eight.getWidth()).isEqualTo(20);
        assertThat(dominant(eight.getRGB(10, 8))).isEqualTo("blue");
        assertThat(dominant(eight.getRGB(10, 52))).isEqualTo("red");

        BufferedImage three = Photos.read(PhotoEncoder.reencode(
                withOrientation(Photos.write(stored(), "jpeg"), 3, false), 2048).bytes());
        assertThat(three.getWidth()).isEqualTo(60);
        assertThat(dominant(three.getRGB(8, 10))).isEqualTo("blue");
        assertThat(dominant(three.getRGB(52, 10))).isEqualTo("red");
    }

    @Test
    void aPhotoWithoutATagOrWithAnUnreadableOneIsKeptAsStored() throws Exception {
        byte[] plain = Photos.write(stored(), "jpeg");
        assertThat(ExifOrientation.of(plain)).isEqualTo(1);
        assertThat(ExifOrientation.of(Photos.jpegWithLocation(40, 30))).isEqualTo(1);
        byte[] broken = withOrientation(plain, 6, false);
        broken = Arrays.copyOf(broken, 30); // cut inside the EXIF block
        assertThat(ExifOrientation.of(broken)).isEqualTo(1);
        BufferedImage back = Photos.read(PhotoEncoder.reencode(plain, 2048).bytes());
        assertThat(back.getWidth()).isEqualTo(60);
        assertThat(dominant(back.getRGB(8, 10))).isEqualTo("red");
    }

    /** The JPEG with an APP1 EXIF segment right after SOI whose IFD0 holds the orientation tag (0x0112, SHORT). */
    static byte[] withOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        if (littleEndian) {
            tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
                (byte) orientation, 0, 0, 0, 0, 0, 0, 0});
        } else {
            tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
                0, (byte) orientation, 0, 0, 0, 0, 0, 0});
        }
        byte[] exif = tiff.toByteArray();
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + exif.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(header);
        out.writeBytes(exif);
        out.writeBytes(Arrays.copyOfRange(jpeg, 2, jpeg.length));
        return out.toByteArray();
    }

    private static String dominant(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return r > g && r > b ? "red" : g > r && g > b ? "green" : "blue";
    }
}
