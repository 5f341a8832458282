package org.pagerless.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;

/**
 * Photos as a phone sends them: a real JPEG whose EXIF block carries where it was taken (an APP1 "Exif" segment with
 * a TIFF header, and the GPS position and camera as text inside it), so a test can tell whether any of it survived.
 */
public final class Photos {
    /** Text inside the EXIF block that must never come back out. */
    public static final String GPS = "GPSLatitude 51.5014N GPSLongitude 0.1419W";
    public static final String CAMERA = "Pixel 9 Pro serial 8842XQ";

    private Photos() {
    }

    /** A {@code width} × {@code height} JPEG (a rash-red square on skin tone) with an EXIF block naming GPS and camera. */
    public static byte[] jpegWithLocation(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xE0, 0xAC, 0x90));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xC0, 0x20, 0x20));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        byte[] plain = write(image, "jpeg");
        byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0},
                (GPS + " " + CAMERA).getBytes(StandardCharsets.ISO_8859_1));
        int length = exif.length + 2;
        // SOI, then APP1 (Exif) as a camera writes it, then the rest of the file after SOI.
        return concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length},
                exif, java.util.Arrays.copyOfRange(plain, 2, plain.length));
    }

    public static BufferedImage read(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Whether {@code text} occurs in {@code bytes} (as ISO-8859-1). */
    public static boolean contains(byte[] bytes, String text) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
