package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;
import org.w3c.dom.Node;

import javax.imageio.metadata.IIOMetadata;
import java.awt.image.Raster;

/**
 * Turns a JPEG's decoded samples, taken before any colour conversion, into RGB exactly as Pillow's
 * {@code Image.open(f).convert("RGB")} does, which is what the Hugging Face image processors are given. Java's own
 * conversion differs: it applies an embedded ICC profile (up to 73/255 off on a linear-RGB profile) and reads CMYK
 * differently, while Pillow ignores the profile.
 *
 * <p>The colour space is chosen as libjpeg chooses it (Pillow decodes with libjpeg): one component is grey; three are
 * YCbCr unless an Adobe marker says transform 0 (and no JFIF marker is present) or the component ids spell
 * {@code R G B}; four are CMYK, or YCCK when an Adobe marker says transform 2. YCbCr becomes RGB with libjpeg's 16-bit
 * fixed-point tables; CMYK is read with Adobe's inverted convention (as Pillow always assumes) and converted with
 * Pillow's {@code cmyk2rgb}. YCCK is refused.
 */
final class JpegColours {
    /** The colour spaces a JPEG's components can be in. */
    enum Space { GRAY, YCBCR, RGB, CMYK, YCCK }

    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    // libjpeg's FIX(x) = round(x * 2^16) of the JFIF YCbCr -> RGB coefficients
    private static final int CR_R = 91881;
    private static final int CB_G = 22554;
    private static final int CR_G = 46802;
    private static final int CB_B = 116130;

    private JpegColours() {
    }

    /** The colour space of a JPEG with {@code components} components, from its native Image I/O metadata. */
    static Space space(IIOMetadata metadata, int components) {
        Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
        boolean jfif = find(root, "app0JFIF") != null;
        Node adobe = find(root, "app14Adobe");
        int transform = adobe == null ? -1 : Integer.parseInt(attribute(adobe, "transform", "-1"));
        return switch (components) {
            case 1 -> Space.GRAY;
            case 3 -> {
                if (jfif) {
                    yield Space.YCBCR;
                }
                if (adobe != null) {
                    yield transform == 0 ? Space.RGB : Space.YCBCR;
                }
                yield componentIdsSpellRgb(root) ? Space.RGB : Space.YCBCR;
            }
            case 4 -> transform == 2 ? Space.YCCK : Space.CMYK;
            default -> throw new IllegalArgumentException(components + " components");
        };
    }

    /**
     * Packed {@code 0xRRGGBB} pixels of a raw raster.
     *
     * @param what how messages call the file
     */
    static int[] toRgb(Raster raster, Space space, String what) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] out = new int[Math.multiplyExact(w, h)];
        int[][] row = new int[bands][w];
        for (int y = 0; y < h; y++) {
            for (int b = 0; b < bands; b++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, b, row[b]);
            }
            int at = y * w;
            switch (space) {
                case GRAY -> {
                    for (int x = 0; x < w; x++) {
                        int v = row[0][x];
                        out[at + x] = (v << 16) | (v << 8) | v;
                    }
                }
                case RGB -> {
                    for (int x = 0; x < w; x++) {
                        out[at + x] = (row[0][x] << 16) | (row[1][x] << 8) | row[2][x];
                    }
                }
                case YCBCR -> {
                    for (int x = 0; x < w; x++) {
                        out[at + x] = ycbcr(row[0][x], row[1][x], row[2][x]);
                    }
                }
                case CMYK -> {
                    for (int x = 0; x < w; x++) {
                        out[at + x] = invertedCmyk(row[0][x], row[1][x], row[2][x], row[3][x]);
                    }
                }
                case YCCK -> throw new InvalidInputException(what + " is a YCCK JPEG (Adobe transform 2), which eagle4j does not"
                        + " read; save it as an RGB JPEG or PNG");
            }
        }
        return out;
    }

    /** libjpeg's {@code ycc_rgb_convert}: 16-bit fixed point, the green term's two products summed before rounding. */
    static int ycbcr(int luma, int cb, int cr) {
        int dcb = cb - 128;
        int dcr = cr - 128;
        int r = clamp(luma + ((CR_R * dcr + ONE_HALF) >> SCALE_BITS));
        int g = clamp(luma + ((-CB_G * dcb - CR_G * dcr + ONE_HALF) >> SCALE_BITS));
        int b = clamp(luma + ((CB_B * dcb + ONE_HALF) >> SCALE_BITS));
        return (r << 16) | (g << 8) | b;
    }

    /**
     * Pillow's {@code CMYK;I} unpacking (stored samples are 255 minus the ink) followed by its {@code cmyk2rgb}:
     * {@code R = (255 - K) - C·(255 - K)/255} with Pillow's rounding division by 255.
     */
    static int invertedCmyk(int sc, int sm, int sy, int sk) {
        int nk = sk; // 255 - K, where K = 255 - sk
        int r = clamp(nk - mulDiv255(255 - sc, nk));
        int g = clamp(nk - mulDiv255(255 - sm, nk));
        int b = clamp(nk - mulDiv255(255 - sy, nk));
        return (r << 16) | (g << 8) | b;
    }

    /** Pillow's {@code MULDIV255}: {@code a·b/255} rounded the way its C macro does. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static boolean componentIdsSpellRgb(Node root) {
        Node sof = find(root, "sof");
        if (sof == null) {
            return false;
        }
        int[] ids = new int[3];
        int i = 0;
        for (Node c = sof.getFirstChild(); c != null && i < 3; c = c.getNextSibling()) {
            if (c.getNodeName().equals("componentSpec")) {
                ids[i++] = Integer.parseInt(attribute(c, "componentId", "0"));
            }
        }
        return i == 3 && ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
    }

    private static Node find(Node n, String name) {
        if (n.getNodeName().equals(name)) {
            return n;
        }
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String attribute(Node n, String name, String otherwise) {
        Node a = n.getAttributes() == null ? null : n.getAttributes().getNamedItem(name);
        return a == null ? otherwise : a.getNodeValue();
    }
}
