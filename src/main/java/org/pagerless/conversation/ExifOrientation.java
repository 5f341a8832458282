package org.pagerless.conversation;

import java.awt.geom.AffineTransform;

/**
 * The EXIF orientation tag of a JPEG (how the camera was held: 1 upright, 3 upside down, 6 and 8 turned a quarter,
 * 2, 4, 5 and 7 mirrored), read from the raw bytes without decoding anything else, and the transform that draws the
 * stored pixels upright. Anything unreadable counts as 1 (as stored): a photo is never refused for its metadata.
 */
final class ExifOrientation {
    private static final int TAG = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation (1 to 8) in the JPEG's EXIF segment; 1 when there is none or it cannot be read. */
    static int of(byte[] jpeg) {
        try {
            int at = 2; // after SOI
            while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
                int marker = jpeg[at + 1] & 0xFF;
                if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image: no EXIF before the pixels
                    return 1;
                }
                int length = u16(jpeg, at + 2, false);
                if (marker == 0xE1 && length >= 8 && startsWithExif(jpeg, at + 4)) {
                    return fromTiff(jpeg, at + 10, at + 2 + length);
                }
                at += 2 + length;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return 1;
        }
        return 1;
    }

    /**
     * Maps a {@code w} x {@code h} image stored as the camera saw it onto the upright canvas ({@code h} x {@code w}
     * for orientations 5 to 8).
     */
    static AffineTransform upright(int orientation, int w, int h) {
        return switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored left to right
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // turned half a turn
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirrored top to bottom
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // mirrored along the main diagonal
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // a quarter turn clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // mirrored along the other diagonal
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);   // a quarter turn anticlockwise
            default -> new AffineTransform();
        };
    }

    private static boolean startsWithExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** The orientation entry of IFD0 in the TIFF structure at {@code tiff} (segment ends at {@code end}). */
    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return 1;
        }
        long ifd = u32(b, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, (int) (tiff + ifd), little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) (tiff + ifd + 2 + 12L * i);
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, little) == TAG && u16(b, entry + 2, little) == 3) { // SHORT
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xFF;
        int y = b[at + 1] & 0xFF;
        return little ? x | y << 8 : x << 8 | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }
}
