package io.github.eagle4j.onnx;

/**
 * The Idefics3 / SmolVLM family ({@code model_type} {@code idefics3}, {@code smolvlm}): tiled images, the
 * placeholder expansion of transformers' {@code Idefics3Processor}, plain positions {@code 0..T-1}.
 */
final class Idefics3Family {
    static final String FAKE_TOKEN = "<fake_token_around_image>";
    static final String GLOBAL_TOKEN = "<global-img>";

    private Idefics3Family() {
    }

    /**
     * The text that replaces the image placeholder (transformers' {@code Idefics3Processor}): per tile
     * {@code <fake_token_around_image><row_r_col_c>} + the image token × {@code seqLen}, a newline after each row,
     * then a newline and the global image {@code <fake_token_around_image><global-img>} + image tokens +
     * {@code <fake_token_around_image>}; an unsplit image is the global part alone, without newlines.
     */
    static String expansion(String imageToken, int rows, int cols, int seqLen) {
        String run = imageToken.repeat(seqLen);
        String global = FAKE_TOKEN + GLOBAL_TOKEN + run + FAKE_TOKEN;
        if (rows == 0 && cols == 0) {
            return global;
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 1; r <= rows; r++) {
            for (int c = 1; c <= cols; c++) {
                sb.append(FAKE_TOKEN).append("<row_").append(r).append("_col_").append(c).append('>').append(run);
            }
            sb.append('\n');
        }
        return sb.append('\n').append(global).toString();
    }

    /** Position ids {@code [1][n]}: {@code 0..n-1} (no left padding inside one sequence). */
    static long[][] positionIds(int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return new long[][] {p};
    }
}
