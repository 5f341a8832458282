package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Photos;

/** A photo is re-encoded: pixels kept, everything else of the file (EXIF, GPS, camera) gone; only JPEG and PNG. */
class PhotoEncoderTest {

    @Test
    void aPhoneJpegComesBackAsAFreshJpegWithNoExifOrLocation() throws Exception {
        byte[] upload = Photos.jpegWithLocation(640, 480);
        assertThat(Photos.contains(upload, "Exif")).as("the test photo does carry EXIF").isTrue();
        assertThat(Photos.contains(upload, Photos.GPS)).isTrue();

        PhotoEncoder.Encoded photo = PhotoEncoder.reencode(upload, 2048);

        assertThat(photo.contentType()).isEqualTo("image/jpeg");
        assertThat(Photos.contains(photo.bytes(), "Exif")).isFalse();
        assertThat(Photos.contains(photo.bytes(), "GPS")).isFalse();
        assertThat(Photos.contains(photo.bytes(), Photos.CAMERA)).isFalse();
        BufferedImage back = Photos.read(photo.bytes());
        assertThat(back.getWidth()).isEqualTo(640);
        assertThat(back.getHeight()).isEqualTo(480);
        // The pixels are the photo's: the red patch is still in the middle.
        int centre = back.getRGB(320, 240);
        assertThat((centre >> 16) & 0xFF).isGreaterThan(150);
        assertThat(centre & 0xFF).isLessThan(90);
    }

    @Test
    void aLargePhotoIsScaledToFitTheLongestSide() throws Exception {
        PhotoEncoder.Encoded photo = PhotoEncoder.reencode(Photos.jpegWithLocation(3000, 1500), 2048);
        assertThat(photo.width()).isEqualTo(2048);
        assertThat(photo.height()).isEqualTo(1024);
    }

    @Test
    void aPngStaysAPngWithoutItsTextChunks() throws Exception {
        BufferedImage image = Photos.read(Photos.jpegWithLocation(100, 80));
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("png").next();
        javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(
                javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), null);
        javax.imageio.metadata.IIOMetadataNode text = new javax.imageio.metadata.IIOMetadataNode("tEXtEntry");
        text.setAttribute("keyword", "Comment");
        text.setAttribute("value", Photos.GPS);
        javax.imageio.metadata.IIOMetadataNode texts = new javax.imageio.metadata.IIOMetadataNode("tEXt");
        texts.appendChild(text);
        javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode("javax_imageio_png_1.0");
        root.appendChild(texts);
        meta.mergeTree("javax_imageio_png_1.0", root);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var stream = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(new javax.imageio.IIOImage(image, null, meta));
        }
        assertThat(Photos.contains(out.toByteArray(), Photos.GPS)).as("the test PNG does carry the text").isTrue();

        PhotoEncoder.Encoded photo = PhotoEncoder.reencode(out.toByteArray(), 2048);

        assertThat(photo.contentType()).isEqualTo("image/png");
        assertThat(Photos.contains(photo.bytes(), "GPS")).isFalse();
        assertThat(Photos.read(photo.bytes()).getWidth()).isEqualTo(100);
    }

    @Test
    void anythingButAJpegOrPngIsRefusedWithTheReason() {
        assertThatThrownBy(() -> PhotoEncoder.reencode("not an image".getBytes(), 2048))
                .isInstanceOf(PhotoEncoder.NotAPhoto.class).hasMessage("must be a JPEG or PNG image");
        byte[] gif = Photos.write(Photos.read(Photos.jpegWithLocation(20, 20)), "gif");
        assertThatThrownBy(() -> PhotoEncoder.reencode(gif, 2048))
                .isInstanceOf(PhotoEncoder.NotAPhoto.class).hasMessage("must be a JPEG or PNG image, not GIF");
    }
}
