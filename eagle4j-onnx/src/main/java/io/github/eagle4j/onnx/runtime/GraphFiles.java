package io.github.eagle4j.onnx.runtime;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.OnnxSettings;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three graph files of one precision variant, named by the transformers.js suffix table:
 * {@code onnx/{stem}{suffix}.onnx}, e.g. {@code onnx/decoder_model_merged_q4f16.onnx}. The decoder decides: the
 * requested dtype needs its decoder file, and {@code auto} takes the first dtype whose decoder exists (fp32 first).
 * The vision encoder and the embeddings use the same suffix where that file exists, else their fp32 file (exports
 * often quantise only the decoder). External weights ({@code X.onnx_data}, {@code X.onnx_data_1}, …) are found by
 * ONNX Runtime beside {@code X.onnx}, because sessions are created from file paths.
 *
 * @param dtype   the dtype chosen (never {@code auto})
 * @param vision  vision encoder file, relative to the model directory
 * @param embed   embeddings file
 * @param decoder decoder file
 */
public record GraphFiles(String dtype, String vision, String embed, String decoder) {
    static String file(String stem, String suffix) {
        return "onnx/" + stem + suffix + ".onnx";
    }

    /** Dtypes whose decoder file the directory holds, in {@code auto} order. */
    public static List<String> present(ModelDirectory dir) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : OnnxSettings.dtypeSuffixes().entrySet()) {
            if (dir.optional(file(ModelGraphs.DECODER, e.getValue())).isPresent()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Picks the files for a dtype ({@code auto} or a key of {@link OnnxSettings#dtypeSuffixes()}).
     *
     * @throws InvalidInputException naming the missing file and the dtypes present
     */
    public static GraphFiles choose(ModelDirectory dir, String requested) {
        List<String> present = present(dir);
        String dtype = requested;
        if (dtype.equals(OnnxSettings.AUTO)) {
            if (present.isEmpty()) {
                throw new InvalidInputException("model directory " + dir + " has no " + file(ModelGraphs.DECODER, "")
                        + " nor a precision variant of it (" + file(ModelGraphs.DECODER, "_{fp16,q4f16,...}") + ")");
            }
            dtype = present.get(0);
        } else if (!present.contains(dtype)) {
            throw new InvalidInputException("dtype " + dtype + " needs " + file(ModelGraphs.DECODER, suffix(dtype)) + ", which model directory "
                    + dir + " lacks (dtypes present: " + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
        }
        String suffix = suffix(dtype);
        return new GraphFiles(dtype, withFallback(dir, ModelGraphs.VISION, suffix), withFallback(dir, ModelGraphs.EMBED, suffix),
                file(ModelGraphs.DECODER, suffix));
    }

    private static String suffix(String dtype) {
        return OnnxSettings.dtypeSuffixes().get(dtype);
    }

    private static String withFallback(ModelDirectory dir, String stem, String suffix) {
        String own = file(stem, suffix);
        if (dir.optional(own).isPresent()) {
            return own;
        }
        String fp32 = file(stem, "");
        if (dir.optional(fp32).isPresent()) {
            return fp32;
        }
        throw new InvalidInputException("model directory " + dir + " lacks " + own + (suffix.isEmpty() ? "" : " and " + fp32));
    }
}
