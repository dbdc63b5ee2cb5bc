package io.github.eagle4j.onnx;

import io.github.eagle4j.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the ONNX backend runs a model: the settings map of {@link io.github.eagle4j.ModelProvider#open} (keys
 * {@value #THREADS}, {@value #BATCH_SIZE}, {@value #PARALLEL}, {@value #DEVICE}, {@value #DTYPE}) and the Java API
 * share this one record; defaults live in {@link #defaults()}.
 *
 * <p>On CPU the fastest set-up measured is one session with one intra-op thread per run and as many runs side by
 * side as there are cores, hence the defaults. On a GPU one run at a time with larger batches is better.
 *
 * @param threads   ONNX Runtime intra-op threads per run (≥ 1; default 1)
 * @param batchSize most images per model call; 0 = automatic (8 on CPU, 32 on CUDA)
 * @param parallel  model calls run side by side; 0 = automatic (available cores on CPU, 1 on CUDA)
 * @param device    {@code auto} (CUDA when ONNX Runtime's CUDA provider loads, else CPU), {@code cpu}, {@code cuda}
 *                  or {@code cuda:N}
 * @param dtype     which export to load, by the transformers.js suffix table: {@code fp32}
 *                  ({@code decoder_model_merged.onnx}), {@code fp16} ({@code _fp16}), {@code int8} ({@code _int8}),
 *                  {@code uint8} ({@code _uint8}), {@code q8} or its alias {@code quantized} ({@code _quantized}),
 *                  {@code q4} ({@code _q4}), {@code q4f16} ({@code _q4f16}), {@code bnb4} ({@code _bnb4}); or
 *                  {@code auto} (default): the first of those, in that order, whose decoder file exists, so fp32 when
 *                  present. The vision encoder and the embeddings use the same suffix where that file exists, else
 *                  their fp32 file.
 */
public record OnnxSettings(int threads, int batchSize, int parallel, String device, String dtype) {
    /** Settings key: intra-op threads per run. */
    public static final String THREADS = "threads";
    /** Settings key: images per model call. */
    public static final String BATCH_SIZE = "batchSize";
    /** Settings key: model calls side by side. */
    public static final String PARALLEL = "parallel";
    /** Settings key: {@code auto}, {@code cpu}, {@code cuda[:N]}. */
    public static final String DEVICE = "device";
    /** Settings key: export precision suffix. */
    public static final String DTYPE = "dtype";

    /** The {@link #dtype()} that picks the first export present (fp32 first). */
    public static final String AUTO = "auto";

    private static final Map<String, String> DTYPE_SUFFIX = dtypes();

    public OnnxSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dtype, "dtype");
        if (threads < 1) {
            throw new InvalidInputException(THREADS + " must be at least 1, got " + threads);
        }
        if (batchSize < 0) {
            throw new InvalidInputException(BATCH_SIZE + " must be at least 1 (or 0 for automatic), got " + batchSize);
        }
        if (parallel < 0) {
            throw new InvalidInputException(PARALLEL + " must be at least 1 (or 0 for automatic), got " + parallel);
        }
        device = device.strip().toLowerCase(Locale.ROOT);
        if (!device.equals("auto") && !device.equals("cpu") && !device.matches("cuda(:\\d+)?")) {
            throw new InvalidInputException(DEVICE + " must be auto, cpu, cuda or cuda:N, got '" + device + "'");
        }
        dtype = dtype.strip().toLowerCase(Locale.ROOT);
        if (dtype.equals("quantized")) {
            dtype = "q8";
        }
        if (!dtype.equals(AUTO) && !DTYPE_SUFFIX.containsKey(dtype)) {
            throw new InvalidInputException(DTYPE + " '" + dtype + "' is not known (known: " + AUTO + ", "
                    + String.join(", ", DTYPE_SUFFIX.keySet()) + ", quantized)");
        }
    }

    /** One intra-op thread, automatic batch size and parallelism, automatic device, automatic dtype (fp32 when present). */
    public static OnnxSettings defaults() {
        return new OnnxSettings(1, 0, 0, "auto", AUTO);
    }

    /**
     * Reads the keys this backend knows from a settings map; other keys are ignored.
     *
     * @throws InvalidInputException naming the key when a value is not usable
     */
    public static OnnxSettings fromMap(Map<String, String> settings) {
        OnnxSettings d = defaults();
        return new OnnxSettings(
                intValue(settings, THREADS, d.threads),
                intValue(settings, BATCH_SIZE, d.batchSize),
                intValue(settings, PARALLEL, d.parallel),
                settings.getOrDefault(DEVICE, d.device),
                settings.getOrDefault(DTYPE, d.dtype));
    }

    /** A copy with another intra-op thread count. */
    public OnnxSettings withThreads(int value) {
        return new OnnxSettings(value, batchSize, parallel, device, dtype);
    }

    /** A copy with another batch size (0 = automatic). */
    public OnnxSettings withBatchSize(int value) {
        return new OnnxSettings(threads, value, parallel, device, dtype);
    }

    /** A copy with another number of parallel runs (0 = automatic). */
    public OnnxSettings withParallel(int value) {
        return new OnnxSettings(threads, batchSize, value, device, dtype);
    }

    /** A copy with another device. */
    public OnnxSettings withDevice(String value) {
        return new OnnxSettings(threads, batchSize, parallel, value, dtype);
    }

    /** A copy with another dtype ({@code auto}, {@code fp32}, {@code fp16}, …). */
    public OnnxSettings withDtype(String value) {
        return new OnnxSettings(threads, batchSize, parallel, device, value);
    }

    /** The known dtypes other than {@code auto} with their file-name suffixes, in the order {@code auto} tries them. */
    public static Map<String, String> dtypeSuffixes() {
        return DTYPE_SUFFIX;
    }

    private static int intValue(Map<String, String> settings, String key, int fallback) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key + " must be a whole number, got '" + v + "'");
        }
    }

    private static Map<String, String> dtypes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fp32", "");
        m.put("fp16", "_fp16");
        m.put("int8", "_int8");
        m.put("uint8", "_uint8");
        m.put("q8", "_quantized");
        m.put("q4", "_q4");
        m.put("q4f16", "_q4f16");
        m.put("bnb4", "_bnb4");
        return java.util.Collections.unmodifiableMap(m);
    }
}
