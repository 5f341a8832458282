package org.pagerless.conversation;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns an uploaded photo into a fresh image: decoded to pixels and written anew as JPEG (or PNG for a PNG), so
 * nothing of the original file survives but its pixels: no EXIF, no GPS position, no camera serial, no comment, no
 * embedded thumbnail. Only JPEG and PNG are taken; the size is checked before the pixels are decoded (a small file
 * can claim a huge image), and a photo larger than {@code maxSide} on its longer side is scaled down. A JPEG's EXIF
 * orientation (how the phone was held) is applied to the pixels first ({@link ExifOrientation}), since the tag itself
 * is not kept: a portrait photo stays upright.
 */
public final class PhotoEncoder {
    /** The most pixels a photo may claim before it is decoded (a phone camera's 50-megapixel still fits). */
    static final long MAX_PIXELS = 60_000_000L;

    /** A photo as stored: its bytes, type and size. */
    public record Encoded(byte[] bytes, String contentType, int width, int height) {
    }

    /** Why an upload is not a photo we keep, in words for the {@code photo} field's 400. */
    public static final class NotAPhoto extends Exception {
        NotAPhoto(String reason) {
            super(reason);
        }
    }

    private PhotoEncoder() {
    }

    public static Encoded reencode(byte[] upload, int maxSide) throws NotAPhoto {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new NotAPhoto("must be a JPEG or PNG image");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                boolean png = format.equals("png");
                if (!png && !format.equals("jpeg") && !format.equals("jpg")) {
                    throw new NotAPhoto("must be a JPEG or PNG image, not " + format.toUpperCase(Locale.ROOT));
                }
                reader.setInput(in, true, true); // ignoreMetadata: EXIF and the rest are never even read
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new NotAPhoto("must be at most " + MAX_PIXELS / 1_000_000 + " megapixels");
                }
                BufferedImage pixels = reader.read(0);
                int orientation = png ? 1 : ExifOrientation.of(upload);
                BufferedImage fresh = redraw(pixels, maxSide, png, orientation);
                return new Encoded(write(fresh, png), png ? "image/png" : "image/jpeg", fresh.getWidth(), fresh.getHeight());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAPhoto("could not be read as an image");
        }
    }

    /**
     * The pixels drawn onto a new image (RGB for JPEG, which has no alpha), scaled to fit {@code maxSide} and turned
     * or mirrored as EXIF {@code orientation} (1 to 8) says, so the new image shows upright without any tag.
     */
    private static BufferedImage redraw(BufferedImage source, int maxSide, boolean png, int orientation) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(source.getWidth(), source.getHeight()));
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        boolean sideways = orientation >= 5 && orientation <= 8;
        int outW = sideways ? h : w;
        int outH = sideways ? w : h;
        BufferedImage out = new BufferedImage(outW, outH, png ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            if (!png) {
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, outW, outH);
            }
            g.transform(ExifOrientation.upright(orientation, w, h));
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] write(BufferedImage image, boolean png) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(png ? "png" : "jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (!png) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
