package io.github.eagle4j.onnx.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed reads of JSON config fields whose errors name the file and the field path. */
public final class JsonFields {
    private JsonFields() {
    }

    /** The node at a dotted path such as {@code text_config.num_hidden_layers}, if present and not null. */
    public static Optional<JsonNode> at(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            n = n.get(part);
        }
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    public static Optional<Long> optionalLong(JsonNode root, String file, String path) {
        Optional<JsonNode> n = at(root, path);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (!n.get().isIntegralNumber()) {
            throw new InvalidInputException(file + ": " + path + " must be a whole number, got " + n.get());
        }
        return Optional.of(n.get().asLong());
    }

    public static long requireLong(JsonNode root, String file, String path) {
        return optionalLong(root, file, path)
                .orElseThrow(() -> new InvalidInputException(file + ": missing field " + path));
    }

    /** A positive int field. */
    public static int requirePositiveInt(JsonNode root, String file, String path) {
        long v = requireLong(root, file, path);
        return checkPositive(v, file, path);
    }

    public static Optional<Integer> optionalPositiveInt(JsonNode root, String file, String path) {
        return optionalLong(root, file, path).map(v -> checkPositive(v, file, path));
    }

    private static int checkPositive(long v, String file, String path) {
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new InvalidInputException(file + ": " + path + " must be a positive whole number, got " + v);
        }
        return (int) v;
    }

    public static Optional<String> optionalString(JsonNode root, String file, String path) {
        Optional<JsonNode> n = at(root, path);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (!n.get().isTextual()) {
            throw new InvalidInputException(file + ": " + path + " must be a string, got " + n.get());
        }
        return Optional.of(n.get().asText());
    }

    public static String requireString(JsonNode root, String file, String path) {
        return optionalString(root, file, path)
                .orElseThrow(() -> new InvalidInputException(file + ": missing field " + path));
    }

    public static Optional<Double> optionalDouble(JsonNode root, String file, String path) {
        Optional<JsonNode> n = at(root, path);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (!n.get().isNumber()) {
            throw new InvalidInputException(file + ": " + path + " must be a number, got " + n.get());
        }
        return Optional.of(n.get().asDouble());
    }

    public static Optional<Boolean> optionalBoolean(JsonNode root, String file, String path) {
        Optional<JsonNode> n = at(root, path);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (!n.get().isBoolean()) {
            throw new InvalidInputException(file + ": " + path + " must be true or false, got " + n.get());
        }
        return Optional.of(n.get().asBoolean());
    }

    /** A number or a list of numbers, as {@code eos_token_id} may be. */
    public static List<Long> longOrList(JsonNode root, String file, String path) {
        Optional<JsonNode> n = at(root, path);
        List<Long> out = new ArrayList<>();
        if (n.isEmpty()) {
            return out;
        }
        if (n.get().isIntegralNumber()) {
            out.add(n.get().asLong());
        } else if (n.get().isArray()) {
            for (JsonNode e : n.get()) {
                if (!e.isIntegralNumber()) {
                    throw new InvalidInputException(file + ": " + path + " must hold whole numbers, got " + n.get());
                }
                out.add(e.asLong());
            }
        } else {
            throw new InvalidInputException(file + ": " + path + " must be a whole number or a list of them, got " + n.get());
        }
        return out;
    }

    /** A list of exactly {@code size} numbers. */
    public static double[] requireDoubles(JsonNode root, String file, String path, int size) {
        JsonNode n = at(root, path).orElseThrow(() -> new InvalidInputException(file + ": missing field " + path));
        if (n.isNumber() && size > 0) {
            double[] out = new double[size];
            java.util.Arrays.fill(out, n.asDouble());
            return out;
        }
        if (!n.isArray() || n.size() != size) {
            throw new InvalidInputException(file + ": " + path + " must be a list of " + size + " numbers, got " + n);
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            if (!n.get(i).isNumber()) {
                throw new InvalidInputException(file + ": " + path + " must be a list of " + size + " numbers, got " + n);
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }
}
