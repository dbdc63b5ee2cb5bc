package io.github.eagle4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;

/**
 * The building blocks every report page shares: escaping, numbers, embedded images and data blocks.
 *
 * <p>Every string that came from a user or a model (prompts, answers, tokens, provenance values, file names)
 * goes through {@link #text} or {@link #attr} before it reaches a page; data for scripts goes through
 * {@link #jsonScript}, never into script source. Pages use no external URL: images are {@code data:} URIs.
 */
public final class Html {
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Html() {
    }

    /**
     * Escapes text for HTML element content: {@code & < > " '} become character references, and characters that
     * act instead of print (controls other than tab and newline, bidirectional overrides such as U+202E) are shown
     * as visible {@code \}{@code uXXXX} escapes ({@link io.github.eagle4j.VisibleText}). {@code null} becomes the empty
     * string.
     */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c == '\n' || c == '\t' || !io.github.eagle4j.VisibleText.isUnsafe(c)) {
                        sb.append(c);
                    } else {
                        sb.append(io.github.eagle4j.VisibleText.of(String.valueOf(c)));
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Escapes a value for a double-quoted attribute (the same escaping as {@link #text}). */
    public static String attr(String s) {
        return text(s);
    }

    /**
     * A {@code <script type="application/json">} block holding {@code data}, read by page scripts with
     * {@code JSON.parse(document.getElementById(id).textContent)}. {@code <}, {@code >}, {@code &} and the
     * line separators are written as {@code \}{@code uXXXX} escapes, so no string inside can close the block;
     * bidirectional overrides and C1 controls inside strings become the visible text {@code \}{@code uXXXX}.
     */
    public static String jsonScript(String id, JsonNode data) {
        return "<script type=\"application/json\" id=\"" + attr(id) + "\">" + json(data) + "</script>\n";
    }

    /** Compact JSON safe to place inside a script element (see {@link #jsonScript}). */
    public static String json(JsonNode data) {
        String raw;
        try {
            raw = COMPACT.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sb = new StringBuilder(raw.length() + 16);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> {
                    // scripts put these strings into the page: an override must arrive as visible text, not as itself
                    if (c >= 0x20 && io.github.eagle4j.VisibleText.isUnsafe(c)) {
                        sb.append(String.format(Locale.ROOT, "\\\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A {@code data:image/png;base64,…} URI of the image, for {@code <img src>} in a self-contained page. */
    public static String pngDataUri(BufferedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image));
    }

    /** The PNG bytes of an image (in memory). */
    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A number with a fixed count of decimals, always with a dot ({@link Locale#ROOT}); NaN as "–". */
    public static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A percentage with one decimal, e.g. {@code 12.5 %}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }
}
