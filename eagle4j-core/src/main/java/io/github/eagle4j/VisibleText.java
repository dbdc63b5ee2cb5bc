package io.github.eagle4j;

/**
 * Text from files, ids and models made safe to show: characters that would act instead of print are written as
 * visible {@code \}{@code uXXXX} escapes. That covers the C0 controls (ESC starts terminal escape sequences, NUL
 * truncates C strings), DEL, the C1 controls, and the bidirectional formatting characters (U+202E RIGHT-TO-LEFT
 * OVERRIDE and its kin reorder what follows, so a token could display as another). Tab, line feed and carriage
 * return are kept when asked.
 */
public final class VisibleText {
    private VisibleText() {
    }

    /** Whether {@code c} acts rather than prints (see the class comment); tab, line feed and carriage return included. */
    public static boolean isUnsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** {@code s} with every unsafe character, tab and line breaks included, written as {@code \}{@code uXXXX}. */
    public static String of(String s) {
        return escape(s, false);
    }

    /** As {@link #of}, but tab, line feed and carriage return are kept. */
    public static String keepingLines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unsafe = isUnsafe(c) && !(keepLines && (c == '\t' || c == '\n' || c == '\r'));
            if (unsafe && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (unsafe) {
                    sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
